/**
 * Validation rules used by many DTOs, so a field means the same everywhere:
 * trimmed text with a length cap, calendar dates, money, currency codes.
 */
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { CURRENCY_PATTERN, MAX_PRICE } from '@fleet/shared';

const trim = Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
/** Optional and nullable: absent leaves the field alone, null clears it. */
const optionalNullable = ValidateIf((_object, value) => value !== undefined && value !== null);

const DATE_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export function isCalendarDate(value: string): boolean {
  if (!DATE_PATTERN.test(value)) return false;
  return new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;
}

export const RequiredText = (max: number, description?: string) =>
  applyDecorators(ApiProperty({ maxLength: max, description }), trim, IsString(), MinLength(1), MaxLength(max));

export const OptionalText = (max: number, description?: string) =>
  applyDecorators(ApiPropertyOptional({ maxLength: max, nullable: true, description }), IsOptional(), trim, optionalNullable, IsString(), MaxLength(max));

export const CalendarDate = (options: { required?: boolean; description?: string } = {}) =>
  applyDecorators(
    options.required ? ApiProperty({ format: 'date', example: '2026-01-31', description: options.description }) : ApiPropertyOptional({ format: 'date', nullable: true, description: options.description }),
    ...(options.required ? [] : [IsOptional(), optionalNullable]),
    IsString(),
    Matches(DATE_PATTERN, { message: '$property must be a date YYYY-MM-DD' }),
    IsISO8601({ strict: true }, { message: '$property must be a real calendar date' }),
  );

export const Money = () =>
  applyDecorators(
    ApiPropertyOptional({ minimum: 0, maximum: MAX_PRICE, nullable: true }),
    IsOptional(),
    optionalNullable,
    IsNumber({ maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false }),
    Min(0),
    Max(MAX_PRICE),
  );

export const Currency = () =>
  applyDecorators(ApiPropertyOptional({ example: 'CNY', pattern: CURRENCY_PATTERN.source }), IsOptional(), IsString(), Matches(CURRENCY_PATTERN, { message: '$property must be an ISO 4217 code such as CNY' }));

export const OptionalReference = (description: string) =>
  applyDecorators(ApiPropertyOptional({ nullable: true, description }), IsOptional(), optionalNullable, IsInt(), Min(1));

export const RequiredReference = (description: string) => applyDecorators(ApiProperty({ description }), IsInt(), Min(1));

export const OneOf = <T extends string>(values: readonly T[], required: boolean) =>
  applyDecorators(required ? ApiProperty({ enum: values }) : ApiPropertyOptional({ enum: values }), ...(required ? [] : [IsOptional()]), IsIn(values));

export const Version = () =>
  applyDecorators(ApiPropertyOptional({ description: 'The version the change is based on; or send If-Match' }), IsOptional(), IsInt(), Min(1));

export const OptionalInt = (min: number, max: number) =>
  applyDecorators(ApiPropertyOptional({ minimum: min, maximum: max, nullable: true }), IsOptional(), optionalNullable, IsInt(), Min(min), Max(max));
