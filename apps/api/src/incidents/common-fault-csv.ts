/** A row of the common-faults table as a CSV record, every cell neutralised (a note may start with '=' or '+'). */
import { neutralizeCsvCell, type CommonFaultResponse } from '@fleet/shared';

export const COMMON_FAULT_CSV_COLUMNS = [
  'symptom',
  'model',
  'errorCode',
  'firmwareVersion',
  'faultType',
  'cause',
  'fix',
  'tickets',
  'firstTimeFixRate',
  'medianRepairHours',
  'lastNote',
  'lastClosedAt',
] as const;
export type CommonFaultCsvColumn = (typeof COMMON_FAULT_CSV_COLUMNS)[number];

export function toCommonFaultCsvRecord(fault: CommonFaultResponse): string[] {
  const record: Record<CommonFaultCsvColumn, string | number | null> = {
    symptom: fault.symptom,
    model: fault.model.name,
    errorCode: fault.errorCode,
    firmwareVersion: fault.firmwareVersion,
    faultType: fault.faultType,
    cause: fault.cause,
    fix: fault.fix,
    tickets: fault.tickets,
    firstTimeFixRate: fault.firstTimeFixRate,
    medianRepairHours: fault.medianRepairHours,
    lastNote: fault.lastNote,
    lastClosedAt: fault.lastClosedAt,
  };
  return COMMON_FAULT_CSV_COLUMNS.map((column) => {
    const value = record[column];
    return value === null ? '' : neutralizeCsvCell(String(value));
  });
}
