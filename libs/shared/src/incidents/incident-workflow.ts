/**
 * The fault ticket's state machine (DOMAIN.md, "The fault workflow"): which
 * step may follow which, and the preconditions a bank's procedure puts on
 * them (no shipping without a data backup, no closing with a spare still out).
 * A pure function so the API enforces it and the dashboard offers only the
 * steps that will be accepted.
 */
import type { ErrorCode } from '../common/errors';
import type { TestCheck, TestOutcome } from './incidents.contracts';

export const INCIDENT_STAGES = ['reported', 'diagnosing', 'awaiting_repair', 'at_repair', 'testing', 'resolved', 'closed'] as const;
export type IncidentStage = (typeof INCIDENT_STAGES)[number];

/** Stages in which the ticket is still being worked (everything but closed). */
export const OPEN_INCIDENT_STAGES: readonly IncidentStage[] = INCIDENT_STAGES.filter((stage) => stage !== 'closed');

/** How the unit is brought back: supplier RMA or paid repair leave the site; on-site repair and replacement do not. */
export const REPAIR_DECISIONS = ['supplier_rma', 'paid_repair', 'on_site_repair', 'replace'] as const;
export type RepairDecision = (typeof REPAIR_DECISIONS)[number];
export const SHIPPED_DECISIONS: readonly RepairDecision[] = ['supplier_rma', 'paid_repair'];

/** Why a ticket was closed. The first three follow a fix; the others close a ticket that needed none. */
export const INCIDENT_RESOLUTIONS = ['fixed_on_first_response', 'repaired', 'replaced', 'no_fault_found', 'duplicate', 'cancelled'] as const;
export type IncidentResolution = (typeof INCIDENT_RESOLUTIONS)[number];
/** Resolutions a user may give when closing before anything was repaired. */
export const EARLY_RESOLUTIONS: readonly IncidentResolution[] = ['no_fault_found', 'duplicate', 'cancelled'];

export const INCIDENT_ACTIONS = [
  'respond',
  'diagnose',
  'decide',
  'lendSpare',
  'backUp',
  'ship',
  'receive',
  'repairOnSite',
  'replace',
  'test',
  'restoreData',
  'close',
  'reopen',
] as const;
export type IncidentActionType = (typeof INCIDENT_ACTIONS)[number];

/** What the state machine needs to know of a ticket. */
export interface IncidentWorkflowState {
  stage: IncidentStage;
  decision: RepairDecision | null;
  backedUp: boolean;
  restored: boolean;
  /** A spare is lent and neither returned nor kept yet. */
  spareOut: boolean;
}

export type IncidentAction =
  | { type: 'respond'; fixed: boolean }
  | { type: 'test'; passed: boolean }
  | { type: 'close'; resolution: IncidentResolution }
  | { type: Exclude<IncidentActionType, 'respond' | 'test' | 'close'> };

export type IncidentPlan =
  | { ok: true; to: IncidentStage }
  | { ok: false; code: Extract<ErrorCode, `INCIDENT_${string}`>; reason: string; field?: string };

/** Stages from which each step may be taken. */
const FROM: Readonly<Record<IncidentActionType, readonly IncidentStage[]>> = {
  respond: ['reported'],
  diagnose: ['reported', 'diagnosing', 'awaiting_repair'],
  decide: ['awaiting_repair'],
  lendSpare: ['reported', 'diagnosing', 'awaiting_repair', 'at_repair', 'testing'],
  backUp: ['reported', 'diagnosing', 'awaiting_repair'],
  ship: ['awaiting_repair'],
  receive: ['at_repair'],
  repairOnSite: ['awaiting_repair'],
  replace: ['awaiting_repair'],
  test: ['testing'],
  restoreData: ['testing', 'resolved'],
  close: ['reported', 'diagnosing', 'awaiting_repair', 'resolved'],
  reopen: ['closed'],
};

const invalid = (state: IncidentWorkflowState, action: IncidentAction): IncidentPlan => ({
  ok: false,
  code: 'INCIDENT_INVALID_TRANSITION',
  reason: `${action.type} is not possible while the ticket is ${state.stage}`,
});

/** The stage a step leads to, or why it is refused. */
export function planIncidentAction(state: IncidentWorkflowState, action: IncidentAction): IncidentPlan {
  if (!FROM[action.type].includes(state.stage)) {
    return state.stage === 'closed'
      ? { ok: false, code: 'INCIDENT_CLOSED', reason: 'A closed ticket is read-only; reopen it first' }
      : invalid(state, action);
  }
  switch (action.type) {
    case 'respond':
      if (action.fixed && state.spareOut) return { ok: false, code: 'INCIDENT_SPARE_OUTSTANDING', reason: 'Return the spare before closing the ticket as fixed' };
      return { ok: true, to: action.fixed ? 'closed' : 'diagnosing' };
    case 'diagnose':
    case 'decide':
      return { ok: true, to: 'awaiting_repair' };
    case 'lendSpare':
      if (state.spareOut) return { ok: false, code: 'INCIDENT_SPARE_OUTSTANDING', reason: 'A spare is already lent on this ticket', field: 'spareTerminalId' };
      return { ok: true, to: state.stage };
    case 'backUp':
      return { ok: true, to: state.stage };
    case 'ship':
    case 'repairOnSite':
    case 'replace': {
      const wanted: readonly RepairDecision[] = action.type === 'ship' ? SHIPPED_DECISIONS : action.type === 'replace' ? ['replace'] : ['on_site_repair'];
      if (!state.decision || !wanted.includes(state.decision)) {
        return { ok: false, code: 'INCIDENT_DECISION_REQUIRED', reason: `${action.type} needs the repair decision ${wanted.join(' or ')} (now ${state.decision ?? 'none'})` };
      }
      if (action.type !== 'repairOnSite' && !state.backedUp) {
        return { ok: false, code: 'INCIDENT_BACKUP_REQUIRED', reason: 'Back up the transaction records and settings before the unit leaves' };
      }
      return { ok: true, to: action.type === 'ship' ? 'at_repair' : 'testing' };
    }
    case 'receive':
      return { ok: true, to: 'testing' };
    case 'test':
      return { ok: true, to: action.passed ? 'resolved' : 'awaiting_repair' };
    case 'restoreData':
      if (!state.backedUp) return { ok: false, code: 'INCIDENT_BACKUP_REQUIRED', reason: 'Nothing was backed up on this ticket to restore' };
      return { ok: true, to: state.stage };
    case 'close':
      return planClose(state, action.resolution);
    case 'reopen':
      return { ok: true, to: 'diagnosing' };
  }
}

function planClose(state: IncidentWorkflowState, resolution: IncidentResolution): IncidentPlan {
  const fitting: readonly IncidentResolution[] = state.stage === 'resolved' ? (state.decision === 'replace' ? ['replaced'] : ['repaired']) : EARLY_RESOLUTIONS;
  if (!fitting.includes(resolution)) {
    return { ok: false, code: 'INCIDENT_INVALID_TRANSITION', reason: `A ${state.stage} ticket closes as ${fitting.join(' or ')}, not ${resolution}`, field: 'resolution' };
  }
  if (state.spareOut) return { ok: false, code: 'INCIDENT_SPARE_OUTSTANDING', reason: 'Return the spare, or keep it in place of the unit, before closing' };
  if (state.stage === 'resolved' && state.backedUp && !state.restored) {
    return { ok: false, code: 'INCIDENT_RESTORE_REQUIRED', reason: 'Confirm the data was restored on the unit before closing' };
  }
  return { ok: true, to: 'closed' };
}

/** The steps a ticket in this state accepts (some only with the right outcome). */
export function availableIncidentActions(state: IncidentWorkflowState): IncidentActionType[] {
  return INCIDENT_ACTIONS.filter((type) => {
    const probe: IncidentAction =
      type === 'respond' ? { type, fixed: false } : type === 'test' ? { type, passed: true } : type === 'close' ? { type, resolution: closingResolution(state) } : { type };
    return planIncidentAction(state, probe).ok;
  });
}

/** The resolution a close from this state would carry (a fix when resolved, otherwise the first early one). */
function closingResolution(state: IncidentWorkflowState): IncidentResolution {
  if (state.stage !== 'resolved') return EARLY_RESOLUTIONS[0]!;
  return state.decision === 'replace' ? 'replaced' : 'repaired';
}

export function isOpenStage(stage: IncidentStage): boolean {
  return stage !== 'closed';
}

/** A post-repair test passes when no check failed and the test transaction went through (only a pass returns the unit to service). */
export function postRepairTestPassed(checks: Partial<Record<TestCheck, TestOutcome>>): boolean {
  return !Object.values(checks).includes('fail') && checks.test_transaction === 'pass';
}

/** Every step column of a ticket before any step was taken (a new report): one definition for the API and the demo history. */
export const UNSTARTED_INCIDENT_STEPS = {
  firstResponse: null,
  respondedAt: null,
  faultType: null,
  cause: null,
  diagnosisMode: null,
  responsibility: null,
  responsiblePerson: null,
  diagnosisNote: null,
  diagnosedAt: null,
  diagnosedBy: null,
  decision: null,
  repairQuote: null,
  replacementPrice: null,
  repairVendor: null,
  carrier: null,
  trackingNumber: null,
  shippedAt: null,
  returnedAt: null,
  newSerialNumber: null,
  replacementTerminalId: null,
  spareTerminalId: null,
  spareLentAt: null,
  spareDueBack: null,
  spareOutcome: null,
  spareSettledAt: null,
  backup: null,
  dataRestore: null,
  testResult: null,
  testAttempts: 0,
  restoredAt: null,
  resolvedAt: null,
  resolution: null,
  resolutionNote: null,
  closedAt: null,
  reopenCount: 0,
  rating: null,
  ratingComment: null,
} as const;
