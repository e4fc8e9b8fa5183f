/**
 * When a maintenance plan's next task falls due (维护计划/巡检). A plan repeats
 * every N days or months, or every N transactions or prints counted by the
 * terminal's heartbeats, or whichever comes first; on a fixed calendar (from
 * the plan's start, whatever happened) or counted from the last completion.
 * A pure function: the scheduler calls it for each plan and terminal, and the
 * tests run it over a simulated year.
 */
import type { IsoDate } from '../terminals/terminals.contracts';

export const MAINTENANCE_KINDS = ['inspection', 'cleaning', 'battery_check', 'battery_replacement', 'firmware_update'] as const;
export type MaintenanceKind = (typeof MAINTENANCE_KINDS)[number];

export const USAGE_COUNTERS = ['transactions', 'prints'] as const;
export type UsageCounter = (typeof USAGE_COUNTERS)[number];

/** fixed: due on start + k × interval; from_completion: due an interval after the last completion. */
export const SCHEDULE_ANCHORS = ['fixed', 'from_completion'] as const;
export type ScheduleAnchor = (typeof SCHEDULE_ANCHORS)[number];

export const INTERVAL_UNITS = ['days', 'months'] as const;
export type IntervalUnit = (typeof INTERVAL_UNITS)[number];

export interface PlanTrigger {
  startDate: IsoDate;
  anchor: ScheduleAnchor;
  /** Every `interval` `intervalUnit`; null for a usage-only plan. */
  interval: number | null;
  intervalUnit: IntervalUnit;
  /** Every `usageEvery` of `usageCounter`; null for a time-only plan. Both set: whichever comes first. */
  usageCounter: UsageCounter | null;
  usageEvery: number | null;
}

/** Where one terminal stands on one plan. */
export interface PlanProgress {
  /** When the terminal came under the plan (the plan's creation, or the terminal's arrival in its scope). */
  joinedOn: IsoDate;
  /** Due date of the newest task generated for it (fixed calendars continue from there). */
  lastDueDate: IsoDate | null;
  /** When its newest task was completed (from_completion counts from there). */
  lastCompletedOn: IsoDate | null;
  /** The counter's value at the newest completion, or when the terminal joined the plan. */
  usageAtLast: number | null;
  /** The counter's value now (null when the terminal never reported it). */
  usageNow: number | null;
  /** A task is generated and not yet done: no other is generated meanwhile. */
  openTask: boolean;
}

export type DueReason = 'time' | 'usage';

export interface NextDue {
  dueDate: IsoDate;
  reason: DueReason;
}

export const MAX_INTERVAL_DAYS = 3_660;
export const MAX_INTERVAL_MONTHS = 120;

export function addDaysTo(date: IsoDate, days: number): IsoDate {
  const value = new Date(`${date}T00:00:00Z`);
  value.setUTCDate(value.getUTCDate() + days);
  return value.toISOString().slice(0, 10);
}

/** Calendar months, clamped to the month's end (Jan 31 + 1 month = Feb 28/29), always from the anchor so the day never drifts. */
export function addMonthsTo(date: IsoDate, months: number): IsoDate {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.toISOString().slice(0, 10);
}

function step(trigger: PlanTrigger, from: IsoDate, count: number): IsoDate {
  return trigger.intervalUnit === 'months' ? addMonthsTo(from, trigger.interval! * count) : addDaysTo(from, trigger.interval! * count);
}

/**
 * The next calendar due date of a time trigger, or null for a usage-only plan.
 * Fixed: the first point of start + k × interval after the newest generated
 * one (for a newcomer, the first on or after the day it joined). From
 * completion: an interval after the newest completion, or after the day the
 * terminal joined (never before the plan's start).
 */
function timeDue(trigger: PlanTrigger, progress: PlanProgress): IsoDate | null {
  if (trigger.interval === null) return null;
  if (trigger.anchor === 'from_completion') {
    const base = progress.lastCompletedOn ?? (progress.joinedOn > trigger.startDate ? progress.joinedOn : trigger.startDate);
    return step(trigger, base, 1);
  }
  let k = 0;
  let due = trigger.startDate;
  const after = progress.lastDueDate;
  while (after ? due <= after : due < progress.joinedOn) due = step(trigger, trigger.startDate, ++k);
  return due;
}

/**
 * The next task of a terminal on a plan: its due date and what made it due,
 * or null while a task is open or nothing is due yet (a usage threshold not
 * reached). Usage makes a task due on the day the threshold is reached.
 */
export function nextDue(trigger: PlanTrigger, progress: PlanProgress, today: IsoDate): NextDue | null {
  if (progress.openTask) return null;
  const byTime = timeDue(trigger, progress);
  let byUsage: IsoDate | null = null;
  if (trigger.usageCounter && trigger.usageEvery && progress.usageNow !== null) {
    const used = progress.usageNow - (progress.usageAtLast ?? 0);
    if (used >= trigger.usageEvery) byUsage = today;
  }
  if (byUsage && (!byTime || byUsage < byTime)) return { dueDate: byUsage, reason: 'usage' };
  return byTime ? { dueDate: byTime, reason: 'time' } : null;
}

/** Why a trigger is impossible, or null. Field names match the plan request. */
export function triggerProblem(trigger: PlanTrigger): { field: string; code: string; message: string } | null {
  if (trigger.interval === null && (trigger.usageCounter === null || trigger.usageEvery === null)) {
    return { field: 'interval', code: 'noTrigger', message: 'a plan needs an interval, a usage threshold, or both' };
  }
  if ((trigger.usageCounter === null) !== (trigger.usageEvery === null)) {
    return { field: trigger.usageCounter === null ? 'usageCounter' : 'usageEvery', code: 'incomplete', message: 'usageCounter and usageEvery go together' };
  }
  if (trigger.interval !== null) {
    const max = trigger.intervalUnit === 'months' ? MAX_INTERVAL_MONTHS : MAX_INTERVAL_DAYS;
    if (!Number.isInteger(trigger.interval) || trigger.interval < 1 || trigger.interval > max) {
      return { field: 'interval', code: 'outOfRange', message: `interval must be a whole number of ${trigger.intervalUnit} from 1 to ${max}` };
    }
  }
  if (trigger.anchor === 'fixed' && trigger.interval === null) {
    return { field: 'anchor', code: 'fixedNeedsInterval', message: 'a fixed calendar needs an interval; usage-only plans count from the last completion' };
  }
  return null;
}
