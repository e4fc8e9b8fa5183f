/** Small helpers the services and response mappers share. */
import type { ErrorCode } from '@fleet/shared';
import { DomainException } from './domain.exception';

export function timestamps(record: { version: number; createdAt: Date; updatedAt: Date }) {
  return { version: record.version, createdAt: record.createdAt.toISOString(), updatedAt: record.updatedAt.toISOString() };
}

/** A 409 for a value that must be unique, naming the field. */
export function duplicateField(code: ErrorCode, field: string, value: string): DomainException {
  return new DomainException(code, `${field} ${JSON.stringify(value)} is already used`, {
    fields: [{ field, code: 'duplicate', message: `${field} is already used` }],
  });
}

/** A 404 for a missing record, naming the request field that referred to it. */
export function missingReference(code: ErrorCode, field: string, id: number | string): DomainException {
  return new DomainException(code, `${field}: no record ${JSON.stringify(id)}`, {
    fields: [{ field, code: 'notFound', message: `${field} refers to no existing record` }],
  });
}

/** The fields a request actually carried (DTO instances hold absent fields as undefined). */
export function presentFields<T extends object>(request: T): Partial<T> {
  return Object.fromEntries(Object.entries(request).filter(([, value]) => value !== undefined)) as Partial<T>;
}
