import { MAINTENANCE_LIMITS, type MaintenancePlanResponse } from '@fleet/shared';
import { allAnswered, chipId, completionRequest, emptyAnswers, fromPlanForm, gridRange, monthGrid, moveItem, shiftMonth, taskFilters, toPlanForm } from './maintenance-format';

describe(monthGrid.name, () => {
  it('should lay out a month from Monday, padded with the days around it', () => {
    // June 2025 starts on a Sunday and ends on a Monday.
    const weeks = monthGrid('2025-06', 1);
    expect(weeks).toHaveLength(6);
    expect(weeks[0]!.map((cell) => cell.date)).toEqual(['2025-05-26', '2025-05-27', '2025-05-28', '2025-05-29', '2025-05-30', '2025-05-31', '2025-06-01']);
    expect(weeks[0]!.filter((cell) => cell.inMonth)).toHaveLength(1);
    expect(weeks[5]![0]).toEqual({ date: '2025-06-30', inMonth: true });
    expect(weeks[5]![6]).toEqual({ date: '2025-07-06', inMonth: false });
  });

  it('should lay out a month from Sunday when asked', () => {
    const weeks = monthGrid('2025-06', 0);
    expect(weeks).toHaveLength(5);
    expect(weeks[0]![0]).toEqual({ date: '2025-06-01', inMonth: true });
    expect(gridRange(weeks)).toEqual({ from: '2025-06-01', to: '2025-07-05' });
  });

  it('should take four weeks for a February that fits them, and cross years', () => {
    expect(monthGrid('2026-02', 0)).toHaveLength(4);
    expect(gridRange(monthGrid('2025-12', 1))).toEqual({ from: '2025-12-01', to: '2026-01-04' });
  });

  it('should always fit one calendar request', () => {
    for (let month = '2024-01'; month < '2027-01'; month = shiftMonth(month, 1)) {
      for (const start of [0, 1] as const) {
        const { from, to } = gridRange(monthGrid(month, start));
        expect((Date.parse(to) - Date.parse(from)) / 86_400_000).toBeLessThanOrEqual(MAINTENANCE_LIMITS.calendarDays);
      }
    }
  });

  it('should move between months across years', () => {
    expect(shiftMonth('2025-12', 1)).toBe('2026-01');
    expect(shiftMonth('2025-01', -1)).toBe('2024-12');
    expect(shiftMonth('2025-06', 0)).toBe('2025-06');
  });
});

describe(taskFilters.name, () => {
  it('should read known values from the URL and drop the rest', () => {
    expect(taskFilters({ status: 'open,done,lost', overdue: 'true', regionId: '3', planId: 'x', dueFrom: '2025-06-01', dueTo: '06/30', task: '12', page: '2' })).toEqual({
      status: ['open', 'done'],
      overdue: true,
      regionId: 3,
      assigneeId: undefined,
      planId: undefined,
      terminalId: undefined,
      dueFrom: '2025-06-01',
      dueTo: undefined,
      page: 2,
      task: 12,
    });
  });
});

describe(fromPlanForm.name, () => {
  const plan: MaintenancePlanResponse = {
    id: 1,
    name: 'Quarterly inspection',
    kind: 'inspection',
    description: null,
    checklist: ['Clean the reader', 'Print a test receipt'],
    scope: 'terminals',
    model: null,
    region: null,
    category: null,
    terminalIds: [4, 5],
    startDate: '2025-01-15',
    anchor: 'fixed',
    interval: 3,
    intervalUnit: 'months',
    usageCounter: 'transactions',
    usageEvery: 5000,
    leadDays: 14,
    active: true,
    activeSince: '2025-01-15',
    version: 3,
    createdAt: '2025-01-15T08:00:00.000Z',
    updatedAt: '2025-01-15T08:00:00.000Z',
  };

  it('should give back the plan it was read from', () => {
    const form = toPlanForm(plan, '2025-06-15', (id) => (id === 4 ? 'T-4' : `#${id}`));
    expect(form.terminals).toEqual(['T-4', '#5']);
    expect(fromPlanForm(form, [4, 5])).toEqual({
      name: 'Quarterly inspection',
      kind: 'inspection',
      description: null,
      checklist: ['Clean the reader', 'Print a test receipt'],
      scope: 'terminals',
      modelId: null,
      regionId: null,
      category: null,
      terminalIds: [4, 5],
      startDate: '2025-01-15',
      anchor: 'fixed',
      interval: 3,
      intervalUnit: 'months',
      usageCounter: 'transactions',
      usageEvery: 5000,
      leadDays: 14,
      active: true,
    });
  });

  it("should send only the scope's own field, and blank checklist items not at all", () => {
    const form = { ...toPlanForm(null, '2025-06-15', String), scope: 'model' as const, modelId: 7 as const, regionId: 3 as const, checklist: [' Clean ', '', '  '] };
    expect(fromPlanForm(form, [1])).toMatchObject({ scope: 'model', modelId: 7, regionId: null, terminalIds: null, checklist: ['Clean'], startDate: '2025-06-15' });
  });

  it('should send a time-only plan without usage, a usage-only plan without interval, and a bad interval as typed', () => {
    const form = toPlanForm(null, '2025-06-15', String);
    expect(fromPlanForm({ ...form, usageEvery: '500' }, [])).toMatchObject({ interval: 3, usageCounter: null, usageEvery: null });
    expect(fromPlanForm({ ...form, interval: '', anchor: 'from_completion', usageCounter: 'prints', usageEvery: 500 }, [])).toMatchObject({ interval: null, usageCounter: 'prints', usageEvery: 500 });
    expect(fromPlanForm({ ...form, interval: 0 }, [])).toMatchObject({ interval: 0 });
  });

  it('should read terminal chips naming an id', () => {
    expect(chipId('#12')).toBe(12);
    expect(chipId('T-12')).toBeNull();
  });

  it('should move a checklist item within bounds', () => {
    expect(moveItem(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveItem(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveItem(['a', 'b', 'c'], 0, 5)).toEqual(['b', 'c', 'a']);
  });
});

describe(completionRequest.name, () => {
  const checklist = ['Clean the reader', 'Print a test receipt'];

  it('should wait until every item is answered', () => {
    const answers = emptyAnswers(checklist);
    expect(completionRequest(checklist, answers, '', 2)).toBeNull();
    expect(completionRequest(checklist, [{ result: 'ok', note: '' }, answers[1]!], '', 2)).toBeNull();
  });

  it('should answer every item in order, with notes trimmed', () => {
    const answers = allAnswered(emptyAnswers(checklist));
    answers[1] = { result: 'issue', note: ' faint print ' };
    expect(completionRequest(checklist, answers, ' Paper roll replaced ', 2)).toEqual({
      version: 2,
      results: [
        { item: 'Clean the reader', result: 'ok', note: null },
        { item: 'Print a test receipt', result: 'issue', note: 'faint print' },
      ],
      note: 'Paper roll replaced',
    });
  });
});
