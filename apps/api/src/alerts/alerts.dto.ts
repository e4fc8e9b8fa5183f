/** Validation of alert requests; each class implements its contract in @fleet/shared. */
import { ApiProperty, ApiPropertyOptional, PartialType, OmitType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsDefined, IsEmail, IsIn, IsInt, IsISO8601, IsOptional, IsString, Max, Min, ValidateIf, ValidateNested } from 'class-validator';
import {
  ALERT_CHANNELS,
  ALERT_RULE_KINDS,
  ALERT_SEVERITIES,
  ALERT_STATES,
  ALERT_SUBJECT_TYPES,
  ROLES,
  type AcknowledgeAlertRequest,
  type AlertChannel,
  type AlertRuleKind,
  type AlertRuleParams,
  type AlertSeverity,
  type AlertState,
  type AlertSubjectType,
  type AlertSubscription,
  type AssignAlertRequest,
  type CreateAlertRuleRequest,
  type CreateMaintenanceWindowRequest,
  type ExpiryReportQuery,
  type ListAlertsQuery,
  type PutAlertSubscriptionsRequest,
  type Role,
  type UpdateAlertRuleRequest,
} from '@fleet/shared';
import { PageQueryDto } from '../common/api-dtos';
import { OneOf, OptionalInt, OptionalReference, OptionalText, RequiredText, Version } from '../common/dto-rules';

const queryList = Transform(({ value }) => {
  const items = Array.isArray(value) ? value : [value];
  return items.flatMap((item) => (typeof item === 'string' ? item.split(',').map((v) => v.trim()).filter(Boolean) : [item]));
});
const toNumber = Type(() => Number);

/** 30 days, in minutes. */
const MAX_MINUTES = 43_200;

export class AlertRuleParamsDto implements AlertRuleParams {
  @ApiPropertyOptional({ minimum: 0, maximum: MAX_MINUTES, description: 'How long the condition must hold (terminal alerts)' })
  @IsOptional() @IsInt() @Min(0) @Max(MAX_MINUTES) minutes?: number;

  @ApiPropertyOptional({ type: [Number], description: 'Days ahead at which expiry reminders go out (1–730, at most 6)' })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(6) @ArrayUnique() @IsInt({ each: true }) @Min(1, { each: true }) @Max(730, { each: true }) windows?: number[];

  @ApiPropertyOptional({ minimum: 0, maximum: 10_000, description: 'Spares a region should hold' })
  @IsOptional() @IsInt() @Min(0) @Max(10_000) minimum?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 1_000_000, description: 'Only regions with at least this many deployed terminals' })
  @IsOptional() @IsInt() @Min(0) @Max(1_000_000) minDeployed?: number;
}

export class CreateAlertRuleDto implements CreateAlertRuleRequest {
  @OneOf(ALERT_RULE_KINDS, true) kind: AlertRuleKind;
  @RequiredText(120) name: string;
  @OneOf(ALERT_SEVERITIES, true) severity: AlertSeverity;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() enabled?: boolean;

  @ApiPropertyOptional({ type: AlertRuleParamsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => AlertRuleParamsDto)
  params?: AlertRuleParamsDto;

  @OptionalInt(1, MAX_MINUTES) repeatMinutes?: number | null;
  @OptionalInt(1, MAX_MINUTES) escalateAfterMinutes?: number | null;

  @ApiPropertyOptional({ enum: ROLES, nullable: true })
  @IsOptional()
  @ValidateIf((_object, value) => value !== null)
  @IsIn(ROLES)
  escalateToRole?: Role | null;

  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() suppressWithOpenTicket?: boolean;
}

export class UpdateAlertRuleDto extends PartialType(OmitType(CreateAlertRuleDto, ['kind'] as const)) implements UpdateAlertRuleRequest {
  @Version() version?: number;
}

export class ListAlertsQueryDto extends PageQueryDto implements ListAlertsQuery {
  @ApiPropertyOptional({ description: 'States, repeated or comma-separated (default open,acknowledged)' })
  @IsOptional() @queryList @ArrayMaxSize(ALERT_STATES.length) @IsIn(ALERT_STATES, { each: true }) state?: AlertState[];

  @ApiPropertyOptional({ description: 'Severities, repeated or comma-separated' })
  @IsOptional() @queryList @ArrayMaxSize(ALERT_SEVERITIES.length) @IsIn(ALERT_SEVERITIES, { each: true }) severity?: AlertSeverity[];

  @ApiPropertyOptional({ description: 'Rule kinds, repeated or comma-separated' })
  @IsOptional() @queryList @ArrayMaxSize(ALERT_RULE_KINDS.length) @IsIn(ALERT_RULE_KINDS, { each: true }) kind?: AlertRuleKind[];

  @ApiPropertyOptional({ description: 'Includes sub-regions' }) @IsOptional() @toNumber @IsInt() @Min(1) regionId?: number;
  @ApiPropertyOptional({ enum: ALERT_SUBJECT_TYPES }) @IsOptional() @IsIn(ALERT_SUBJECT_TYPES) subjectType?: AlertSubjectType;
  @ApiPropertyOptional() @IsOptional() @toNumber @IsInt() @Min(1) subjectId?: number;
  @ApiPropertyOptional() @IsOptional() @toNumber @IsInt() @Min(1) assigneeId?: number;
}

export class AlertSummaryQueryDto extends OmitType(ListAlertsQueryDto, ['page', 'pageSize', 'state'] as const) {}

export class AcknowledgeAlertDto implements AcknowledgeAlertRequest {
  @Version() version?: number;
  @OptionalText(1000) note?: string | null;
}

export class AssignAlertDto implements AssignAlertRequest {
  @Version() version?: number;

  @ApiProperty({ nullable: true })
  @IsDefined()
  @ValidateIf((_object, value) => value !== null)
  @IsInt()
  @Min(1)
  assigneeId: number | null;
}

export class AlertSubscriptionDto implements AlertSubscription {
  @OneOf(ALERT_CHANNELS, true) channel: AlertChannel;
  @ApiProperty() @IsBoolean() enabled: boolean;

  @ApiPropertyOptional({ nullable: true, description: 'The address for email (required when email is enabled)' })
  @IsOptional()
  @ValidateIf((_object, value) => value !== null)
  @IsString()
  @IsEmail({}, { message: 'address must be an email address' })
  address: string | null;

  @ApiProperty({ enum: ALERT_RULE_KINDS, isArray: true, description: 'Empty: every kind' })
  @IsArray() @ArrayMaxSize(ALERT_RULE_KINDS.length) @ArrayUnique() @IsIn(ALERT_RULE_KINDS, { each: true }) kinds: AlertRuleKind[];

  @ApiProperty({ type: [Number], description: 'Empty: every region the user may see' })
  @IsArray() @ArrayMaxSize(50) @ArrayUnique() @IsInt({ each: true }) @Min(1, { each: true }) regionIds: number[];

  @OneOf(ALERT_SEVERITIES, true) minSeverity: AlertSeverity;
}

export class PutAlertSubscriptionsDto implements PutAlertSubscriptionsRequest {
  @ApiProperty({ type: [AlertSubscriptionDto] })
  @IsArray()
  @ArrayMaxSize(ALERT_CHANNELS.length)
  @ValidateNested({ each: true })
  @Type(() => AlertSubscriptionDto)
  subscriptions: AlertSubscriptionDto[];
}

const Instant = () => ApiProperty({ format: 'date-time' });

export class CreateMaintenanceWindowDto implements CreateMaintenanceWindowRequest {
  @OptionalReference('A region (with its sub-regions); or give terminalId') regionId?: number | null;
  @OptionalReference('A single terminal; or give regionId') terminalId?: number | null;
  @Instant() @IsString() @IsISO8601({ strict: true, strictSeparator: true }) startsAt: string;
  @Instant() @IsString() @IsISO8601({ strict: true, strictSeparator: true }) endsAt: string;
  @RequiredText(500) reason: string;
}

export class ExpiryReportQueryDto implements ExpiryReportQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 730, default: 180 }) @IsOptional() @toNumber @IsInt() @Min(1) @Max(730) withinDays?: number;
}
