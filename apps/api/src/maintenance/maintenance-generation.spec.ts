import type { PlanTrigger } from '@fleet/shared';
import { generationStep, type PlanForGeneration, type TerminalStanding } from './maintenance-generation';

const quarterly: PlanTrigger = { startDate: '2025-01-10', anchor: 'fixed', interval: 3, intervalUnit: 'months', usageCounter: null, usageEvery: null };
const plan = (trigger: Partial<PlanTrigger> = {}, rest: Partial<PlanForGeneration> = {}): PlanForGeneration => ({
  trigger: { ...quarterly, ...trigger },
  leadDays: 14,
  activeSince: '2025-01-01',
  scopeSince: '2025-01-01',
  ...rest,
});
const standing = (overrides: Partial<TerminalStanding> = {}): TerminalStanding => ({
  terminalId: 1,
  changedOn: '2024-06-01',
  progress: { joinedOn: '2025-01-01', usageAtLast: null },
  history: { lastDueDate: null, lastClosedOn: null, open: false },
  usageNow: null,
  ...overrides,
});

describe(generationStep.name, () => {
  it('should join a newcomer on the day it arrived in the scope and give it the next calendar point, not a past one', () => {
    const step = generationStep(plan(), standing({ progress: null, changedOn: '2026-03-01' }), '2026-03-30');
    expect(step.join).toEqual({ joinedOn: '2026-03-01', usageAtLast: null });
    expect(step.task).toEqual({ dueDate: '2026-04-10', reason: 'time' });
  });

  it('should join terminals already in the scope from the day the plan started, so its first point is not lost', () => {
    const step = generationStep(plan({ startDate: '2026-01-05' }, { activeSince: '2026-01-05', scopeSince: '2026-01-05' }), standing({ progress: null, changedOn: '2025-11-20' }), '2026-01-06');
    expect(step.join?.joinedOn).toBe('2026-01-05');
    expect(step.task).toEqual({ dueDate: '2026-01-05', reason: 'time' });
  });

  it('should generate only within the lead days, and nothing while a task is open', () => {
    expect(generationStep(plan(), standing({ history: { lastDueDate: '2026-01-10', lastClosedOn: '2026-01-12', open: false } }), '2026-03-26').task).toBeNull();
    expect(generationStep(plan(), standing({ history: { lastDueDate: '2026-01-10', lastClosedOn: '2026-01-12', open: false } }), '2026-03-27').task).toEqual({ dueDate: '2026-04-10', reason: 'time' });
    expect(generationStep(plan(), standing({ history: { lastDueDate: '2026-01-10', lastClosedOn: null, open: true } }), '2026-06-01').task).toBeNull();
  });

  it('should count usage from the first report of the counter, not from the device’s lifetime', () => {
    const usage = plan({ anchor: 'from_completion', interval: null, usageCounter: 'transactions', usageEvery: 1_000 });
    const first = generationStep(usage, standing({ usageNow: 250_000 }), '2026-02-01');
    expect(first).toEqual({ join: null, baseline: 250_000, task: null });
    expect(generationStep(usage, standing({ progress: { joinedOn: '2025-01-01', usageAtLast: 250_000 }, usageNow: 251_000 }), '2026-02-09').task).toEqual({ dueDate: '2026-02-09', reason: 'usage' });
  });

  it('should count from zero again when the device reset its counter', () => {
    const usage = plan({ anchor: 'from_completion', interval: null, usageCounter: 'prints', usageEvery: 1_000 });
    expect(generationStep(usage, standing({ progress: { joinedOn: '2025-01-01', usageAtLast: 90_000 }, usageNow: 400 }), '2026-02-01')).toEqual({ join: null, baseline: 0, task: null });
    expect(generationStep(usage, standing({ progress: { joinedOn: '2025-01-01', usageAtLast: 90_000 }, usageNow: 1_200 }), '2026-02-01').task).toEqual({ dueDate: '2026-02-01', reason: 'usage' });
  });

  it('should restart a reactivated plan from its reactivation: no missed points made up, old completions not counted', () => {
    const reactivated = { activeSince: '2026-06-20' };
    const fixed = generationStep(plan({}, reactivated), standing({ history: { lastDueDate: '2025-10-10', lastClosedOn: '2025-10-12', open: false } }), '2026-06-28');
    expect(fixed.task).toEqual({ dueDate: '2026-07-10', reason: 'time' });
    const fromCompletion = generationStep(
      plan({ anchor: 'from_completion', interval: 30, intervalUnit: 'days' }, reactivated),
      standing({ history: { lastDueDate: '2025-10-10', lastClosedOn: '2025-10-12', open: false } }),
      '2026-07-10',
    );
    expect(fromCompletion.task).toEqual({ dueDate: '2026-07-20', reason: 'time' });
  });

  it('should never put a task on or before the newest one’s date (a completion well ahead of it)', () => {
    const weekly = plan({ anchor: 'from_completion', interval: 7, intervalUnit: 'days' }, { leadDays: 14 });
    const step = generationStep(weekly, standing({ history: { lastDueDate: '2026-03-15', lastClosedOn: '2026-03-08', open: false } }), '2026-03-08');
    expect(step.task).toEqual({ dueDate: '2026-03-16', reason: 'time' });
  });
});
