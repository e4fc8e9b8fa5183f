/**
 * Service levels of a fault ticket: time to respond (first response or
 * diagnosis), to restore service (the merchant trading again, on a spare or
 * the fixed unit) and to repair (the unit passing its test). Targets are per
 * priority, in calendar hours; the clocks run from the report.
 */
export const INCIDENT_PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
export type IncidentPriority = (typeof INCIDENT_PRIORITIES)[number];

export const SLA_MEASURES = ['respond', 'restore', 'repair'] as const;
export type SlaMeasure = (typeof SLA_MEASURES)[number];

export type SlaTargets = Readonly<Record<IncidentPriority, Readonly<Record<SlaMeasure, number>>>>;

/** Hours, 24/7, as banks commonly contract with their service partners. */
export const DEFAULT_SLA_TARGETS: SlaTargets = {
  urgent: { respond: 1, restore: 4, repair: 48 },
  high: { respond: 4, restore: 12, repair: 120 },
  normal: { respond: 8, restore: 24, repair: 240 },
  low: { respond: 24, restore: 72, repair: 480 },
};

export interface SlaTimer {
  measure: SlaMeasure;
  targetHours: number;
  dueAt: string;
  /** When the measure was met; null while it runs. */
  metAt: string | null;
  /** From the report to metAt, or to now (or to the ticket's close) while it runs. */
  elapsedMinutes: number;
  breached: boolean;
  /** The clock stopped without the measure being met (ticket closed as no fault, duplicate or cancelled). */
  stopped: boolean;
}

export interface SlaInput {
  priority: IncidentPriority;
  reportedAt: Date;
  respondedAt: Date | null;
  restoredAt: Date | null;
  repairedAt: Date | null;
  closedAt: Date | null;
}

const MINUTE = 60_000;

export function slaTimers(input: SlaInput, now: Date, targets: SlaTargets = DEFAULT_SLA_TARGETS): SlaTimer[] {
  const metAt: Record<SlaMeasure, Date | null> = { respond: input.respondedAt, restore: input.restoredAt, repair: input.repairedAt };
  return SLA_MEASURES.map((measure) => {
    const targetHours = targets[input.priority][measure];
    const due = new Date(input.reportedAt.getTime() + targetHours * 60 * MINUTE);
    const met = metAt[measure];
    const stoppedAt = met ?? input.closedAt;
    const end = stoppedAt ?? now;
    return {
      measure,
      targetHours,
      dueAt: due.toISOString(),
      metAt: met ? met.toISOString() : null,
      elapsedMinutes: Math.max(0, Math.round((end.getTime() - input.reportedAt.getTime()) / MINUTE)),
      breached: end.getTime() > due.getTime(),
      stopped: !met && input.closedAt !== null,
    };
  });
}
