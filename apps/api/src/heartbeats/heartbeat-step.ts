/**
 * One heartbeat applied to one terminal's health, as a pure step: the next
 * snapshot, the derived columns of the stored row, and the status change if
 * the state or its reasons moved. The ingest service runs it for every
 * heartbeat of a batch before anything is written.
 */
import { degradedReasons, reasonsToMask, stateFromReasons, type HealthPolicyValues, type HeartbeatRequest } from '@fleet/shared';
import type { HealthSnapshot } from './fleet-state';
import type { HeartbeatRow, ReportedColumns, StatusChangeRow } from './heartbeat-rows';

export interface StepResult {
  next: HealthSnapshot;
  row: HeartbeatRow;
  /** False for a heartbeat older than the newest one seen (late or replayed): stored, not applied. */
  applied: boolean;
  change: StatusChangeRow | null;
}

function reportedColumns(heartbeat: HeartbeatRequest): ReportedColumns {
  return {
    batteryPct: heartbeat.batteryPct ?? null,
    charging: heartbeat.charging ?? null,
    signalDbm: heartbeat.signalDbm ?? null,
    network: heartbeat.network ?? null,
    printer: heartbeat.printer ?? null,
    temperatureC: heartbeat.temperatureC ?? null,
    firmwareVersion: heartbeat.firmwareVersion ?? null,
    appVersion: heartbeat.appVersion ?? null,
    lastTransactionAt: heartbeat.lastTransactionAt ? Date.parse(heartbeat.lastTransactionAt) : null,
    transactionCount: heartbeat.transactionCount ?? null,
    printCount: heartbeat.printCount ?? null,
    errorCodes: heartbeat.errorCodes && heartbeat.errorCodes.length > 0 ? heartbeat.errorCodes.join(',') : null,
    lat: heartbeat.location?.lat ?? null,
    lon: heartbeat.location?.lon ?? null,
  };
}

/** Increment of a lifetime counter; a smaller value means the device reset it. */
function increment(previous: number, current: number | null | undefined): number {
  if (current === null || current === undefined || previous < 0) return 0;
  return current >= previous ? current - previous : current;
}

export function step(previous: HealthSnapshot, heartbeat: HeartbeatRequest, receivedAtMs: number, policy: HealthPolicyValues, monitored: boolean): StepResult {
  const errorCount = heartbeat.errorCodes?.length ?? 0;
  const base: HeartbeatRow = {
    terminalId: previous.id,
    sequence: heartbeat.sequence,
    sentAt: Date.parse(heartbeat.sentAt),
    receivedAt: receivedAtMs,
    ...reportedColumns(heartbeat),
    upMs: 0,
    errorCount,
    transactions: 0,
    prints: 0,
  };
  if (heartbeat.sequence <= previous.lastSequence) return { next: previous, row: base, applied: false, change: null };

  const gap = previous.lastSeenMs > 0 ? receivedAtMs - previous.lastSeenMs : Infinity;
  const row: HeartbeatRow = {
    ...base,
    upMs: gap <= policy.offlineAfterSeconds * 1000 ? Math.max(0, gap) : 0,
    transactions: increment(previous.transactionCount, heartbeat.transactionCount),
    prints: increment(previous.printCount, heartbeat.printCount),
  };
  const errorStreak = errorCount > 0 ? previous.errorStreak + 1 : 0;
  const reasons = degradedReasons(heartbeat, policy, previous.reasons, errorStreak);
  const mask = reasonsToMask(reasons);
  const state = stateFromReasons(reasons);
  const changed = state !== previous.state || mask !== previous.reasons;
  const next: HealthSnapshot = {
    id: previous.id,
    state,
    reasons: mask,
    sinceMs: changed ? receivedAtMs : previous.sinceMs,
    lastSeenMs: Math.max(receivedAtMs, previous.lastSeenMs),
    lastSequence: heartbeat.sequence,
    errorStreak,
    transactionCount: heartbeat.transactionCount ?? previous.transactionCount,
    printCount: heartbeat.printCount ?? previous.printCount,
  };
  const change: StatusChangeRow | null = changed ? { terminalId: previous.id, from: previous.state, to: state, reasons: mask, at: receivedAtMs, monitored } : null;
  return { next, row, applied: true, change };
}

/** The terminal's deadline passed without a heartbeat. */
export function expire(previous: HealthSnapshot, deadlineMs: number, monitored: boolean): { next: HealthSnapshot; change: StatusChangeRow } {
  return {
    next: { ...previous, state: 'offline', reasons: 0, sinceMs: deadlineMs, errorStreak: 0 },
    change: { terminalId: previous.id, from: previous.state, to: 'offline', reasons: 0, at: deadlineMs, monitored },
  };
}

