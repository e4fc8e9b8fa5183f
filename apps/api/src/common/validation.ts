/** The global validation pipe: unknown fields refused, every invalid field named. */
import { ValidationPipe, type ValidationError } from '@nestjs/common';
import type { FieldError } from '@fleet/shared';
import { DomainException } from './domain.exception';

export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const fields: FieldError[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    for (const [code, message] of Object.entries(error.constraints ?? {})) {
      fields.push({ field, code: code === 'whitelistValidation' ? 'unknownField' : code, message });
    }
    if (error.children?.length) fields.push(...flattenValidationErrors(error.children, field));
  }
  return fields;
}

export function validationException(errors: ValidationError[]): DomainException {
  const fields = flattenValidationErrors(errors);
  const summary = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
  return new DomainException('VALIDATION_FAILED', `Invalid input: ${summary}`, { fields });
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: validationException,
  });
}
