import type { IncidentEntity } from './incident.entity';
import { testPassed, workflowState } from './incidents.service';

describe('IncidentsService helpers', () => {
  it.each([
    [{ chip: 'pass', print: 'pass', test_transaction: 'pass' }, true],
    [{ chip: 'pass', print: 'not_applicable', test_transaction: 'pass' }, true],
    [{ chip: 'fail', test_transaction: 'pass' }, false],
    [{ chip: 'pass', print: 'pass' }, false],
    [{ test_transaction: 'not_applicable' }, false],
  ] as const)('should pass the test %j: %s', (checks, expected) => {
    expect(testPassed(checks)).toBe(expected);
  });

  it('should see a lent spare as out until its outcome is recorded', () => {
    const base = { stage: 'at_repair', decision: 'supplier_rma', backup: { at: '', by: '', location: null, note: null }, dataRestore: null, spareTerminalId: 7, spareOutcome: null } as unknown as IncidentEntity;
    expect(workflowState(base)).toEqual({ stage: 'at_repair', decision: 'supplier_rma', backedUp: true, restored: false, spareOut: true });
    expect(workflowState({ ...base, spareOutcome: 'return' }).spareOut).toBe(false);
    expect(workflowState({ ...base, spareTerminalId: null }).spareOut).toBe(false);
  });
});
