/**
 * What the generation job does for one terminal on one plan, as a pure step:
 * whether the terminal joins the plan now, whether its usage baseline moves,
 * and the task to generate, if one falls due within the plan's lead days.
 * The scheduler runs it for every terminal of a chunk, then writes the
 * chunk's results at once.
 */
import { addDaysTo, nextDue, type IsoDate, type NextDue, type PlanTrigger } from '@fleet/shared';

export function triggerOf(plan: PlanTrigger): PlanTrigger {
  return { startDate: plan.startDate, anchor: plan.anchor, interval: plan.interval, intervalUnit: plan.intervalUnit, usageCounter: plan.usageCounter, usageEvery: plan.usageEvery };
}

export interface PlanForGeneration {
  trigger: PlanTrigger;
  leadDays: number;
  activeSince: IsoDate;
  scopeSince: IsoDate;
}

/** One deployed terminal in the plan's scope, as the chunk's queries found it. */
export interface TerminalStanding {
  terminalId: number;
  /** The day its record last changed: when a newcomer arrived in the scope (deployed, moved, re-modelled). */
  changedOn: IsoDate;
  progress: { joinedOn: IsoDate; usageAtLast: number | null } | null;
  /** Its tasks on the plan: the newest due date, the newest done or skipped day, and whether one is open. */
  history: { lastDueDate: IsoDate | null; lastClosedOn: IsoDate | null; open: boolean };
  /** The plan's usage counter now (null: no counter on the plan, or never reported). */
  usageNow: number | null;
}

export interface GenerationStep {
  /** A progress row to create: the terminal joins the plan. */
  join: { joinedOn: IsoDate; usageAtLast: number | null } | null;
  /** A new usage baseline for an existing progress row (first report of the counter, or the device reset it). */
  baseline: number | null;
  task: NextDue | null;
}

const later = (a: IsoDate, b: IsoDate | null): IsoDate => (b !== null && b > a ? b : a);

export function generationStep(plan: PlanForGeneration, standing: TerminalStanding, today: IsoDate): GenerationStep {
  const { progress, history, usageNow } = standing;
  let join: GenerationStep['join'] = null;
  let baseline: number | null = null;
  let usageAtLast: number | null;
  if (progress === null) {
    join = { joinedOn: later(later(standing.changedOn, plan.activeSince), plan.scopeSince), usageAtLast: usageNow };
    usageAtLast = usageNow;
  } else {
    usageAtLast = progress.usageAtLast;
    if (usageNow !== null && (usageAtLast === null || usageNow < usageAtLast)) {
      // First report: count from here, not from the device's lifetime. Smaller than before: the device reset its counter.
      usageAtLast = baseline = usageAtLast === null ? usageNow : 0;
    }
  }
  // A plan reactivated counts from its reactivation: missed calendar points are not made up, and old completions do not count.
  const joinedOn = later(join?.joinedOn ?? progress!.joinedOn, plan.activeSince);
  const next = nextDue(
    plan.trigger,
    {
      joinedOn,
      lastDueDate: later(addDaysTo(joinedOn, -1), history.lastDueDate),
      lastCompletedOn: history.lastClosedOn !== null && history.lastClosedOn >= joinedOn ? history.lastClosedOn : null,
      usageAtLast,
      usageNow,
      openTask: history.open,
    },
    today,
  );
  if (!next) return { join, baseline, task: null };
  // Never two tasks of a plan on one day for a terminal, nor one before a task already generated (a completion well ahead of its date).
  const dueDate = history.lastDueDate !== null && next.dueDate <= history.lastDueDate ? addDaysTo(history.lastDueDate, 1) : next.dueDate;
  const task = dueDate <= addDaysTo(today, plan.leadDays) ? { dueDate, reason: next.reason } : null;
  return { join, baseline, task };
}
