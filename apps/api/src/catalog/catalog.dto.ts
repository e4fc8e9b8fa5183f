import { ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsEmail, IsOptional, ValidateIf } from 'class-validator';
import {
  TERMINAL_CATEGORIES,
  type CreateModelRequest,
  type CreateSupplierRequest,
  type TerminalCategory,
  type UpdateModelRequest,
  type UpdateSupplierRequest,
} from '@fleet/shared';
import { CalendarDate, Currency, Money, OneOf, OptionalInt, OptionalText, RequiredText, Version } from '../common/dto-rules';

export class CreateModelDto implements CreateModelRequest {
  @RequiredText(120, 'Model name, unique, e.g. PAX A920')
  name: string;

  @RequiredText(120)
  manufacturer: string;

  @OneOf(TERMINAL_CATEGORIES, true)
  category: TerminalCategory;

  @OptionalText(4000)
  spec?: string | null;

  @Money()
  listPrice?: number | null;

  @Currency()
  currency?: string;

  @OptionalInt(0, 120)
  defaultWarrantyMonths?: number;

  @CalendarDate({ description: 'When the manufacturer stops supporting the model' })
  endOfLifeDate?: string | null;
}

export class UpdateModelDto extends PartialType(CreateModelDto) implements UpdateModelRequest {
  @Version()
  version?: number;
}

export class CreateSupplierDto implements CreateSupplierRequest {
  @RequiredText(120, 'Supplier name, unique')
  name: string;

  @OptionalText(120)
  contactName?: string | null;

  @OptionalText(40)
  contactPhone?: string | null;

  @ApiPropertyOptional({ format: 'email', nullable: true })
  @IsOptional()
  @ValidateIf((_o, value) => value !== null)
  @IsEmail({}, { message: 'contactEmail must be an email address' })
  contactEmail?: string | null;

  @OptionalInt(1, 24 * 90)
  supportResponseHours?: number | null;

  @OptionalText(4000)
  supportSla?: string | null;
}

export class UpdateSupplierDto extends PartialType(CreateSupplierDto) implements UpdateSupplierRequest {
  @Version()
  version?: number;
}
