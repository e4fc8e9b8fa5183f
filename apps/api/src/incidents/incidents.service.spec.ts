import type { IncidentEntity } from './incident.entity';
import { workflowState } from './incidents.service';

describe('workflowState', () => {
  it('should see a lent spare as out until its outcome is recorded', () => {
    const base = { stage: 'at_repair', decision: 'supplier_rma', backup: { at: '', by: '', location: null, note: null }, dataRestore: null, spareTerminalId: 7, spareOutcome: null } as unknown as IncidentEntity;
    expect(workflowState(base)).toEqual({ stage: 'at_repair', decision: 'supplier_rma', backedUp: true, restored: false, spareOut: true });
    expect(workflowState({ ...base, spareOutcome: 'return' }).spareOut).toBe(false);
    expect(workflowState({ ...base, spareTerminalId: null }).spareOut).toBe(false);
  });
});
