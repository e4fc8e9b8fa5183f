/** The one exception type of the domain: a stable code (from @fleet/shared), a message and details. */
import { ERROR_STATUS, type ErrorCode, type FieldError } from '@fleet/shared';

export class DomainException extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: { fields?: FieldError[] } & Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainException';
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  /** A 400 naming one invalid field. */
  static invalidField(field: string, code: string, message: string): DomainException {
    return new DomainException('VALIDATION_FAILED', `Invalid input: ${field}: ${message}`, {
      fields: [{ field, code, message }],
    });
  }
}
