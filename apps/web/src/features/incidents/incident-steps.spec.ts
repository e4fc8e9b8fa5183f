import { FIRST_RESPONSE_CHECKS, TEST_CHECKS, type IncidentResponse, type TerminalResponse } from '@fleet/shared';
import { closingResolutions, newStepDraft, offeredSteps, stepBody, type IncidentStepDraft } from './incident-steps';

const TODAY = '2025-06-15';
const LISTS = { firstResponseChecks: FIRST_RESPONSE_CHECKS, testChecks: TEST_CHECKS };

function newIncident(fields: Partial<IncidentResponse> = {}): IncidentResponse {
  return {
    id: 7,
    number: 'INC-000007',
    stage: 'reported',
    priority: 'normal',
    source: 'user',
    alarm: null,
    symptom: 'printer',
    terminal: { id: 3, name: 'POS-BJ-000003', assetNumber: 'POS-BJ-000003' },
    model: { id: 1, name: 'A920' },
    region: { id: 2, name: 'Haidian', code: 'BJHD' },
    merchant: null,
    assignee: null,
    reportedAt: '2025-06-15T08:00:00.000Z',
    updatedAt: '2025-06-15T08:00:00.000Z',
    overdue: false,
    spareOut: false,
    version: 1,
    reporter: { id: 1, username: 'admin' },
    errorCodes: [],
    description: 'Prints blank receipts',
    place: null,
    circumstances: null,
    circumstancesNote: null,
    occurredAt: '2025-06-15T08:00:00.000Z',
    firstResponse: null,
    diagnosis: null,
    spare: null,
    backup: null,
    restore: null,
    repair: { decision: null, repairQuote: null, replacementPrice: null, repairVendor: null, carrier: null, trackingNumber: null, shippedAt: null, returnedAt: null, newSerialNumber: null, replacement: null },
    test: null,
    restoredAt: null,
    resolvedAt: null,
    resolution: null,
    resolutionNote: null,
    closedAt: null,
    reopenCount: 0,
    rating: null,
    ratingComment: null,
    sla: [],
    advice: { decision: 'supplier_rma', payer: 'supplier', warranty: 'active', insurance: 'none', reasons: [{ code: 'inWarranty', warrantyEnd: '2026-01-31' }] },
    costs: [],
    actions: ['respond', 'diagnose', 'lendSpare', 'backUp', 'close'],
    createdAt: '2025-06-15T08:00:00.000Z',
    ...fields,
  };
}

const lentSpare = { terminal: { id: 9, name: 'POS-BJ-000009', assetNumber: 'POS-BJ-000009', status: 'deployed' as const }, lentAt: '2025-06-15T09:00:00.000Z', dueBack: '2025-06-29', outcome: null, settledAt: null, overdue: false };

function draft(incident: IncidentResponse, fields: Partial<IncidentStepDraft>): IncidentStepDraft {
  return { ...newStepDraft(incident, null, TODAY), ...fields };
}

describe(newStepDraft.name, () => {
  it('should start from the advised decision, the known quote and the unit price, and lend a spare for two weeks', () => {
    const terminal = { purchasePrice: 2400, warrantyProvider: null, supplier: { id: 4, name: 'PAX' } } as unknown as TerminalResponse;
    const start = newStepDraft(newIncident({ repair: { ...newIncident().repair, repairQuote: 300 } }), terminal, TODAY);
    expect(start).toMatchObject({ decision: 'supplier_rma', repairQuote: 300, replacementPrice: 2400, repairVendor: 'PAX', dueBack: '2025-06-29', resolution: '' });
  });

  it('should take the only fitting resolution of a resolved ticket', () => {
    const resolved = newIncident({ stage: 'resolved', repair: { ...newIncident().repair, decision: 'replace' } });
    expect(newStepDraft(resolved, null, TODAY).resolution).toBe('replaced');
  });
});

describe(offeredSteps.name, () => {
  const diagnosis = { faultType: 'hardware', cause: 'wear', mode: 'on_site', responsibility: 'supplier', responsiblePerson: null, note: null, at: '2025-06-15T09:00:00.000Z', by: 'tech' } as const;
  const backup = { at: '2025-06-15T09:00:00.000Z', by: 'tech', location: 'NAS', note: null };

  it('should offer the first response first on a new ticket, closing last', () => {
    expect(offeredSteps(newIncident())).toEqual(['respond', 'diagnose', 'backUp', 'lendSpare', 'close']);
  });

  it('should put the steps that move the ticket on before a revised diagnosis, decision or backup', () => {
    const decided = newIncident({
      stage: 'awaiting_repair',
      diagnosis,
      backup,
      repair: { ...newIncident().repair, decision: 'supplier_rma' },
      actions: ['diagnose', 'decide', 'lendSpare', 'backUp', 'ship', 'repairOnSite', 'replace', 'close'],
    });
    expect(offeredSteps(decided)).toEqual(['ship', 'repairOnSite', 'replace', 'lendSpare', 'close', 'diagnose', 'decide', 'backUp']);
  });

  it('should offer a rating once resolved, and reopening alone once closed', () => {
    expect(offeredSteps(newIncident({ stage: 'resolved', actions: ['restoreData', 'close'] }))).toEqual(['restoreData', 'rate', 'close']);
    expect(offeredSteps(newIncident({ stage: 'closed', actions: ['reopen'] }))).toEqual(['reopen']);
  });
});

describe(closingResolutions.name, () => {
  it.each([
    ['reported', null, ['no_fault_found', 'duplicate', 'cancelled']],
    ['awaiting_repair', 'paid_repair', ['no_fault_found', 'duplicate', 'cancelled']],
    ['resolved', 'supplier_rma', ['repaired']],
    ['resolved', 'on_site_repair', ['repaired']],
    ['resolved', 'replace', ['replaced']],
  ] as const)('should let a %s ticket decided as %s close as %j', (stage, decision, expected) => {
    expect(closingResolutions(newIncident({ stage, repair: { ...newIncident().repair, decision } }))).toEqual(expected);
  });
});


describe(stepBody.name, () => {
  const allDone = Object.fromEntries(FIRST_RESPONSE_CHECKS.map((check) => [check, 'done'])) as IncidentStepDraft['checks'];
  const allPass = Object.fromEntries(TEST_CHECKS.map((check) => [check, 'pass'])) as IncidentStepDraft['testChecks'];

  it.each<[string, Parameters<typeof stepBody>[0], Partial<IncidentStepDraft>, unknown]>([
    ['a first response', 'respond', { checks: allDone, note: ' restarted ' }, { step: 'respond', body: { checks: allDone, fixed: false, note: 'restarted' } }],
    [
      'a diagnosis blaming a person',
      'diagnose',
      { faultType: 'hardware', cause: 'misuse', mode: 'on_site', responsibility: 'person', responsiblePerson: ' Li Lei ' },
      { step: 'diagnose', body: { faultType: 'hardware', cause: 'misuse', mode: 'on_site', responsibility: 'person', responsiblePerson: 'Li Lei', note: null } },
    ],
    [
      'a diagnosis that names nobody unless a person is responsible',
      'diagnose',
      { faultType: 'software', cause: 'software', mode: 'remote', responsibility: 'supplier', responsiblePerson: 'Li Lei' },
      { step: 'diagnose', body: { faultType: 'software', cause: 'software', mode: 'remote', responsibility: 'supplier', responsiblePerson: null, note: null } },
    ],
    [
      'a decision with empty amounts as null',
      'decide',
      { decision: 'paid_repair', repairQuote: '', replacementPrice: 2400, repairVendor: '' },
      { step: 'decide', body: { decision: 'paid_repair', repairQuote: null, replacementPrice: 2400, repairVendor: null, note: null } },
    ],
    ['a spare loan', 'lendSpare', { spareTerminalId: 9, dueBack: '2025-07-01' }, { step: 'lendSpare', body: { spareTerminalId: 9, dueBack: '2025-07-01', note: null } }],
    ['a backup', 'backUp', { location: 'NAS /pos/backups' }, { step: 'backUp', body: { location: 'NAS /pos/backups', note: null } }],
    [
      'a shipment',
      'ship',
      { repairVendor: 'PAX', carrier: 'SF Express', trackingNumber: 'SF123' },
      { step: 'ship', body: { repairVendor: 'PAX', carrier: 'SF Express', trackingNumber: 'SF123', note: null } },
    ],
    ['a return without a new unit', 'receive', { newSerialNumber: ' ' }, { step: 'receive', body: { newSerialNumber: null, note: null } }],
    ['an on-site repair', 'repairOnSite', { note: 'new print head' }, { step: 'repairOnSite', body: { note: 'new print head' } }],
    ['a replacement', 'replace', { replacementTerminalId: 12 }, { step: 'replace', body: { replacementTerminalId: 12, note: null } }],
    ['a test with no spare out', 'test', { testChecks: allPass }, { step: 'test', body: { checks: allPass, note: null } }],
    ['a restore', 'restoreData', {}, { step: 'restoreData', body: { note: null } }],
    ['an early close', 'close', { resolution: 'duplicate', note: 'INC-000006' }, { step: 'close', body: { resolution: 'duplicate', note: 'INC-000006' } }],
    ['a reopen', 'reopen', { reason: 'Fails again' }, { step: 'reopen', body: { reason: 'Fails again', note: null } }],
    ['a rating', 'rate', { rating: 4, comment: '' }, { step: 'rate', body: { rating: 4, comment: null } }],
  ])('should send %s', (_what, step, fields, expected) => {
    const incident = newIncident();
    expect(stepBody(step, draft(incident, fields), incident, LISTS)).toEqual(expected);
  });

  it.each<[string, Parameters<typeof stepBody>[0], Partial<IncidentStepDraft>, string[]]>([
    ['an unanswered check', 'respond', { checks: { restart: 'done' } }, ['checks']],
    ['an empty diagnosis', 'diagnose', { faultType: '', cause: '', mode: '', responsibility: '' }, ['faultType', 'cause', 'mode', 'responsibility']],
    ['the person responsible', 'diagnose', { faultType: 'hardware', cause: 'misuse', mode: 'remote', responsibility: 'person', responsiblePerson: '' }, ['responsiblePerson']],
    ['a spare', 'lendSpare', { spareTerminalId: '' }, ['spareTerminalId']],
    ['the tracking', 'ship', { repairVendor: 'PAX', carrier: '', trackingNumber: ' ' }, ['carrier', 'trackingNumber']],
    ['a closing note', 'close', { resolution: 'cancelled', note: '' }, ['note']],
    ['a rating', 'rate', { rating: '' }, ['rating']],
  ])('should refuse %s left empty', (_what, step, fields, missing) => {
    const incident = newIncident();
    expect(stepBody(step, draft(incident, fields), incident, LISTS)).toEqual({ missing });
  });

  it("should ask what becomes of a lent spare only when the test passes", () => {
    const incident = newIncident({ stage: 'testing', spare: lentSpare, spareOut: true });
    expect(stepBody('test', draft(incident, { testChecks: allPass }), incident, LISTS)).toEqual({ missing: ['spareOutcome'] });
    expect(stepBody('test', draft(incident, { testChecks: allPass, spareOutcome: 'keep' }), incident, LISTS)).toEqual({ step: 'test', body: { checks: allPass, spareOutcome: 'keep', note: null } });
    const failed = { ...allPass, print: 'fail' as const };
    expect(stepBody('test', draft(incident, { testChecks: failed }), incident, LISTS)).toEqual({ step: 'test', body: { checks: failed, note: null } });
  });
});
