import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, Max, Min } from 'class-validator';
import { FLEET_HEALTH_GROUPS, FLEET_HISTORY_HOURS_MAX, SERIES_RESOLUTIONS, type FleetHealthGroupBy, type SeriesResolution } from '@fleet/shared';
import { PageQueryDto } from '../common/api-dtos';

const Instant = (description: string) => applyDecorators(ApiPropertyOptional({ format: 'date-time', description }), IsOptional(), IsISO8601({ strict: true }));

export class TimeRangeQueryDto extends PageQueryDto {
  @Instant('From (inclusive); default: the beginning')
  from?: string;

  @Instant('To (exclusive); default: now')
  to?: string;
}

export class SeriesQueryDto {
  @Instant('From (inclusive); default: 24 hours before `to`')
  from?: string;

  @Instant('To (exclusive); default: now')
  to?: string;

  @ApiPropertyOptional({ enum: ['auto', ...SERIES_RESOLUTIONS], default: 'auto', description: 'auto: raw up to 2 days, hourly up to 90 days, daily beyond' })
  @IsOptional()
  @IsIn(['auto', ...SERIES_RESOLUTIONS])
  resolution?: SeriesResolution | 'auto';
}

export class FleetHealthQueryDto {
  @ApiPropertyOptional({ enum: FLEET_HEALTH_GROUPS, description: 'Also count by region (with sub-regions), model or supplier' })
  @IsOptional()
  @IsIn(FLEET_HEALTH_GROUPS)
  groupBy?: FleetHealthGroupBy;
}

export class FleetHistoryQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: FLEET_HISTORY_HOURS_MAX, default: 24, description: 'Hours back from now' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(FLEET_HISTORY_HOURS_MAX)
  hours?: number;
}
