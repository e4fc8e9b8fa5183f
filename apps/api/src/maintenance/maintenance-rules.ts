/**
 * The rules of plans and tasks that need no database: a plan's scope fields
 * agree with its scope, a completion answers every checklist item once, what
 * an open task allows, when a task is overdue, and where it may be postponed.
 */
import {
  addDaysTo,
  MAINTENANCE_LIMITS,
  MAINTENANCE_TASK_ACTIONS,
  type ChecklistItemResult,
  type ChecklistResult,
  type IsoDate,
  type MaintenanceScope,
  type MaintenanceTaskAction,
  type MaintenanceTaskStatus,
} from '@fleet/shared';

export interface RuleProblem {
  field: string;
  code: string;
  message: string;
}

export interface ScopeFields {
  scope: MaintenanceScope;
  modelId: number | null;
  regionId: number | null;
  category: string | null;
  terminalIds: number[] | null;
}

const SCOPE_FIELD: Record<MaintenanceScope, keyof Omit<ScopeFields, 'scope'>> = { model: 'modelId', region: 'regionId', category: 'category', terminals: 'terminalIds' };

/** The field the scope needs is set, the others are not, and a terminal list has no repeats. */
export function scopeProblem(fields: ScopeFields): RuleProblem | null {
  const needed = SCOPE_FIELD[fields.scope];
  if (fields[needed] === null) return { field: needed, code: 'required', message: `${needed} is required with scope ${fields.scope}` };
  for (const [scope, field] of Object.entries(SCOPE_FIELD)) {
    if (field !== needed && fields[field] !== null) return { field, code: 'notInScope', message: `${field} goes with scope ${scope}, not ${fields.scope}` };
  }
  if (fields.terminalIds && new Set(fields.terminalIds).size !== fields.terminalIds.length) {
    return { field: 'terminalIds', code: 'duplicate', message: 'terminalIds lists a terminal twice' };
  }
  return null;
}

/** Completion answers are matched by label, so a checklist edited meanwhile is noticed instead of misread. */
export function checklistLabelsProblem(checklist: readonly string[]): RuleProblem | null {
  const seen = new Set<string>();
  for (const [index, label] of checklist.entries()) {
    if (seen.has(label)) return { field: `checklist.${index}`, code: 'duplicate', message: `checklist item "${label}" appears twice` };
    seen.add(label);
  }
  return null;
}

/** The answers in the checklist's order, or why they do not answer it: every item exactly once, nothing else. */
export function checklistAnswers(
  checklist: readonly string[],
  results: readonly ChecklistItemResult[],
): { results: { item: string; result: ChecklistResult; note: string | null }[] } | { problem: RuleProblem } {
  const byItem = new Map<string, ChecklistItemResult>();
  for (const [index, answer] of results.entries()) {
    if (!checklist.includes(answer.item)) return { problem: { field: `results.${index}.item`, code: 'unknownItem', message: `"${answer.item}" is not on the plan's checklist` } };
    if (byItem.has(answer.item)) return { problem: { field: `results.${index}.item`, code: 'duplicate', message: `"${answer.item}" is answered twice` } };
    byItem.set(answer.item, answer);
  }
  const missing = checklist.filter((item) => !byItem.has(item));
  if (missing.length > 0) return { problem: { field: 'results', code: 'incomplete', message: `every checklist item needs an answer; missing: ${missing.join('; ')}` } };
  return { results: checklist.map((item) => ({ item, result: byItem.get(item)!.result, note: byItem.get(item)!.note ?? null })) };
}

export function taskActions(status: MaintenanceTaskStatus): MaintenanceTaskAction[] {
  return status === 'open' ? [...MAINTENANCE_TASK_ACTIONS] : [];
}

export function isOverdue(task: { status: MaintenanceTaskStatus; effectiveDueDate: IsoDate }, today: IsoDate): boolean {
  return task.status === 'open' && task.effectiveDueDate < today;
}

/** A task is postponed forward, not into the past, and not more than a year past its calendar point. */
export function postponeProblem(task: { dueDate: IsoDate; effectiveDueDate: IsoDate }, to: IsoDate, today: IsoDate): RuleProblem | null {
  if (to <= task.effectiveDueDate) return { field: 'to', code: 'notLater', message: `to must be after the current due date ${task.effectiveDueDate}` };
  if (to < today) return { field: 'to', code: 'inPast', message: 'to cannot be in the past' };
  const limit = addDaysTo(task.dueDate, MAINTENANCE_LIMITS.postponeDays);
  if (to > limit) return { field: 'to', code: 'tooFar', message: `to can be at most ${MAINTENANCE_LIMITS.postponeDays} days after the due date (${limit})` };
  return null;
}
