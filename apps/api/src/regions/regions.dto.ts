import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';
import {
  REGION_CODE_PATTERN,
  type CreateMerchantRequest,
  type CreateRegionRequest,
  type ListMerchantsQuery,
  type UpdateMerchantRequest,
  type UpdateRegionRequest,
} from '@fleet/shared';
import { PageQueryDto } from '../common/api-dtos';
import { OptionalReference, OptionalText, RequiredReference, RequiredText, Version } from '../common/dto-rules';

export class CreateRegionDto implements CreateRegionRequest {
  @ApiProperty({ pattern: REGION_CODE_PATTERN.source, example: 'BJ', description: 'Part of every asset number in the region; cannot change' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @IsString()
  @Matches(REGION_CODE_PATTERN, { message: 'code must be 2-8 upper-case letters or digits, starting with a letter' })
  code: string;

  @RequiredText(120)
  name: string;

  @OptionalReference('The parent region; none for a top-level region')
  parentId?: number | null;
}

export class UpdateRegionDto extends PartialType(OmitType(CreateRegionDto, ['code'] as const)) implements UpdateRegionRequest {
  @Version()
  version?: number;
}

export class CreateMerchantDto implements CreateMerchantRequest {
  @RequiredText(200)
  name: string;

  @RequiredReference('The region or branch the merchant belongs to')
  regionId: number;

  @OptionalText(300)
  address?: string | null;

  @OptionalText(120)
  contactName?: string | null;

  @OptionalText(40)
  contactPhone?: string | null;
}

export class UpdateMerchantDto extends PartialType(CreateMerchantDto) implements UpdateMerchantRequest {
  @Version()
  version?: number;
}

export class ListMerchantsQueryDto extends PageQueryDto implements ListMerchantsQuery {
  @ApiPropertyOptional({ description: 'Includes sub-regions' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  regionId?: number;

  @ApiPropertyOptional({ description: 'Part of the name' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}
