/** Before/after of the fields that changed, for the audit log. */
import type { FieldChange } from '@fleet/shared';

type Plain = object;

function normalise(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  return value === undefined ? null : value;
}

export function diffFields(before: Plain | null, after: Plain | null, fields: readonly string[]): Record<string, FieldChange> {
  const changes: Record<string, FieldChange> = {};
  for (const field of fields) {
    const from = normalise((before as Record<string, unknown> | null)?.[field]);
    const to = normalise((after as Record<string, unknown> | null)?.[field]);
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[field] = { from, to };
  }
  return changes;
}
