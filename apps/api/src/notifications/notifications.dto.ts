/** Validation of the webhook and notification requests; each class implements its contract in @fleet/shared. */
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, MaxLength, Min, ValidateBy } from 'class-validator';
import {
  ALERT_RULE_KINDS,
  ALERT_SEVERITIES,
  DELIVERY_STATUSES,
  WEBHOOK_URL_MAX_LENGTH,
  type AlertRuleKind,
  type AlertSeverity,
  type CreateWebhookRequest,
  type DeliveryStatus,
  type ListWebhookDeliveriesQuery,
  type TestEmailRequest,
  type UpdateWebhookRequest,
} from '@fleet/shared';
import { PageQueryDto } from '../common/api-dtos';
import { OneOf, RequiredText, Version } from '../common/dto-rules';
import { webhookUrlProblem } from './webhook-url';

const MAX_REGIONS = 100;

const WebhookUrl = () =>
  applyDecorators(
    ApiProperty({ maxLength: WEBHOOK_URL_MAX_LENGTH, example: 'https://alerts.bank.example/fleet', description: 'http or https, with a host and without credentials; internal addresses are allowed' }),
    Transform(({ value }) => (typeof value === 'string' ? value.trim() : value)),
    IsString(),
    ValidateBy({
      name: 'webhookUrl',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && webhookUrlProblem(value) === null,
        defaultMessage: (args) => webhookUrlProblem(String(args?.value ?? '')) ?? 'url must be an absolute http or https URL',
      },
    }),
  );

export class CreateWebhookDto implements CreateWebhookRequest {
  @RequiredText(120, 'A name, unique, e.g. Operations centre')
  name: string;

  @WebhookUrl()
  url: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ enum: ALERT_RULE_KINDS, isArray: true, description: 'The alert kinds sent; empty or absent: all' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(ALERT_RULE_KINDS, { each: true })
  kinds?: AlertRuleKind[];

  @ApiPropertyOptional({ type: [Number], maxItems: MAX_REGIONS, description: 'Only alerts in these regions or their sub-regions; empty or absent: all' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_REGIONS)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  regionIds?: number[];

  @OneOf(ALERT_SEVERITIES, false)
  minSeverity?: AlertSeverity;
}

export class UpdateWebhookDto extends PartialType(CreateWebhookDto) implements UpdateWebhookRequest {
  @Version()
  version?: number;
}

export class ListWebhookDeliveriesQueryDto extends PageQueryDto implements ListWebhookDeliveriesQuery {
  @OneOf(DELIVERY_STATUSES, false)
  status?: DeliveryStatus;
}

export class TestEmailDto implements TestEmailRequest {
  @ApiProperty({ format: 'email', maxLength: 254, example: 'ops@bank.example' })
  @IsString()
  @MaxLength(254)
  @IsEmail({}, { message: 'to must be an email address' })
  to: string;
}
