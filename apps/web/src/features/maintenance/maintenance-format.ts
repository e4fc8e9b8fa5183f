/**
 * Pure helpers of the maintenance pages: a month laid out as weeks for the
 * calendar, the task list's filters read from the URL, a plan between its
 * form and its request (its checklist edited item by item), and a task's
 * completion answers. The pages translate what these return.
 */
import {
  addDaysTo,
  CHECKLIST_RESULTS,
  MAINTENANCE_TASK_STATUSES,
  type ChecklistResult,
  type CompleteMaintenanceTaskRequest,
  type CreateMaintenancePlanRequest,
  type IntervalUnit,
  type IsoDate,
  type ListMaintenanceTasksQuery,
  type MaintenanceKind,
  type MaintenancePlanResponse,
  type MaintenanceScope,
  type ScheduleAnchor,
  type TerminalCategory,
  type UsageCounter,
} from '@fleet/shared';
import { typedNumber, type Typed } from '../alerts/alert-format';

// ---- the calendar

/** A month as YYYY-MM. */
export type Month = string;

export interface CalendarCell {
  date: IsoDate;
  /** Whether the day belongs to the month shown (else it pads the first or last week). */
  inMonth: boolean;
}

export const monthOf = (date: IsoDate): Month => date.slice(0, 7);

/** The month `delta` months after `month` (before, when negative). */
export function shiftMonth(month: Month, delta: number): Month {
  const [year, number] = month.split('-').map(Number) as [number, number];
  const moved = new Date(Date.UTC(year, number - 1 + delta, 1));
  return moved.toISOString().slice(0, 7);
}

/** 0 for Sunday … 6 for Saturday, as Date#getUTCDay counts. */
const weekday = (date: IsoDate) => new Date(`${date}T00:00:00Z`).getUTCDay();

/**
 * The weeks that show a month, each of 7 days starting on `weekStartsOn`
 * (0 Sunday, 1 Monday), padded with the days of the months around it: 4 to 6
 * weeks, always within one calendar request (MAINTENANCE_LIMITS.calendarDays).
 */
export function monthGrid(month: Month, weekStartsOn: 0 | 1): CalendarCell[][] {
  const first = `${month}-01`;
  const last = addDaysTo(`${shiftMonth(month, 1)}-01`, -1);
  let day = addDaysTo(first, -((weekday(first) - weekStartsOn + 7) % 7));
  const weeks: CalendarCell[][] = [];
  while (day <= last) {
    const week: CalendarCell[] = [];
    for (let i = 0; i < 7; i++) {
      week.push({ date: day, inMonth: monthOf(day) === month });
      day = addDaysTo(day, 1);
    }
    weeks.push(week);
  }
  return weeks;
}

/** The first and last day a grid shows, for the calendar request. */
export function gridRange(weeks: readonly CalendarCell[][]): { from: IsoDate; to: IsoDate } {
  return { from: weeks[0]![0]!.date, to: weeks[weeks.length - 1]![6]!.date };
}

// ---- the task list's filters in the URL

export type RouteQuery = Record<string, unknown>;

const id = (value: unknown): number | undefined => (typeof value === 'string' && /^\d+$/.test(value) && Number(value) > 0 ? Number(value) : undefined);
const isoDate = (value: unknown): IsoDate | undefined => (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)) ? value : undefined);

export interface TaskFilters extends ListMaintenanceTasksQuery {
  /** A task shown with its steps above the list (an alert or the calendar links to it). */
  task?: number;
}

/** The filters a URL holds (`?status=open&overdue=true&dueFrom=2025-06-01`); anything unknown is left out. */
export function taskFilters(query: RouteQuery): TaskFilters {
  const status = typeof query.status === 'string' ? MAINTENANCE_TASK_STATUSES.filter((value) => (query.status as string).split(',').includes(value)) : [];
  return {
    status: status.length ? status : undefined,
    overdue: query.overdue === 'true' ? true : undefined,
    regionId: id(query.regionId),
    assigneeId: id(query.assigneeId),
    planId: id(query.planId),
    terminalId: id(query.terminalId),
    dueFrom: isoDate(query.dueFrom),
    dueTo: isoDate(query.dueTo),
    page: id(query.page),
    task: id(query.task),
  };
}

// ---- plans

export interface PlanForm {
  name: string;
  kind: MaintenanceKind;
  description: string;
  checklist: string[];
  scope: MaintenanceScope;
  modelId: number | '';
  regionId: number | '';
  category: TerminalCategory | '';
  /** Asset numbers (or `#id` for a terminal whose asset number is not loaded). */
  terminals: string[];
  startDate: IsoDate;
  anchor: ScheduleAnchor;
  /** Empty: no time trigger (usage only). */
  interval: Typed;
  intervalUnit: IntervalUnit;
  /** Empty: no usage trigger (time only). */
  usageCounter: UsageCounter | '';
  usageEvery: Typed;
  leadDays: Typed;
  active: boolean;
}

const text = (value: number | null) => (value === null ? '' : String(value));

/** The form of a plan to edit (its terminals named by `terminalLabel`), or of a new quarterly inspection starting `today`. */
export function toPlanForm(plan: MaintenancePlanResponse | null, today: IsoDate, terminalLabel: (id: number) => string): PlanForm {
  if (!plan) {
    return {
      name: '',
      kind: 'inspection',
      description: '',
      checklist: [''],
      scope: 'region',
      modelId: '',
      regionId: '',
      category: '',
      terminals: [],
      startDate: today,
      anchor: 'fixed',
      interval: '3',
      intervalUnit: 'months',
      usageCounter: '',
      usageEvery: '',
      leadDays: '14',
      active: true,
    };
  }
  return {
    name: plan.name,
    kind: plan.kind,
    description: plan.description ?? '',
    checklist: [...plan.checklist],
    scope: plan.scope,
    modelId: plan.model?.id ?? '',
    regionId: plan.region?.id ?? '',
    category: plan.category ?? '',
    terminals: (plan.terminalIds ?? []).map(terminalLabel),
    startDate: plan.startDate,
    anchor: plan.anchor,
    interval: text(plan.interval),
    intervalUnit: plan.intervalUnit,
    usageCounter: plan.usageCounter ?? '',
    usageEvery: text(plan.usageEvery),
    leadDays: String(plan.leadDays),
    active: plan.active,
  };
}

/** A terminal chip that names its id (`#12`), or null for an asset number. */
export function chipId(chip: string): number | null {
  return /^#\d+$/.test(chip) ? Number(chip.slice(1)) : null;
}

/**
 * The request of a plan form: only the scope's own field set (the others
 * null, as the API wants), blank checklist items left out, an empty interval
 * or usage count as null. Numbers go as typed, so the API names a bad one.
 */
export function fromPlanForm(form: PlanForm, terminalIds: number[]): CreateMaintenancePlanRequest {
  const usage = form.usageCounter || null;
  return {
    name: form.name.trim(),
    kind: form.kind,
    description: form.description.trim() || null,
    checklist: form.checklist.map((item) => item.trim()).filter(Boolean),
    scope: form.scope,
    modelId: form.scope === 'model' ? form.modelId || null : null,
    regionId: form.scope === 'region' ? form.regionId || null : null,
    category: form.scope === 'category' ? form.category || null : null,
    terminalIds: form.scope === 'terminals' ? terminalIds : null,
    startDate: form.startDate,
    anchor: form.anchor,
    interval: typedNumber(form.interval) ?? null,
    intervalUnit: form.intervalUnit,
    usageCounter: usage,
    usageEvery: usage ? (typedNumber(form.usageEvery) ?? null) : null,
    leadDays: typedNumber(form.leadDays) ?? 0,
    active: form.active,
  };
}

/** The list with the item at `index` moved by `delta` places (kept in bounds). */
export function moveItem<T>(list: readonly T[], index: number, delta: number): T[] {
  const target = Math.min(list.length - 1, Math.max(0, index + delta));
  const next = [...list];
  const [item] = next.splice(index, 1);
  if (item !== undefined) next.splice(target, 0, item);
  return next;
}

// ---- completing a task

export interface ChecklistAnswer {
  result: ChecklistResult | '';
  note: string;
}

export function emptyAnswers(checklist: readonly string[]): ChecklistAnswer[] {
  return checklist.map(() => ({ result: '', note: '' }));
}

/** Every item answered with the first result (OK). */
export function allAnswered(answers: readonly ChecklistAnswer[], result: ChecklistResult = CHECKLIST_RESULTS[0]): ChecklistAnswer[] {
  return answers.map((answer) => ({ ...answer, result }));
}

/** The completion request, or null while an item has no answer (the API wants every item once). */
export function completionRequest(checklist: readonly string[], answers: readonly ChecklistAnswer[], note: string, version: number): CompleteMaintenanceTaskRequest | null {
  if (answers.length !== checklist.length || answers.some((answer) => answer.result === '')) return null;
  return {
    version,
    results: checklist.map((item, index) => ({ item, result: answers[index]!.result as ChecklistResult, note: answers[index]!.note.trim() || null })),
    note: note.trim() || null,
  };
}
