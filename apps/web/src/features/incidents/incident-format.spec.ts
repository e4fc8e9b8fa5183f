import { MAX_PHOTO_BYTES, type IncidentCostResponse, type SlaTimer } from '@fleet/shared';
import { addChips, costTotalsByPayer, describeDetails, durationMessage, humanizeField, incidentFilters, localDay, minutesSince, photoProblem, slaShare, slaState, visitedStages } from './incident-format';

describe(durationMessage.name, () => {
  it.each([
    [0, 'minutes', { days: 0, hours: 0, minutes: 0 }],
    [59, 'minutes', { days: 0, hours: 0, minutes: 59 }],
    [61, 'hours', { days: 0, hours: 1, minutes: 1 }],
    [1440 + 125, 'days', { days: 1, hours: 2, minutes: 5 }],
    [-5, 'minutes', { days: 0, hours: 0, minutes: 0 }],
  ])('should say %i minutes as %s %j', (minutes, key, params) => {
    expect(durationMessage(minutes)).toEqual({ key, params });
  });

  it("should take the day where the user is, not UTC's", () => {
    expect(localDay(new Date(2025, 5, 15, 0, 30))).toBe('2025-06-15');
    expect(localDay(new Date(2025, 11, 31, 23, 59))).toBe('2025-12-31');
  });

  it('should count whole minutes since a time', () => {
    expect(minutesSince('2025-06-15T08:00:00.000Z', Date.parse('2025-06-15T09:30:59.000Z'))).toBe(90);
  });
});

describe(visitedStages.name, () => {
  it('should list the stages the timeline went through, in workflow order', () => {
    expect(visitedStages([{ stageFrom: null, stageTo: null }, { stageFrom: 'reported', stageTo: 'closed' }])).toEqual(['reported', 'closed']);
    expect(
      visitedStages([
        { stageFrom: 'reported', stageTo: 'diagnosing' },
        { stageFrom: 'diagnosing', stageTo: 'awaiting_repair' },
        { stageFrom: 'awaiting_repair', stageTo: null },
      ]),
    ).toEqual(['reported', 'diagnosing', 'awaiting_repair']);
  });
});

describe(slaState.name, () => {
  const timer = (fields: Partial<SlaTimer>): SlaTimer => ({ measure: 'respond', targetHours: 4, dueAt: '2025-06-15T12:00:00.000Z', metAt: null, elapsedMinutes: 60, breached: false, stopped: false, ...fields });

  it.each([
    [{}, 'running'],
    [{ breached: true, elapsedMinutes: 300 }, 'overdue'],
    [{ metAt: '2025-06-15T09:00:00.000Z' }, 'met'],
    [{ metAt: '2025-06-15T13:00:00.000Z', breached: true }, 'metLate'],
    [{ stopped: true }, 'stopped'],
  ] as const)('should read %j as %s', (fields, state) => {
    expect(slaState(timer(fields))).toBe(state);
  });

  it('should fill the bar with the share of the target used, full once past it', () => {
    expect(slaShare(timer({ elapsedMinutes: 60 }))).toBe(0.25);
    expect(slaShare(timer({ elapsedMinutes: 600 }))).toBe(1);
  });
});

describe(costTotalsByPayer.name, () => {
  let nextId = 0;
  const cost = (fields: Partial<IncidentCostResponse>): IncidentCostResponse => ({
    id: ++nextId,
    kind: 'parts',
    description: null,
    amount: 0,
    currency: 'CNY',
    payer: 'bank',
    claimReference: null,
    claimStatus: null,
    claimedAmount: null,
    approvedAmount: null,
    paidAmount: null,
    version: 1,
    createdAt: '2025-06-15T08:00:00.000Z',
    updatedAt: '2025-06-15T08:00:00.000Z',
    ...fields,
  });

  it('should sum each payer and currency to the cent, in the order of payers', () => {
    const totals = costTotalsByPayer([
      cost({ payer: 'bank', amount: 0.1 }),
      cost({ payer: 'supplier', amount: 300, claimedAmount: 300, approvedAmount: 250 }),
      cost({ payer: 'bank', amount: 0.2 }),
      cost({ payer: 'supplier', amount: 20, currency: 'USD', claimedAmount: 20, paidAmount: 20 }),
    ]);
    expect(totals).toEqual([
      { payer: 'supplier', currency: 'CNY', lines: 1, amount: 300, claimed: 300, approved: 250, paid: 0 },
      { payer: 'supplier', currency: 'USD', lines: 1, amount: 20, claimed: 20, approved: 0, paid: 20 },
      { payer: 'bank', currency: 'CNY', lines: 2, amount: 0.3, claimed: 0, approved: 0, paid: 0 },
    ]);
  });
});

describe(addChips.name, () => {
  it.each([
    [[], 'E01, E02', ['E01', 'E02']],
    [['E01'], 'e01，E03；E04\nE05', ['E01', 'E03', 'E04', 'E05']],
    [['E01'], ' , ', ['E01']],
  ])('should add to %j what was typed as %p', (current, typed, expected) => {
    expect(addChips(current, typed)).toEqual(expected);
  });
});

describe(photoProblem.name, () => {
  it.each([
    [{ type: 'image/jpeg', size: 1000 }, null],
    [{ type: 'image/webp', size: MAX_PHOTO_BYTES }, null],
    [{ type: 'image/png', size: MAX_PHOTO_BYTES + 1 }, 'size'],
    [{ type: 'image/gif', size: 10 }, 'type'],
  ])('should find in %j the problem %p', (file, problem) => {
    expect(photoProblem(file)).toBe(problem);
  });
});

describe(incidentFilters.name, () => {
  it('should read the filters of a URL and leave out what it does not know', () => {
    expect(incidentFilters({ stage: 'testing,bogus', priority: 'urgent,high', regionId: '4', modelId: 'x', overdue: 'true', q: ' INC-1 ', page: '2' })).toEqual({
      stage: ['testing'],
      priority: ['urgent', 'high'],
      regionId: 4,
      modelId: undefined,
      assigneeId: undefined,
      symptom: undefined,
      overdue: true,
      q: 'INC-1',
      page: 2,
    });
    expect(incidentFilters({ overdue: 'false', stage: '' })).toMatchObject({ overdue: undefined, stage: undefined });
  });
});

describe(describeDetails.name, () => {
  it('should read a first response checklist with the first-response vocabulary', () => {
    expect(describeDetails('first_response', { checks: { restart: 'done', network: 'problem' }, fixed: false, note: null })).toEqual([
      {
        key: 'checks',
        section: null,
        value: {
          type: 'rows',
          rows: [
            { key: 'restart', section: 'check', value: { type: 'term', section: 'checkOutcome', value: 'done' } },
            { key: 'network', section: 'check', value: { type: 'term', section: 'checkOutcome', value: 'problem' } },
          ],
        },
      },
      { key: 'fixed', section: null, value: { type: 'boolean', value: false } },
    ]);
  });

  it('should read a test checklist with the test vocabulary', () => {
    expect(describeDetails('tested', { checks: { network: 'fail' } })[0]?.value).toEqual({
      type: 'rows',
      rows: [{ key: 'network', section: 'testCheck', value: { type: 'term', section: 'testOutcome', value: 'fail' } }],
    });
  });

  it('should name known values, records by their name, times, days, lists and changes', () => {
    expect(
      describeDetails('cost_updated', {
        payer: 'insurer',
        kind: 'unknown-kind',
        spare: { id: 9, assetNumber: 'POS-BJ-000009' },
        dueBack: '2025-06-29',
        shippedAt: '2025-06-15T10:00:00.000Z',
        errorCodes: ['E01'],
        claimStatus: { from: 'submitted', to: 'approved' },
        amount: 120.5,
      }),
    ).toEqual([
      { key: 'payer', section: null, value: { type: 'term', section: 'payer', value: 'insurer' } },
      { key: 'kind', section: null, value: { type: 'text', text: 'unknown-kind' } },
      { key: 'spare', section: null, value: { type: 'text', text: 'POS-BJ-000009' } },
      { key: 'dueBack', section: null, value: { type: 'date', iso: '2025-06-29' } },
      { key: 'shippedAt', section: null, value: { type: 'dateTime', iso: '2025-06-15T10:00:00.000Z' } },
      { key: 'errorCodes', section: null, value: { type: 'list', items: [{ type: 'text', text: 'E01' }] } },
      {
        key: 'claimStatus',
        section: null,
        value: { type: 'change', from: { type: 'term', section: 'claimStatus', value: 'submitted' }, to: { type: 'term', section: 'claimStatus', value: 'approved' } },
      },
      { key: 'amount', section: null, value: { type: 'money', value: 120.5, currency: 'CNY' } },
    ]);
  });

  it('should leave out bare ids beside the names they stand for, and show an assignment as a change', () => {
    expect(describeDetails('spare_lent', { spareTerminalId: 9, assetNumber: 'POS-BJ-000009' })).toEqual([{ key: 'assetNumber', section: null, value: { type: 'text', text: 'POS-BJ-000009' } }]);
    expect(describeDetails('assigned', { from: null, to: 5 })).toEqual([{ key: 'assignee', section: null, value: { type: 'change', from: null, to: { type: 'text', text: '#5' } } }]);
    expect(describeDetails('assigned', { from: 5, fromName: 'Wang Wei', to: 6, toName: 'Li Na' })).toEqual([
      { key: 'assignee', section: null, value: { type: 'change', from: { type: 'text', text: 'Wang Wei' }, to: { type: 'text', text: 'Li Na' } } },
    ]);
  });

  it('should read an advised decision and the coverage with their vocabularies', () => {
    expect(describeDetails('decided', { recommended: 'replace', warranty: 'expired' })).toEqual([
      { key: 'recommended', section: null, value: { type: 'term', section: 'decision', value: 'replace' } },
      { key: 'warranty', section: null, value: { type: 'term', section: 'coverage', value: 'expired' } },
    ]);
  });

  it('should read amounts as money in the currency of the event', () => {
    expect(describeDetails('cost_added', { amount: 20, currency: 'USD', attempt: 2 })).toEqual([
      { key: 'amount', section: null, value: { type: 'money', value: 20, currency: 'USD' } },
      { key: 'currency', section: null, value: { type: 'text', text: 'USD' } },
      { key: 'attempt', section: null, value: { type: 'number', value: 2 } },
    ]);
  });

  it('should make an unknown field name readable', () => {
    expect(humanizeField('trackingNumber')).toBe('Tracking number');
    expect(humanizeField('spare_terminal')).toBe('Spare terminal');
  });
});
