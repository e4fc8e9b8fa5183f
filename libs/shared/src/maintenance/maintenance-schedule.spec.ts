import { addDaysTo, nextDue, triggerProblem, type DueReason, type PlanProgress, type PlanTrigger } from './maintenance-schedule';

const YEAR_START = '2026-01-01';
const day = (d: number) => addDaysTo(YEAR_START, d);

/**
 * A year of the scheduler for one terminal: each day it asks for the next task
 * and generates it when due within `leadDays`; each task is completed
 * `lateDays` after its due date. Returns the generated tasks.
 */
function simulateYear(trigger: PlanTrigger, options: { leadDays: number; lateDays: number; usage?: (d: number) => number; joinedOn?: string }): { due: string; reason: DueReason; generatedOn: string }[] {
  const tasks: { due: string; reason: DueReason; generatedOn: string; doneOn: string }[] = [];
  const progress: PlanProgress = { joinedOn: options.joinedOn ?? YEAR_START, lastDueDate: null, lastCompletedOn: null, usageAtLast: options.usage ? options.usage(0) : null, usageNow: null, openTask: false };
  for (let d = 0; d < 365; d++) {
    const today = day(d);
    const open = tasks.find((task) => task.doneOn === today);
    if (open) Object.assign(progress, { openTask: false, lastCompletedOn: today, usageAtLast: options.usage ? options.usage(d) : null });
    progress.usageNow = options.usage ? options.usage(d) : null;
    const next = nextDue(trigger, progress, today);
    if (next && next.dueDate <= addDaysTo(today, options.leadDays)) {
      tasks.push({ due: next.dueDate, reason: next.reason, generatedOn: today, doneOn: addDaysTo(next.dueDate > today ? next.dueDate : today, options.lateDays) });
      Object.assign(progress, { openTask: true, lastDueDate: next.dueDate });
      // Completed the same day it is generated (usage tasks are due at once).
      if (options.lateDays === 0 && next.dueDate <= today) Object.assign(progress, { openTask: false, lastCompletedOn: today, usageAtLast: options.usage ? options.usage(d) : null });
    }
  }
  return tasks.map(({ due, reason, generatedOn }) => ({ due, reason, generatedOn }));
}

const trigger = (overrides: Partial<PlanTrigger>): PlanTrigger => ({ startDate: YEAR_START, anchor: 'fixed', interval: 3, intervalUnit: 'months', usageCounter: null, usageEvery: null, ...overrides });

describe('nextDue over a simulated year', () => {
  it('should keep a fixed quarterly calendar whatever the completions, generated two weeks ahead', () => {
    const tasks = simulateYear(trigger({ startDate: '2026-01-15' }), { leadDays: 14, lateDays: 5 });
    expect(tasks).toEqual([
      { due: '2026-01-15', reason: 'time', generatedOn: '2026-01-01' },
      { due: '2026-04-15', reason: 'time', generatedOn: '2026-04-01' },
      { due: '2026-07-15', reason: 'time', generatedOn: '2026-07-01' },
      { due: '2026-10-15', reason: 'time', generatedOn: '2026-10-01' },
    ]);
  });

  it('should clamp a monthly calendar to the month’s end without drifting', () => {
    const tasks = simulateYear(trigger({ startDate: '2026-01-31', interval: 1 }), { leadDays: 0, lateDays: 0 });
    expect(tasks.map((t) => t.due)).toEqual(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31', '2026-06-30', '2026-07-31', '2026-08-31', '2026-09-30', '2026-10-31', '2026-11-30', '2026-12-31']);
  });

  it('should count from the last completion, late completions pushing the next task', () => {
    const tasks = simulateYear(trigger({ anchor: 'from_completion', interval: 90, intervalUnit: 'days' }), { leadDays: 7, lateDays: 10 });
    expect(tasks.map((t) => t.due)).toEqual(['2026-04-01', '2026-07-10', '2026-10-18']);
  });

  it('should fall due every 10,000 transactions on the day the counter gets there', () => {
    const tasks = simulateYear(trigger({ anchor: 'from_completion', interval: null, usageCounter: 'transactions', usageEvery: 10_000 }), { leadDays: 14, lateDays: 0, usage: (d) => 150 * d });
    expect(tasks).toEqual([67, 134, 201, 268, 335].map((d) => ({ due: day(d), reason: 'usage', generatedOn: day(d) })));
  });

  it('should take whichever comes first when usage speeds up mid-year', () => {
    const usage = (d: number) => (d <= 182 ? 100 * d : 18_200 + 300 * (d - 182));
    const tasks = simulateYear(trigger({ anchor: 'from_completion', interval: 60, intervalUnit: 'days', usageCounter: 'prints', usageEvery: 10_000 }), { leadDays: 14, lateDays: 0, usage });
    expect(tasks.map((t) => [t.due, t.reason])).toEqual([
      [day(60), 'time'],
      [day(120), 'time'],
      [day(180), 'time'],
      [day(215), 'usage'],
      [day(249), 'usage'],
      [day(283), 'usage'],
      [day(317), 'usage'],
      [day(351), 'usage'],
    ]);
  });

  it('should start a newcomer on a fixed calendar at the next point, not in the past', () => {
    const tasks = simulateYear(trigger({ startDate: '2025-01-10' }), { leadDays: 0, lateDays: 1, joinedOn: '2026-03-01' });
    expect(tasks.map((t) => t.due)).toEqual(['2026-04-10', '2026-07-10', '2026-10-10']);
  });

  it('should generate nothing while a task is open', () => {
    expect(nextDue(trigger({}), { joinedOn: YEAR_START, lastDueDate: '2026-01-01', lastCompletedOn: null, usageAtLast: null, usageNow: null, openTask: true }, '2026-09-01')).toBeNull();
  });
});

describe('triggerProblem', () => {
  it.each<[Partial<PlanTrigger>, string | null]>([
    [{}, null],
    [{ interval: null }, 'interval'],
    [{ interval: 0 }, 'interval'],
    [{ interval: 121 }, 'interval'],
    [{ interval: 3661, intervalUnit: 'days' }, 'interval'],
    [{ interval: 1.5 }, 'interval'],
    [{ usageCounter: 'prints' }, 'usageEvery'],
    [{ usageEvery: 500 }, 'usageCounter'],
    [{ interval: null, usageCounter: 'prints', usageEvery: 500 }, 'anchor'],
    [{ interval: null, anchor: 'from_completion', usageCounter: 'prints', usageEvery: 500 }, null],
  ])('should judge %j', (overrides, field) => {
    expect(triggerProblem(trigger(overrides))?.field ?? null).toBe(field);
  });
});
