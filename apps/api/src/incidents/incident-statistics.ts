/**
 * The figures of the common-faults table (常见故障处理汇总表) and of the
 * service-level report, as plain functions over the few ticket columns they
 * read: what counts as a fix and as fixed the first time, medians, and the
 * per-group tallies. The queries that feed them are in the insights repository.
 */
import {
  SLA_MEASURES,
  slaTimers,
  type CommonFaultResponse,
  type FaultCause,
  type FaultType,
  type IncidentPriority,
  type IncidentResolution,
  type IncidentStage,
  type IncidentSymptom,
  type RepairDecision,
  type ServiceLevelGroup,
  type ServiceLevelRow,
  type SlaMeasure,
} from '@fleet/shared';

/** Resolutions that follow a fix; the others (no fault found, duplicate, cancelled) teach nothing about fixing. */
export const FIX_RESOLUTIONS = ['fixed_on_first_response', 'repaired', 'replaced'] as const satisfies readonly IncidentResolution[];

export type Fix = CommonFaultResponse['fix'];

const HOUR = 3_600_000;

/** A fix on first response is its own kind of fix; otherwise the repair decision says how the unit came back. */
export function fixOf(resolution: IncidentResolution | null, decision: RepairDecision | null): Fix | null {
  if (resolution === 'fixed_on_first_response') return 'first_response';
  return resolution !== null && (FIX_RESOLUTIONS as readonly IncidentResolution[]).includes(resolution) ? decision : null;
}

/** Fixed the first time: never reopened and no failed test before the one that passed. */
export function isFirstTimeFix(ticket: { reopenCount: number; testAttempts: number }): boolean {
  return ticket.reopenCount === 0 && ticket.testAttempts <= 1;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function roundTo(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** part / whole to four decimals; null when there is nothing to measure. */
export function share(part: number, whole: number): number | null {
  return whole === 0 ? null : roundTo(part / whole, 4);
}

function hours(from: Date, to: Date): number {
  return (to.getTime() - from.getTime()) / HOUR;
}

function medianHours(values: readonly number[]): number | null {
  const value = median(values);
  return value === null ? null : roundTo(value, 2);
}

// ---- common faults

/** What a row of the common-faults table is grouped by. */
export interface CommonFaultKey {
  symptom: IncidentSymptom;
  modelId: number;
  errorCode: string | null;
  firmwareVersion: string | null;
  faultType: FaultType | null;
  cause: FaultCause | null;
  fix: Fix;
}

/** A closed, fixed ticket as the common-faults table reads it. */
export interface CommonFaultTicket extends CommonFaultKey {
  id: number;
  modelName: string;
  reportedAt: Date;
  resolvedAt: Date | null;
  closedAt: Date;
  reopenCount: number;
  testAttempts: number;
  resolutionNote: string | null;
}

export function commonFaultKey(key: CommonFaultKey): string {
  return JSON.stringify([key.symptom, key.modelId, key.errorCode, key.firmwareVersion, key.faultType, key.cause, key.fix]);
}

/** One row from the tickets of its group (at least one). */
export function summariseCommonFault(tickets: readonly CommonFaultTicket[]): CommonFaultResponse {
  const latest = tickets.reduce((a, b) => (b.closedAt.getTime() > a.closedAt.getTime() || (b.closedAt.getTime() === a.closedAt.getTime() && b.id > a.id) ? b : a));
  const repairs = tickets.flatMap((ticket) => (ticket.resolvedAt ? [hours(ticket.reportedAt, ticket.resolvedAt)] : []));
  return {
    symptom: latest.symptom,
    model: { id: latest.modelId, name: latest.modelName },
    errorCode: latest.errorCode,
    firmwareVersion: latest.firmwareVersion,
    faultType: latest.faultType,
    cause: latest.cause,
    fix: latest.fix,
    tickets: tickets.length,
    firstTimeFixRate: share(tickets.filter(isFirstTimeFix).length, tickets.length) ?? 0,
    medianRepairHours: medianHours(repairs),
    lastNote: latest.resolutionNote,
    lastClosedAt: latest.closedAt.toISOString(),
  };
}

// ---- service levels

/** A ticket reported in the window, as the service-level report reads it. */
export interface ServiceLevelTicket {
  priority: IncidentPriority;
  stage: IncidentStage;
  resolution: IncidentResolution | null;
  reportedAt: Date;
  respondedAt: Date | null;
  restoredAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  reopenCount: number;
  testAttempts: number;
  rating: number | null;
  assigneeId: number | null;
  assigneeName: string | null;
  repairVendor: string | null;
  regionId: number;
  regionName: string;
}

export const UNASSIGNED = 'unassigned';

/** The row a ticket counts in; null when it has none (no repair vendor). */
export function serviceLevelGroupOf(groupBy: ServiceLevelGroup, ticket: ServiceLevelTicket): { key: string; label: string } | null {
  switch (groupBy) {
    case 'technician':
      return ticket.assigneeId === null ? { key: UNASSIGNED, label: 'Unassigned' } : { key: String(ticket.assigneeId), label: ticket.assigneeName ?? '' };
    case 'vendor':
      return ticket.repairVendor === null ? null : { key: ticket.repairVendor, label: ticket.repairVendor };
    case 'region':
      return { key: String(ticket.regionId), label: ticket.regionName };
  }
}

/** The running totals of one row of the service-level report. */
export class ServiceLevelTally {
  private tickets = 0;
  private closed = 0;
  private readonly measures = Object.fromEntries(SLA_MEASURES.map((measure) => [measure, { judged: 0, met: 0, hours: [] as number[] }])) as Record<
    SlaMeasure,
    { judged: number; met: number; hours: number[] }
  >;
  private fixes = 0;
  private firstTimeFixes = 0;
  private reopened = 0;
  private ratings = 0;
  private ratingSum = 0;

  constructor(
    readonly key: string,
    readonly label: string,
  ) {}

  /**
   * A measure is judged once it is met or its clock is past the target (a
   * clock still inside its target, or stopped inside it by a close that needed
   * no repair, is not judged yet); it is met when reached within the target.
   */
  add(ticket: ServiceLevelTicket, now: Date): void {
    this.tickets += 1;
    const timers = slaTimers(
      { priority: ticket.priority, reportedAt: ticket.reportedAt, respondedAt: ticket.respondedAt, restoredAt: ticket.restoredAt, repairedAt: ticket.resolvedAt, closedAt: ticket.closedAt },
      now,
    );
    for (const timer of timers) {
      const tally = this.measures[timer.measure];
      if (timer.metAt) {
        tally.judged += 1;
        if (!timer.breached) tally.met += 1;
        tally.hours.push(hours(ticket.reportedAt, new Date(timer.metAt)));
      } else if (timer.breached) {
        tally.judged += 1;
      }
    }
    if (ticket.rating !== null) {
      this.ratings += 1;
      this.ratingSum += ticket.rating;
    }
    if (ticket.stage !== 'closed') return;
    this.closed += 1;
    if (ticket.reopenCount > 0) this.reopened += 1;
    if (ticket.resolution !== null && (FIX_RESOLUTIONS as readonly IncidentResolution[]).includes(ticket.resolution)) {
      this.fixes += 1;
      if (isFirstTimeFix(ticket)) this.firstTimeFixes += 1;
    }
  }

  toRow(): ServiceLevelRow {
    const measure = (name: SlaMeasure) => ({ metRate: share(this.measures[name].met, this.measures[name].judged), medianHours: medianHours(this.measures[name].hours) });
    return {
      key: this.key,
      label: this.label,
      tickets: this.tickets,
      closed: this.closed,
      respond: measure('respond'),
      restore: measure('restore'),
      repair: measure('repair'),
      firstTimeFixRate: share(this.firstTimeFixes, this.fixes),
      reopenRate: share(this.reopened, this.closed),
      averageRating: this.ratings === 0 ? null : roundTo(this.ratingSum / this.ratings, 2),
    };
  }
}
