/** Validation of the fault-ticket requests; each class implements its contract in @fleet/shared. */
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsDefined, IsIn, IsInt, IsISO8601, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import {
  CHECK_OUTCOMES,
  CLAIM_STATUSES,
  CONTACT_CHANNELS,
  COST_KINDS,
  COST_PAYERS,
  DAMAGE_CIRCUMSTANCES,
  DIAGNOSIS_MODES,
  FAULT_CAUSES,
  FAULT_TYPES,
  INCIDENT_PRIORITIES,
  INCIDENT_RESOLUTIONS,
  INCIDENT_STAGES,
  INCIDENT_SYMPTOMS,
  MAX_PRICE,
  REPAIR_DECISIONS,
  RESPONSIBILITIES,
  SERVICE_LEVEL_GROUPS,
  SPARE_OUTCOMES,
  TEST_OUTCOMES,
  type AddMerchantContactRequest,
  type AssignIncidentRequest,
  type BackUpIncidentRequest,
  type CheckOutcome,
  type ClaimStatus,
  type CloseIncidentRequest,
  type CommonFaultsQuery,
  type ContactChannel,
  type CostKind,
  type CostPayer,
  type CreateIncidentCostRequest,
  type CreateIncidentRequest,
  type DamageCircumstance,
  type DecideRepairRequest,
  type DiagnoseIncidentRequest,
  type DiagnosisMode,
  type FaultCause,
  type FaultType,
  type IncidentPriority,
  type IncidentResolution,
  type IncidentStage,
  type IncidentStepRequest,
  type IncidentSymptom,
  type LendSpareRequest,
  type ListIncidentsQuery,
  type RateIncidentRequest,
  type ReceiveIncidentRequest,
  type ReopenIncidentRequest,
  type RepairDecision,
  type ReplaceIncidentRequest,
  type RespondIncidentRequest,
  type Responsibility,
  type ServiceLevelGroup,
  type ServiceLevelQuery,
  type ShipIncidentRequest,
  type SpareOutcome,
  type TestIncidentRequest,
  type TestOutcome,
  type UpdateIncidentCostRequest,
} from '@fleet/shared';
import { PageQueryDto } from '../common/api-dtos';
import { CalendarDate, Currency, Money, OneOf, OptionalReference, OptionalText, RequiredReference, RequiredText, Version } from '../common/dto-rules';

const ERROR_CODE_PATTERN = /^[A-Za-z0-9._-]{1,32}$/;

/** An instant, ISO 8601 with a zone. */
const Instant = (description: string) =>
  applyDecorators(ApiPropertyOptional({ format: 'date-time', description }), IsOptional(), IsString(), IsISO8601({ strict: true, strictSeparator: true }, { message: '$property must be an ISO 8601 instant' }));
/** Required but may be null (null clears). */
const ValidateIfNotNull = () => ValidateIf((_object, value) => value !== null);

/** Lists in a query string: repeated (stage=a&stage=b) or comma-separated (stage=a,b). */
const queryList = Transform(({ value }) => {
  const items = Array.isArray(value) ? value : [value];
  return items.flatMap((item) => (typeof item === 'string' ? item.split(',').map((v) => v.trim()).filter(Boolean) : [item]));
});
const toNumber = Type(() => Number);

export class CreateIncidentDto implements CreateIncidentRequest {
  @RequiredReference('The faulty terminal')
  terminalId: number;

  @OneOf(INCIDENT_PRIORITIES, false)
  priority?: IncidentPriority;

  @OneOf(INCIDENT_SYMPTOMS, true)
  symptom: IncidentSymptom;

  @ApiPropertyOptional({ type: [String], maxItems: 10, description: 'Error codes shown on the screen or reported by the terminal' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @Matches(ERROR_CODE_PATTERN, { each: true, message: 'each errorCodes entry must be 1-32 letters, digits, dot, dash or underscore' })
  errorCodes?: string[];

  @RequiredText(4000, 'What the reporter saw')
  description: string;

  @OptionalText(255, 'Where the unit is, if not at its merchant')
  place?: string | null;

  @ApiPropertyOptional({ enum: DAMAGE_CIRCUMSTANCES, nullable: true })
  @IsOptional()
  @IsIn([...DAMAGE_CIRCUMSTANCES, null])
  circumstances?: DamageCircumstance | null;

  @OptionalText(1000, 'How the damage happened')
  circumstancesNote?: string | null;

  @Instant('When the fault happened; defaults to now')
  occurredAt?: string;

  @OptionalReference('The technician who takes the ticket')
  assigneeId?: number | null;
}

class StepDto implements IncidentStepRequest {
  @Version()
  version?: number;

  @OptionalText(4000)
  note?: string | null;
}

export class IncidentStepDto extends StepDto {}

export class AssignIncidentDto extends StepDto implements AssignIncidentRequest {
  @ApiProperty({ nullable: true, description: 'A user; null to unassign' })
  @IsDefined()
  @ValidateIfNotNull()
  @IsInt()
  @Min(1)
  assigneeId: number | null;
}

class FirstResponseChecksDto {
  @OneOf(CHECK_OUTCOMES, false) restart?: CheckOutcome;
  @OneOf(CHECK_OUTCOMES, false) power?: CheckOutcome;
  @OneOf(CHECK_OUTCOMES, false) battery?: CheckOutcome;
  @OneOf(CHECK_OUTCOMES, false) cables?: CheckOutcome;
  @OneOf(CHECK_OUTCOMES, false) network?: CheckOutcome;
}

export class RespondIncidentDto extends StepDto implements RespondIncidentRequest {
  @ApiProperty({ type: FirstResponseChecksDto })
  @ValidateNested()
  @Type(() => FirstResponseChecksDto)
  @IsDefined()
  checks: FirstResponseChecksDto;

  @ApiProperty({ description: 'The first response fixed it: the ticket closes as fixed on first response' })
  @IsBoolean()
  fixed: boolean;
}

export class DiagnoseIncidentDto extends StepDto implements DiagnoseIncidentRequest {
  @OneOf(FAULT_TYPES, true) faultType: FaultType;
  @OneOf(FAULT_CAUSES, true) cause: FaultCause;
  @OneOf(DIAGNOSIS_MODES, true) mode: DiagnosisMode;
  @OneOf(RESPONSIBILITIES, true) responsibility: Responsibility;
  @OptionalText(120, 'Who, when a person is responsible') responsiblePerson?: string | null;
}

export class DecideRepairDto extends StepDto implements DecideRepairRequest {
  @OneOf(REPAIR_DECISIONS, true) decision: RepairDecision;
  @Money() repairQuote?: number | null;
  @Money() replacementPrice?: number | null;
  @OptionalText(120, 'The repair centre or vendor') repairVendor?: string | null;
}

export class LendSpareDto extends StepDto implements LendSpareRequest {
  @RequiredReference('A terminal in spare status, in the ticket’s region, of the same model or category')
  spareTerminalId: number;

  @CalendarDate({ required: true, description: 'When the spare is due back' })
  dueBack: string;
}

export class BackUpIncidentDto extends StepDto implements BackUpIncidentRequest {
  @RequiredText(255, 'Where the transaction records and settings were saved')
  location: string;
}

export class ShipIncidentDto extends StepDto implements ShipIncidentRequest {
  @RequiredText(120) repairVendor: string;
  @RequiredText(64) carrier: string;
  @RequiredText(64) trackingNumber: string;
  @Instant('Defaults to now') shippedAt?: string;
}

export class ReceiveIncidentDto extends StepDto implements ReceiveIncidentRequest {
  @Instant('Defaults to now') returnedAt?: string;

  @ApiPropertyOptional({ nullable: true, description: 'The serial of the unit the vendor sent back, if it swapped it' })
  @IsOptional()
  @ValidateIfNotNull()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @IsString()
  @Matches(/^[A-Z0-9][A-Z0-9._/-]{2,63}$/, { message: 'newSerialNumber must be 3-64 letters, digits, dot, dash, slash or underscore' })
  newSerialNumber?: string | null;
}

export class ReplaceIncidentDto extends StepDto implements ReplaceIncidentRequest {
  @RequiredReference('A unit in stock or spare, in the ticket’s region')
  replacementTerminalId: number;
}

class TestChecksDto {
  @OneOf(TEST_OUTCOMES, false) chip?: TestOutcome;
  @OneOf(TEST_OUTCOMES, false) stripe?: TestOutcome;
  @OneOf(TEST_OUTCOMES, false) contactless?: TestOutcome;
  @OneOf(TEST_OUTCOMES, false) print?: TestOutcome;
  @OneOf(TEST_OUTCOMES, false) touch_keys?: TestOutcome;
  @OneOf(TEST_OUTCOMES, false) network?: TestOutcome;
  @OneOf(TEST_OUTCOMES, false) test_transaction?: TestOutcome;
}

export class TestIncidentDto extends StepDto implements TestIncidentRequest {
  @ApiProperty({ type: TestChecksDto, description: 'The test passes when no check failed and the test transaction passed' })
  @ValidateNested()
  @Type(() => TestChecksDto)
  @IsDefined()
  checks: TestChecksDto;

  @OneOf(SPARE_OUTCOMES, false)
  spareOutcome?: SpareOutcome;
}

export class CloseIncidentDto extends OmitType(StepDto, ['note'] as const) implements CloseIncidentRequest {
  @OneOf(INCIDENT_RESOLUTIONS, true) resolution: IncidentResolution;
  @RequiredText(4000, 'What was done, in the technician’s words (it feeds the common faults table)') note: string;
}

export class ReopenIncidentDto extends StepDto implements ReopenIncidentRequest {
  @RequiredText(1000) reason: string;
}

export class RateIncidentDto extends StepDto implements RateIncidentRequest {
  @ApiProperty({ minimum: 1, maximum: 5 }) @IsInt() @Min(1) @Max(5) rating: number;
  @OptionalText(1000) comment?: string | null;
}

export class AddMerchantContactDto implements AddMerchantContactRequest {
  @OneOf(CONTACT_CHANNELS, true) channel: ContactChannel;
  @OptionalText(120) contactPerson?: string | null;
  @RequiredText(2000, 'What was said') summary: string;
  @Instant('When; defaults to now') at?: string;
}

const Amount = (required: boolean) =>
  applyDecorators(
    required ? ApiProperty({ minimum: 0, maximum: MAX_PRICE }) : ApiPropertyOptional({ minimum: 0, maximum: MAX_PRICE, nullable: true }),
    ...(required ? [] : [IsOptional(), ValidateIfNotNull()]),
    IsNumber({ maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false }),
    Min(0),
    Max(MAX_PRICE),
  );

export class CreateIncidentCostDto implements CreateIncidentCostRequest {
  @OneOf(COST_KINDS, true) kind: CostKind;
  @OptionalText(255) description?: string | null;
  @Amount(true) amount: number;
  @Currency() currency?: string;
  @OneOf(COST_PAYERS, true) payer: CostPayer;
  @OptionalText(64) claimReference?: string | null;
  @ApiPropertyOptional({ enum: CLAIM_STATUSES, nullable: true }) @IsOptional() @IsIn([...CLAIM_STATUSES, null]) claimStatus?: ClaimStatus | null;
  @Amount(false) claimedAmount?: number | null;
}

export class UpdateIncidentCostDto implements UpdateIncidentCostRequest {
  @Version() version?: number;
  @ApiPropertyOptional({ enum: CLAIM_STATUSES, nullable: true }) @IsOptional() @IsIn([...CLAIM_STATUSES, null]) claimStatus?: ClaimStatus | null;
  @OptionalText(64) claimReference?: string | null;
  @Amount(false) claimedAmount?: number | null;
  @Amount(false) approvedAmount?: number | null;
  @Amount(false) paidAmount?: number | null;
}

export class ListIncidentsQueryDto extends PageQueryDto implements ListIncidentsQuery {
  @ApiPropertyOptional({ description: 'Stages, repeated or comma-separated', example: 'reported,diagnosing' })
  @IsOptional()
  @queryList
  @ArrayMaxSize(INCIDENT_STAGES.length)
  @IsIn(INCIDENT_STAGES, { each: true })
  stage?: IncidentStage[];

  @ApiPropertyOptional({ description: 'Priorities, repeated or comma-separated', example: 'urgent,high' })
  @IsOptional()
  @queryList
  @ArrayMaxSize(INCIDENT_PRIORITIES.length)
  @IsIn(INCIDENT_PRIORITIES, { each: true })
  priority?: IncidentPriority[];

  @ApiPropertyOptional({ description: 'Includes sub-regions' }) @IsOptional() @toNumber @IsInt() @Min(1) regionId?: number;
  @ApiPropertyOptional() @IsOptional() @toNumber @IsInt() @Min(1) modelId?: number;
  @ApiPropertyOptional() @IsOptional() @toNumber @IsInt() @Min(1) terminalId?: number;
  @ApiPropertyOptional() @IsOptional() @toNumber @IsInt() @Min(1) assigneeId?: number;
  @ApiPropertyOptional({ enum: INCIDENT_SYMPTOMS }) @IsOptional() @IsIn(INCIDENT_SYMPTOMS) symptom?: IncidentSymptom;

  @ApiPropertyOptional({ description: 'Only tickets with a service-level clock running past its target' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  overdue?: boolean;

  @ApiPropertyOptional({ description: 'Ticket number (INC-000042 or 42) or start of the asset number' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  q?: string;
}

export class BoardQueryDto extends OmitType(ListIncidentsQueryDto, ['stage', 'page', 'pageSize'] as const) {}

export class CommonFaultsQueryDto extends PageQueryDto implements CommonFaultsQuery {
  @ApiPropertyOptional({ enum: INCIDENT_SYMPTOMS }) @IsOptional() @IsIn(INCIDENT_SYMPTOMS) symptom?: IncidentSymptom;
  @ApiPropertyOptional() @IsOptional() @toNumber @IsInt() @Min(1) modelId?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(ERROR_CODE_PATTERN) errorCode?: string;
  @ApiPropertyOptional({ description: 'Part of a closing note' }) @IsOptional() @IsString() @MaxLength(64) q?: string;
}

export class ExportCommonFaultsQueryDto extends OmitType(CommonFaultsQueryDto, ['page', 'pageSize'] as const) {}

export class ServiceLevelQueryDto implements ServiceLevelQuery {
  @OneOf(SERVICE_LEVEL_GROUPS, true) groupBy: ServiceLevelGroup;
  @CalendarDate({ description: 'Tickets reported on or after' }) from?: string;
  @CalendarDate({ description: 'Tickets reported before' }) to?: string;
}
