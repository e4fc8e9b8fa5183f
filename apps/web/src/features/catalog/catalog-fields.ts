/** What the catalog page shows and edits for each kind of record. */
import { TERMINAL_CATEGORIES } from '@fleet/shared';
import type { CatalogKind } from '../../api/resources';

export type FieldKind = 'text' | 'number' | 'date' | 'category' | 'region' | 'longtext';
export interface CatalogField {
  name: string;
  kind: FieldKind;
  required?: boolean;
  /** Only when creating (e.g. a region's code, which never changes). */
  createOnly?: boolean;
}

export const CATEGORY_OPTIONS = TERMINAL_CATEGORIES;

export const CATALOG_FIELDS: Record<CatalogKind, { columns: string[]; fields: CatalogField[]; permission: 'catalog:write' | 'regions:write' | 'merchants:write' | 'policies:write' }> = {
  models: {
    permission: 'catalog:write',
    columns: ['name', 'manufacturer', 'category', 'listPrice', 'defaultWarrantyMonths', 'endOfLifeDate', 'terminalCount'],
    fields: [
      { name: 'name', kind: 'text', required: true },
      { name: 'manufacturer', kind: 'text', required: true },
      { name: 'category', kind: 'category', required: true },
      { name: 'listPrice', kind: 'number' },
      { name: 'defaultWarrantyMonths', kind: 'number' },
      { name: 'endOfLifeDate', kind: 'date' },
      { name: 'spec', kind: 'longtext' },
    ],
  },
  suppliers: {
    permission: 'catalog:write',
    columns: ['name', 'contactName', 'contactPhone', 'contactEmail', 'supportResponseHours', 'terminalCount'],
    fields: [
      { name: 'name', kind: 'text', required: true },
      { name: 'contactName', kind: 'text' },
      { name: 'contactPhone', kind: 'text' },
      { name: 'contactEmail', kind: 'text' },
      { name: 'supportResponseHours', kind: 'number' },
      { name: 'supportSla', kind: 'longtext' },
    ],
  },
  regions: {
    permission: 'regions:write',
    columns: ['code', 'name', 'terminalCount'],
    fields: [
      { name: 'code', kind: 'text', required: true, createOnly: true },
      { name: 'name', kind: 'text', required: true },
      { name: 'parentId', kind: 'region' },
    ],
  },
  merchants: {
    permission: 'merchants:write',
    columns: ['name', 'region', 'address', 'contactName', 'contactPhone', 'terminalCount'],
    fields: [
      { name: 'name', kind: 'text', required: true },
      { name: 'regionId', kind: 'region', required: true },
      { name: 'address', kind: 'text' },
      { name: 'contactName', kind: 'text' },
      { name: 'contactPhone', kind: 'text' },
    ],
  },
  'insurance-policies': {
    permission: 'policies:write',
    columns: ['insurer', 'policyNumber', 'startDate', 'endDate', 'deductible', 'premium', 'terminalCount'],
    fields: [
      { name: 'insurer', kind: 'text', required: true },
      { name: 'policyNumber', kind: 'text', required: true },
      { name: 'startDate', kind: 'date', required: true },
      { name: 'endDate', kind: 'date', required: true },
      { name: 'deductible', kind: 'number' },
      { name: 'premium', kind: 'number' },
      { name: 'coverage', kind: 'longtext' },
    ],
  },
};

/** Form values as the API wants them: numbers as numbers, empty as null (or absent when creating). */
export function toRequestBody(fields: CatalogField[], values: Record<string, string>, creating: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of fields) {
    if (field.createOnly && !creating) continue;
    const raw = (values[field.name] ?? '').trim();
    if (raw === '') {
      if (!creating) body[field.name] = null;
      continue;
    }
    body[field.name] = field.kind === 'number' || field.kind === 'region' ? Number(raw) : raw;
  }
  return body;
}
