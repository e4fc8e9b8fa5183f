import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsInt, IsOptional, IsString, Matches, MaxLength, Min, Max } from 'class-validator';
import {
  HEALTH_STATES,
  TERMINAL_CATEGORIES,
  TERMINAL_SORT_FIELDS,
  TERMINAL_STATUSES,
  type CreateTerminalRequest,
  type HealthState,
  type ListTerminalsQuery,
  type SortDirection,
  type TerminalCategory,
  type TerminalSortField,
  type TerminalStatus,
  type TransitionTerminalRequest,
  type UpdateTerminalRequest,
} from '@fleet/shared';
import { PageQueryDto } from '../common/api-dtos';
import { CalendarDate, Currency, Money, OneOf, OptionalReference, OptionalText, RequiredReference, Version } from '../common/dto-rules';

export const SERIAL_PATTERN = /^[A-Z0-9][A-Z0-9._/-]{2,63}$/;

export class CreateTerminalDto implements CreateTerminalRequest {
  @ApiProperty({ pattern: SERIAL_PATTERN.source, description: 'Manufacturer serial number; stored upper-case, unique' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @IsString()
  @Matches(SERIAL_PATTERN, { message: 'serialNumber must be 3-64 letters, digits, dot, dash, slash or underscore' })
  serialNumber: string;

  @RequiredReference('The terminal model')
  modelId: number;

  @RequiredReference('Who sold the terminal to the bank')
  supplierId: number;

  @OneOf(TERMINAL_CATEGORIES, false)
  category?: TerminalCategory;

  @RequiredReference('The region or branch; its code is part of the asset number')
  regionId: number;

  @OptionalReference('Where the terminal is placed')
  merchantId?: number | null;

  @OptionalText(120, 'The person responsible for the unit')
  custodian?: string | null;

  @OneOf(TERMINAL_STATUSES, false)
  status?: TerminalStatus;

  @CalendarDate()
  purchaseDate?: string | null;

  @Money()
  purchasePrice?: number | null;

  @Currency()
  currency?: string;

  @OptionalText(64)
  batch?: string | null;

  @OptionalText(64)
  firmwareVersion?: string | null;

  @OptionalText(64)
  appVersion?: string | null;

  @CalendarDate({ description: 'Defaults to the purchase date' })
  warrantyStart?: string | null;

  @CalendarDate({ description: "Defaults to the start plus the model's default warranty months" })
  warrantyEnd?: string | null;

  @OptionalText(500)
  warrantyTerms?: string | null;

  @OptionalText(120)
  warrantyProvider?: string | null;

  @OptionalReference('The insurance policy covering the unit')
  insurancePolicyId?: number | null;

  @OptionalText(4000)
  notes?: string | null;
}

export class UpdateTerminalDto extends PartialType(OmitType(CreateTerminalDto, ['status', 'regionId'] as const)) implements UpdateTerminalRequest {
  @Version()
  version?: number;
}

export class TransitionTerminalDto implements TransitionTerminalRequest {
  @ApiProperty({ enum: TERMINAL_STATUSES })
  @IsIn(TERMINAL_STATUSES)
  to: TerminalStatus;

  @OptionalText(500)
  reason?: string;

  @Version()
  version?: number;
}

const csvList = Transform(({ value }) => (typeof value === 'string' ? value.split(',').map((v) => v.trim()).filter(Boolean) : value));
const toNumber = Type(() => Number);

export class ListTerminalsQueryDto extends PageQueryDto implements ListTerminalsQuery {
  @ApiPropertyOptional({ description: 'One or more statuses, comma-separated', example: 'deployed,spare' })
  @IsOptional()
  @csvList
  @ArrayMaxSize(TERMINAL_STATUSES.length)
  @IsIn(TERMINAL_STATUSES, { each: true })
  status?: TerminalStatus[];

  @ApiPropertyOptional({ description: 'Live health, comma-separated (unknown = never reported)', example: 'offline,degraded' })
  @IsOptional()
  @csvList
  @ArrayMaxSize(HEALTH_STATES.length)
  @IsIn(HEALTH_STATES, { each: true })
  health?: HealthState[];

  @ApiPropertyOptional() @IsOptional() @toNumber @IsInt() @Min(1) modelId?: number;
  @ApiPropertyOptional() @IsOptional() @toNumber @IsInt() @Min(1) supplierId?: number;
  @ApiPropertyOptional({ description: 'Includes sub-regions' }) @IsOptional() @toNumber @IsInt() @Min(1) regionId?: number;
  @ApiPropertyOptional() @IsOptional() @toNumber @IsInt() @Min(1) merchantId?: number;
  @ApiPropertyOptional() @IsOptional() @toNumber @IsInt() @Min(1) insurancePolicyId?: number;

  @ApiPropertyOptional({ enum: TERMINAL_CATEGORIES })
  @IsOptional()
  @IsIn(TERMINAL_CATEGORIES)
  category?: TerminalCategory;

  @ApiPropertyOptional({ description: 'Warranty ends between today and today + N days' })
  @IsOptional()
  @toNumber
  @IsInt()
  @Min(0)
  @Max(3650)
  warrantyEndingWithinDays?: number;

  @ApiPropertyOptional({ description: 'Start of an asset number or serial, or part of a merchant name' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  q?: string;

  @ApiPropertyOptional({ enum: TERMINAL_SORT_FIELDS, default: 'assetNumber' })
  @IsOptional()
  @IsIn(TERMINAL_SORT_FIELDS)
  sort?: TerminalSortField;

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order?: SortDirection;
}

/** The list filters without paging, for the CSV export. */
export class ExportTerminalsQueryDto extends OmitType(ListTerminalsQueryDto, ['page', 'pageSize'] as const) {}
