import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsIn, IsInt, IsNumber, IsOptional, Matches, Max, Min } from 'class-validator';
import {
  COST_GROUPS,
  FAILURE_RATE_GROUPS,
  REPAIR_TIME_GROUPS,
  TERMINAL_CATEGORIES,
  type AnalyticsQuery,
  type CostGroup,
  type FailureRateGroup,
  type ModelComparisonQuery,
  type RepairOrReplaceQuery,
  type RepairTimeGroup,
  type SpareSizingQuery,
  type TerminalCategory,
  type YearMonth,
} from '@fleet/shared';
import { OneOf } from '../common/dto-rules';

const toNumber = Type(() => Number);
const idList = Transform(({ value }) => (typeof value === 'string' ? value.split(',').map((v) => (v.trim() === '' ? Number.NaN : Number(v))) : value));
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export class AnalyticsQueryDto implements AnalyticsQuery {
  @ApiPropertyOptional({ description: 'First month of the period, YYYY-MM (default: 11 months before `to`)', example: '2026-01' })
  @IsOptional()
  @Matches(MONTH, { message: 'from must be a month as YYYY-MM' })
  from?: YearMonth;

  @ApiPropertyOptional({ description: 'Last month of the period, included, YYYY-MM (default: the current month, counted up to the rollups’ asOf)', example: '2026-12' })
  @IsOptional()
  @Matches(MONTH, { message: 'to must be a month as YYYY-MM' })
  to?: YearMonth;

  @ApiPropertyOptional({ description: 'The region and its sub-regions' }) @IsOptional() @toNumber @IsInt() @Min(1) regionId?: number;
  @ApiPropertyOptional() @IsOptional() @toNumber @IsInt() @Min(1) modelId?: number;
  @ApiPropertyOptional() @IsOptional() @toNumber @IsInt() @Min(1) supplierId?: number;
  @ApiPropertyOptional({ enum: TERMINAL_CATEGORIES }) @IsOptional() @IsIn(TERMINAL_CATEGORIES) category?: TerminalCategory;
}

export class FailureRateQueryDto extends AnalyticsQueryDto {
  @OneOf(FAILURE_RATE_GROUPS, true) groupBy: FailureRateGroup;
}

export class RepairTimeQueryDto extends AnalyticsQueryDto {
  @OneOf(REPAIR_TIME_GROUPS, true) groupBy: RepairTimeGroup;
}

export class CostQueryDto extends AnalyticsQueryDto {
  @OneOf(COST_GROUPS, true) groupBy: CostGroup;
}

export class ModelsQueryDto extends AnalyticsQueryDto {
  @ApiPropertyOptional({ description: 'Model ids, comma-separated (default: every model)', example: '1,2,3' })
  @IsOptional()
  @idList
  @ArrayMaxSize(50)
  @IsInt({ each: true, message: 'modelIds must be model ids, comma-separated' })
  @Min(1, { each: true, message: 'modelIds must be model ids, comma-separated' })
  modelIds?: number[];
}

export class ModelComparisonQueryDto extends AnalyticsQueryDto implements Omit<ModelComparisonQuery, 'modelId'> {
  @ApiProperty({ description: 'Two to five model ids, comma-separated', example: '1,2,3' })
  @idList
  @ArrayMinSize(2, { message: 'modelIds must name 2 to 5 models' })
  @ArrayMaxSize(5, { message: 'modelIds must name 2 to 5 models' })
  @IsInt({ each: true, message: 'modelIds must be model ids, comma-separated' })
  @Min(1, { each: true, message: 'modelIds must be model ids, comma-separated' })
  modelIds: number[];
}

export class SpareSizingQueryDto extends AnalyticsQueryDto implements SpareSizingQuery {
  @ApiPropertyOptional({ description: 'Chance that the spares on hand cover the demand during one turnaround (default 0.95)', example: 0.95 })
  @IsOptional()
  @toNumber
  @IsNumber()
  @Min(0.5)
  @Max(0.999)
  serviceLevel?: number;

  @ApiPropertyOptional({ description: 'Days a failed unit is away (default: the measured median repair time of the region’s tickets)' })
  @IsOptional()
  @toNumber
  @IsNumber()
  @Min(0.5)
  @Max(365)
  turnaroundDays?: number;
}

export class RepairOrReplaceQueryDto implements RepairOrReplaceQuery {
  @ApiPropertyOptional({ description: 'The repair quote (default: the open ticket’s quote, if any)' }) @IsOptional() @toNumber @IsNumber() @Min(0) @Max(1e9) repairQuote?: number;
  @ApiPropertyOptional({ description: 'The price of a new unit (default: the model’s list price)' }) @IsOptional() @toNumber @IsNumber() @Min(0) @Max(1e9) replacementPrice?: number;
}
