/**
 * The rows of the hot path, as the repository writes them. Instants are
 * epoch milliseconds; booleans are kept as booleans and converted per engine.
 */
import type { HealthState, HeartbeatRollup, NetworkType, PrinterState } from '@fleet/shared';

/** What a heartbeat reported, in the columns shared by the raw rows and each terminal's latest values. */
export interface ReportedColumns {
  batteryPct: number | null;
  charging: boolean | null;
  signalDbm: number | null;
  network: NetworkType | null;
  printer: PrinterState | null;
  temperatureC: number | null;
  firmwareVersion: string | null;
  appVersion: string | null;
  lastTransactionAt: number | null;
  transactionCount: number | null;
  printCount: number | null;
  /** Comma-separated; each code matches HEARTBEAT_LIMITS.errorCodePattern, so no comma inside. */
  errorCodes: string | null;
  lat: number | null;
  lon: number | null;
}

export const REPORTED_COLUMNS: readonly (keyof ReportedColumns)[] = [
  'batteryPct',
  'charging',
  'signalDbm',
  'network',
  'printer',
  'temperatureC',
  'firmwareVersion',
  'appVersion',
  'lastTransactionAt',
  'transactionCount',
  'printCount',
  'errorCodes',
  'lat',
  'lon',
];

export interface HeartbeatRow extends ReportedColumns {
  terminalId: number;
  sequence: number;
  sentAt: number;
  receivedAt: number;
  /** Time since the previous heartbeat counted as up (gaps no longer than the offline timeout). */
  upMs: number;
  errorCount: number;
  /** Counter increments since the previous heartbeat. */
  transactions: number;
  prints: number;
}

/** A terminal's persisted health with its newest values. */
export interface HealthRow extends ReportedColumns {
  terminalId: number;
  state: HealthState;
  reasons: number;
  since: number;
  lastSeenAt: number;
  lastSentAt: number;
  lastSequence: number;
  errorStreak: number;
}

/** Only the state part, for a terminal that changed without a new heartbeat (it went offline). */
export type HealthStateRow = Pick<HealthRow, 'terminalId' | 'state' | 'reasons' | 'since' | 'errorStreak'>;

export interface StatusChangeRow {
  terminalId: number;
  from: HealthState;
  to: HealthState;
  reasons: number;
  at: number;
  monitored: boolean;
}

export type RollupRow = HeartbeatRollup;

export const HEARTBEAT_COLUMNS = ['terminal_id', 'sequence', 'sent_at', 'received_at', 'battery_pct', 'charging', 'signal_dbm', 'network', 'printer', 'temperature_c', 'firmware_version', 'app_version', 'last_transaction_at', 'transaction_count', 'print_count', 'error_codes', 'lat', 'lon', 'up_ms', 'error_count', 'transactions', 'prints'] as const;

export function heartbeatValues(row: HeartbeatRow): unknown[] {
  return [row.terminalId, row.sequence, row.sentAt, row.receivedAt, ...reportedValues(row), row.upMs, row.errorCount, row.transactions, row.prints];
}

export const HEALTH_COLUMNS = ['terminal_id', 'state', 'reasons', 'since', 'last_seen_at', 'last_sent_at', 'last_sequence', 'error_streak', 'battery_pct', 'charging', 'signal_dbm', 'network', 'printer', 'temperature_c', 'firmware_version', 'app_version', 'last_transaction_at', 'transaction_count', 'print_count', 'error_codes', 'lat', 'lon'] as const;

export function healthValues(row: HealthRow): unknown[] {
  return [row.terminalId, row.state, row.reasons, row.since, row.lastSeenAt, row.lastSentAt, row.lastSequence, row.errorStreak, ...reportedValues(row)];
}

function reportedValues(row: ReportedColumns): unknown[] {
  return REPORTED_COLUMNS.map((key) => row[key]);
}
