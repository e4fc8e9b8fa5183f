/**
 * Reading an uploaded terminal CSV: text decoding (UTF-8, or GB18030 as
 * Chinese spreadsheet programs save it), header checks, and one record per row.
 */
import { parse } from 'csv-parse/sync';
import { TERMINAL_CSV_COLUMNS, type TerminalCsvColumn } from '@fleet/shared';
import { DomainException } from '../common/domain.exception';

export const MAX_IMPORT_ROWS = 200_000;

export type CsvRecord = Partial<Record<TerminalCsvColumn, string>>;

export function decodeCsv(bytes: Buffer): string {
  for (const encoding of ['utf-8', 'gb18030']) {
    try {
      return new TextDecoder(encoding, { fatal: true, ignoreBOM: false }).decode(bytes);
    } catch {
      // try the next encoding
    }
  }
  throw DomainException.invalidField('file', 'encoding', 'file must be text in UTF-8 or GB18030');
}

/** Parses the CSV text; a malformed file or unknown column is refused as a whole, naming the problem. */
export function parseTerminalCsv(text: string): CsvRecord[] {
  let rows: string[][];
  try {
    rows = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: false, trim: true });
  } catch (error) {
    throw DomainException.invalidField('file', 'malformedCsv', `file is not valid CSV: ${(error as Error).message.slice(0, 200)}`);
  }
  const [header, ...data] = rows;
  if (!header || header.length === 0) throw DomainException.invalidField('file', 'empty', 'file has no header row');
  const known = new Set<string>(TERMINAL_CSV_COLUMNS);
  const unknown = header.filter((column) => !known.has(column));
  if (unknown.length > 0) {
    throw DomainException.invalidField('file', 'unknownColumn', `unknown column(s): ${unknown.join(', ')}; allowed: ${TERMINAL_CSV_COLUMNS.join(', ')}`);
  }
  if (new Set(header).size !== header.length) throw DomainException.invalidField('file', 'duplicateColumn', 'a column appears twice in the header');
  if (!header.includes('serialNumber') && !header.includes('assetNumber')) {
    throw DomainException.invalidField('file', 'missingColumn', 'the header needs serialNumber (new terminals) or assetNumber (updates)');
  }
  if (data.length === 0) throw DomainException.invalidField('file', 'empty', 'file has no data rows');
  if (data.length > MAX_IMPORT_ROWS) throw DomainException.invalidField('file', 'tooManyRows', `at most ${MAX_IMPORT_ROWS} rows per file`);
  return data.map((row) => {
    const record: CsvRecord = {};
    header.forEach((column, index) => {
      const value = row[index];
      if (value !== undefined && value !== '') record[column as TerminalCsvColumn] = value;
    });
    return record;
  });
}
