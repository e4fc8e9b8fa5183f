/**
 * The life of alerts (告警), decided as a pure function so every rule behaves
 * the same and the tests stand at any instant: a condition that holds raises
 * one alert per rule and subject (deduplicated); it is repeated while nobody
 * acknowledges it, escalated once if nobody acknowledges it in time, resolved
 * by itself when the condition clears, and not raised at all while the
 * subject is suppressed (a maintenance window, a lifecycle state).
 */
export const ALERT_RULE_KINDS = [
  'terminal_offline',
  'terminal_degraded',
  'battery_low',
  'paper_out',
  'recurring_error',
  'ticket_sla_breach',
  'maintenance_overdue',
  'warranty_expiring',
  'policy_expiring',
  'spare_pool_low',
] as const;
export type AlertRuleKind = (typeof ALERT_RULE_KINDS)[number];

export const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export const ALERT_STATES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export const ALERT_SUBJECT_TYPES = ['terminal', 'incident', 'maintenance_task', 'insurance_policy', 'region'] as const;
export type AlertSubjectType = (typeof ALERT_SUBJECT_TYPES)[number];

/** Why a notification goes out. */
export type AlertNotice = 'raised' | 'repeated' | 'escalated' | 'resolved';

export interface AlertTiming {
  /** Notify again every so many minutes while open and unacknowledged (null: once). */
  repeatMinutes: number | null;
  /** Escalate once when still unacknowledged after so many minutes (null: never). */
  escalateAfterMinutes: number | null;
}

/** A condition found true now, for one subject. */
export interface AlertCondition {
  subjectType: AlertSubjectType;
  subjectId: number;
  /** What makes two conditions the same alert beyond rule and subject (e.g. the expiry window); '' when nothing. */
  variant: string;
  regionId: number | null;
  /** The moment the condition began (offline since, due date...), for the message and ordering. */
  since: Date;
  details: Record<string, unknown>;
}

/** An alert not yet resolved, as stored. */
export interface LiveAlert {
  id: number;
  subjectType: AlertSubjectType;
  subjectId: number;
  variant: string;
  state: Exclude<AlertState, 'resolved'>;
  raisedAt: Date;
  lastNotifiedAt: Date | null;
  escalatedAt: Date | null;
}

export interface AlertPlan {
  raise: AlertCondition[];
  resolve: LiveAlert[];
  notify: { alert: LiveAlert; notice: Exclude<AlertNotice, 'raised' | 'resolved'> }[];
}

export function alertKey(subject: { subjectType: AlertSubjectType; subjectId: number; variant: string }): string {
  return `${subject.subjectType}:${subject.subjectId}:${subject.variant}`;
}

const MINUTE = 60_000;

/**
 * What to do for one rule at `now`, given the conditions that hold (already
 * without the suppressed subjects) and the rule's alerts not yet resolved.
 */
export function planAlerts(conditions: readonly AlertCondition[], live: readonly LiveAlert[], timing: AlertTiming, now: Date): AlertPlan {
  const holding = new Map(conditions.map((condition) => [alertKey(condition), condition]));
  const existing = new Map(live.map((alert) => [alertKey(alert), alert]));
  const plan: AlertPlan = { raise: [], resolve: [], notify: [] };
  for (const [key, condition] of holding) if (!existing.has(key)) plan.raise.push(condition);
  for (const [key, alert] of existing) {
    if (!holding.has(key)) {
      plan.resolve.push(alert);
      continue;
    }
    if (alert.state !== 'open') continue;
    const age = now.getTime() - alert.raisedAt.getTime();
    if (timing.escalateAfterMinutes !== null && !alert.escalatedAt && age >= timing.escalateAfterMinutes * MINUTE) {
      plan.notify.push({ alert, notice: 'escalated' });
    } else if (timing.repeatMinutes !== null && now.getTime() - (alert.lastNotifiedAt ?? alert.raisedAt).getTime() >= timing.repeatMinutes * MINUTE) {
      plan.notify.push({ alert, notice: 'repeated' });
    }
  }
  return plan;
}
