/** A terminal as a CSV record: the same columns the import reads, every cell neutralised. */
import { neutralizeCsvCell, TERMINAL_CSV_COLUMNS, type TerminalCsvColumn } from '@fleet/shared';
import type { TerminalEntity } from './terminal.entity';

export function toCsvRecord(t: TerminalEntity): string[] {
  const record: Record<TerminalCsvColumn, string | number | null> = {
    assetNumber: t.assetNumber,
    serialNumber: t.serialNumber,
    model: t.model?.name ?? null,
    supplier: t.supplier?.name ?? null,
    category: t.category,
    regionCode: t.region?.code ?? null,
    merchant: t.merchant?.name ?? null,
    custodian: t.custodian,
    status: t.status,
    purchaseDate: t.purchaseDate,
    purchasePrice: t.purchasePrice,
    currency: t.currency,
    batch: t.batch,
    firmwareVersion: t.firmwareVersion,
    appVersion: t.appVersion,
    warrantyStart: t.warrantyStart,
    warrantyEnd: t.warrantyEnd,
    warrantyTerms: t.warrantyTerms,
    warrantyProvider: t.warrantyProvider,
    insurancePolicy: t.insurancePolicy?.policyNumber ?? null,
    notes: t.notes,
  };
  return TERMINAL_CSV_COLUMNS.map((column) => {
    const value = record[column];
    return value === null ? '' : neutralizeCsvCell(String(value));
  });
}
