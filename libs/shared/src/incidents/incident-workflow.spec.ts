import {
  availableIncidentActions,
  INCIDENT_STAGES,
  planIncidentAction,
  postRepairTestPassed,
  type IncidentAction,
  type IncidentStage,
  type IncidentWorkflowState,
  type RepairDecision,
} from './incident-workflow';

function state(stage: IncidentStage, overrides: Partial<IncidentWorkflowState> = {}): IncidentWorkflowState {
  return { stage, decision: null, backedUp: false, restored: false, spareOut: false, ...overrides };
}

describe('planIncidentAction', () => {
  it.each<[string, IncidentWorkflowState, IncidentAction, IncidentStage | string]>([
    ['first response that fixes it closes', state('reported'), { type: 'respond', fixed: true }, 'closed'],
    ['first response without a fix goes to diagnosis', state('reported'), { type: 'respond', fixed: false }, 'diagnosing'],
    ['first response only once', state('diagnosing'), { type: 'respond', fixed: false }, 'INCIDENT_INVALID_TRANSITION'],
    ['fixed on first response with a spare out', state('reported', { spareOut: true }), { type: 'respond', fixed: true }, 'INCIDENT_SPARE_OUTSTANDING'],
    ['diagnosis straight from the report', state('reported'), { type: 'diagnose' }, 'awaiting_repair'],
    ['diagnosis after first response', state('diagnosing'), { type: 'diagnose' }, 'awaiting_repair'],
    ['re-diagnosis while awaiting repair', state('awaiting_repair'), { type: 'diagnose' }, 'awaiting_repair'],
    ['no diagnosis at the repair centre', state('at_repair'), { type: 'diagnose' }, 'INCIDENT_INVALID_TRANSITION'],
    ['decision only once diagnosed', state('diagnosing'), { type: 'decide' }, 'INCIDENT_INVALID_TRANSITION'],
    ['decision when diagnosed', state('awaiting_repair'), { type: 'decide' }, 'awaiting_repair'],
    ['shipping needs a decision', state('awaiting_repair', { backedUp: true }), { type: 'ship' }, 'INCIDENT_DECISION_REQUIRED'],
    ['shipping needs a shipping decision', state('awaiting_repair', { decision: 'replace', backedUp: true }), { type: 'ship' }, 'INCIDENT_DECISION_REQUIRED'],
    ['shipping needs the backup', state('awaiting_repair', { decision: 'supplier_rma' }), { type: 'ship' }, 'INCIDENT_BACKUP_REQUIRED'],
    ['shipping an RMA with the backup', state('awaiting_repair', { decision: 'supplier_rma', backedUp: true }), { type: 'ship' }, 'at_repair'],
    ['shipping a paid repair with the backup', state('awaiting_repair', { decision: 'paid_repair', backedUp: true }), { type: 'ship' }, 'at_repair'],
    ['receiving from the repair centre', state('at_repair'), { type: 'receive' }, 'testing'],
    ['receiving what was never shipped', state('awaiting_repair'), { type: 'receive' }, 'INCIDENT_INVALID_TRANSITION'],
    ['on-site repair needs no backup', state('awaiting_repair', { decision: 'on_site_repair' }), { type: 'repairOnSite' }, 'testing'],
    ['on-site repair needs its decision', state('awaiting_repair', { decision: 'paid_repair' }), { type: 'repairOnSite' }, 'INCIDENT_DECISION_REQUIRED'],
    ['replacing needs the backup', state('awaiting_repair', { decision: 'replace' }), { type: 'replace' }, 'INCIDENT_BACKUP_REQUIRED'],
    ['replacing with the backup', state('awaiting_repair', { decision: 'replace', backedUp: true }), { type: 'replace' }, 'testing'],
    ['a passing test resolves', state('testing'), { type: 'test', passed: true }, 'resolved'],
    ['a failing test sends it back to repair', state('testing'), { type: 'test', passed: false }, 'awaiting_repair'],
    ['no test before the unit is back', state('at_repair'), { type: 'test', passed: true }, 'INCIDENT_INVALID_TRANSITION'],
    ['lending a spare while at repair', state('at_repair'), { type: 'lendSpare' }, 'at_repair'],
    ['lending a second spare', state('at_repair', { spareOut: true }), { type: 'lendSpare' }, 'INCIDENT_SPARE_OUTSTANDING'],
    ['no spare once resolved', state('resolved'), { type: 'lendSpare' }, 'INCIDENT_INVALID_TRANSITION'],
    ['backing up before it leaves', state('diagnosing'), { type: 'backUp' }, 'diagnosing'],
    ['no backup once shipped', state('at_repair'), { type: 'backUp' }, 'INCIDENT_INVALID_TRANSITION'],
    ['restoring what was backed up', state('resolved', { backedUp: true }), { type: 'restoreData' }, 'resolved'],
    ['restoring with no backup', state('testing'), { type: 'restoreData' }, 'INCIDENT_BACKUP_REQUIRED'],
    ['closing a repaired ticket', state('resolved', { decision: 'supplier_rma', backedUp: true, restored: true }), { type: 'close', resolution: 'repaired' }, 'closed'],
    ['closing a replaced ticket', state('resolved', { decision: 'replace', backedUp: true, restored: true }), { type: 'close', resolution: 'replaced' }, 'closed'],
    ['closing a replaced ticket as repaired', state('resolved', { decision: 'replace' }), { type: 'close', resolution: 'repaired' }, 'INCIDENT_INVALID_TRANSITION'],
    ['closing before the data is restored', state('resolved', { decision: 'paid_repair', backedUp: true }), { type: 'close', resolution: 'repaired' }, 'INCIDENT_RESTORE_REQUIRED'],
    ['closing with a spare out', state('resolved', { decision: 'paid_repair', spareOut: true }), { type: 'close', resolution: 'repaired' }, 'INCIDENT_SPARE_OUTSTANDING'],
    ['closing a report as no fault found', state('reported'), { type: 'close', resolution: 'no_fault_found' }, 'closed'],
    ['closing a report as repaired', state('reported'), { type: 'close', resolution: 'repaired' }, 'INCIDENT_INVALID_TRANSITION'],
    ['closing while at the repair centre', state('at_repair'), { type: 'close', resolution: 'cancelled' }, 'INCIDENT_INVALID_TRANSITION'],
    ['a closed ticket is read-only', state('closed'), { type: 'diagnose' }, 'INCIDENT_CLOSED'],
    ['reopening a closed ticket', state('closed'), { type: 'reopen' }, 'diagnosing'],
    ['reopening an open ticket', state('testing'), { type: 'reopen' }, 'INCIDENT_INVALID_TRANSITION'],
  ])('should handle %s', (_name, from, action, expected) => {
    const plan = planIncidentAction(from, action);
    expect(plan.ok ? plan.to : plan.code).toBe(expected);
  });

  it('should name the resolution field when the resolution does not fit', () => {
    const plan = planIncidentAction(state('reported'), { type: 'close', resolution: 'replaced' });
    expect(plan).toMatchObject({ ok: false, field: 'resolution' });
  });
});

describe('availableIncidentActions', () => {
  it('should offer only what the state machine accepts', () => {
    expect(availableIncidentActions(state('reported'))).toEqual(['respond', 'diagnose', 'lendSpare', 'backUp', 'close']);
    expect(availableIncidentActions(state('awaiting_repair', { decision: 'supplier_rma' }))).toEqual(['diagnose', 'decide', 'lendSpare', 'backUp', 'close']);
    expect(availableIncidentActions(state('awaiting_repair', { decision: 'supplier_rma', backedUp: true }))).toContain('ship');
    expect(availableIncidentActions(state('closed'))).toEqual(['reopen']);
  });

  it('should leave no open stage without a way forward', () => {
    const decisions: (RepairDecision | null)[] = [null, 'supplier_rma', 'paid_repair', 'on_site_repair', 'replace'];
    for (const stage of INCIDENT_STAGES) {
      for (const decision of decisions) {
        expect(availableIncidentActions(state(stage, { decision, backedUp: true, restored: true })).length).toBeGreaterThan(0);
      }
    }
  });
});

describe('postRepairTestPassed', () => {
  it.each([
    [{ chip: 'pass', print: 'pass', test_transaction: 'pass' }, true],
    [{ chip: 'pass', print: 'not_applicable', test_transaction: 'pass' }, true],
    [{ chip: 'fail', test_transaction: 'pass' }, false],
    [{ chip: 'pass', print: 'pass' }, false],
    [{ test_transaction: 'not_applicable' }, false],
  ] as const)('should judge %j: %s', (checks, expected) => {
    expect(postRepairTestPassed(checks)).toBe(expected);
  });
});
