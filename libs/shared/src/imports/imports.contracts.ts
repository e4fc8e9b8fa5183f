import type { IsoDateTime } from '../terminals/terminals.contracts';

/**
 * CSV columns of the terminal import and export: the export of any list can be
 * edited and imported back. References are by human keys (model name, region
 * code, policy number), never database ids.
 */
export const TERMINAL_CSV_COLUMNS = [
  'assetNumber',
  'serialNumber',
  'model',
  'supplier',
  'category',
  'regionCode',
  'merchant',
  'custodian',
  'status',
  'purchaseDate',
  'purchasePrice',
  'currency',
  'batch',
  'firmwareVersion',
  'appVersion',
  'warrantyStart',
  'warrantyEnd',
  'warrantyTerms',
  'warrantyProvider',
  'insurancePolicy',
  'notes',
] as const;
export type TerminalCsvColumn = (typeof TERMINAL_CSV_COLUMNS)[number];

export const IMPORT_STATUSES = ['validating', 'validated', 'applying', 'applied', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

export interface ImportRowError {
  /** 1-based line of the data row, header excluded. */
  row: number;
  field: string;
  code: string;
  message: string;
}

export interface ImportJobResponse {
  id: number;
  fileName: string;
  status: ImportStatus;
  totalRows: number;
  processedRows: number;
  validRows: number;
  errorRows: number;
  toCreate: number;
  toUpdate: number;
  created: number;
  updated: number;
  /** The first errors, in row order (at most 1,000). */
  errors: ImportRowError[];
  failure: string | null;
  createdBy: string;
  createdAt: IsoDateTime;
  finishedAt: IsoDateTime | null;
}

export interface ApplyImportRequest {
  /** Import the valid rows and skip the rest; otherwise a file with errors writes nothing. */
  onlyValidRows?: boolean;
}

/**
 * A cell that a spreadsheet would run as a formula (`= + - @`, tab or CR first)
 * is prefixed with a quote so an exported list can never execute code.
 */
export function neutralizeCsvCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
