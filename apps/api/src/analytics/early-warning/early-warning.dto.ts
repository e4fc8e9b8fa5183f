import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Min } from 'class-validator';
import type { EarlyWarningQuery } from '@fleet/shared';
import { PageQueryDto } from '../../common/api-dtos';

export class EarlyWarningQueryDto extends PageQueryDto implements EarlyWarningQuery {
  @ApiPropertyOptional({ description: 'The region and its sub-regions' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  regionId?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  modelId?: number;
}
