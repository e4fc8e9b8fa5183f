import { checklistAnswers, checklistLabelsProblem, isOverdue, postponeProblem, scopeProblem, taskActions, type ScopeFields } from './maintenance-rules';

describe(scopeProblem.name, () => {
  const scope = (fields: Partial<ScopeFields>): ScopeFields => ({ scope: 'model', modelId: null, regionId: null, category: null, terminalIds: null, ...fields });

  it.each<[Partial<ScopeFields>, string | null, string | null]>([
    [{ modelId: 3 }, null, null],
    [{}, 'modelId', 'required'],
    [{ modelId: 3, regionId: 4 }, 'regionId', 'notInScope'],
    [{ scope: 'region', regionId: 4 }, null, null],
    [{ scope: 'category', category: 'smart', terminalIds: [1] }, 'terminalIds', 'notInScope'],
    [{ scope: 'terminals', terminalIds: [1, 2] }, null, null],
    [{ scope: 'terminals', terminalIds: [1, 2, 1] }, 'terminalIds', 'duplicate'],
  ])('should judge %j', (fields, field, code) => {
    const problem = scopeProblem(scope(fields));
    expect(problem?.field ?? null).toBe(field);
    expect(problem?.code ?? null).toBe(code);
  });
});

describe(checklistAnswers.name, () => {
  const checklist = ['Clean the card reader', 'Check the printer', 'Test transaction'];

  it('should keep the checklist’s order whatever the answers’ order', () => {
    const answers = checklistAnswers(checklist, [
      { item: 'Test transaction', result: 'ok' },
      { item: 'Clean the card reader', result: 'issue', note: 'worn contacts' },
      { item: 'Check the printer', result: 'not_applicable' },
    ]);
    expect(answers).toEqual({
      results: [
        { item: 'Clean the card reader', result: 'issue', note: 'worn contacts' },
        { item: 'Check the printer', result: 'not_applicable', note: null },
        { item: 'Test transaction', result: 'ok', note: null },
      ],
    });
  });

  it.each([
    ['a missing item', [{ item: 'Check the printer', result: 'ok' as const }], 'results', 'incomplete'],
    ['an unknown item', [{ item: 'Polish the case', result: 'ok' as const }], 'results.0.item', 'unknownItem'],
    ['an item twice', [{ item: 'Check the printer', result: 'ok' as const }, { item: 'Check the printer', result: 'issue' as const }], 'results.1.item', 'duplicate'],
  ])('should refuse %s', (_case, results, field, code) => {
    expect(checklistAnswers(checklist, results)).toEqual({ problem: expect.objectContaining({ field, code }) });
  });

  it('should refuse a checklist with one label twice, naming the item', () => {
    expect(checklistLabelsProblem(['A', 'B', 'A'])).toMatchObject({ field: 'checklist.2', code: 'duplicate' });
    expect(checklistLabelsProblem(['A', 'B'])).toBeNull();
  });
});

describe('task steps', () => {
  it('should allow every step on an open task and none once it is closed', () => {
    expect(taskActions('open')).toEqual(['assign', 'complete', 'postpone', 'skip']);
    for (const status of ['done', 'skipped', 'cancelled'] as const) expect(taskActions(status)).toEqual([]);
  });

  it('should call overdue only an open task whose effective due date has passed', () => {
    expect(isOverdue({ status: 'open', effectiveDueDate: '2026-03-09' }, '2026-03-10')).toBe(true);
    expect(isOverdue({ status: 'open', effectiveDueDate: '2026-03-10' }, '2026-03-10')).toBe(false);
    expect(isOverdue({ status: 'done', effectiveDueDate: '2026-03-01' }, '2026-03-10')).toBe(false);
  });

  it.each<[string, string | null]>([
    ['2026-03-20', null],
    ['2026-03-12', 'notLater'],
    ['2026-03-13', 'inPast'],
    ['2027-03-11', null],
    ['2027-03-12', 'tooFar'],
  ])('should judge postponing to %s', (to, code) => {
    const task = { dueDate: '2026-03-10', effectiveDueDate: '2026-03-12' };
    expect(postponeProblem(task, to, '2026-03-14')?.code ?? null).toBe(code);
  });
});
