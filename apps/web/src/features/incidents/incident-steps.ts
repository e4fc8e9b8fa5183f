/**
 * The step forms of a fault ticket as data: what a form starts with (prefilled
 * from the ticket and its advice) and the request it sends, or the fields
 * still missing. Kept apart from the components so every step's body is
 * tested as a table.
 */
import {
  EARLY_RESOLUTIONS,
  postRepairTestPassed,
  type CheckOutcome,
  type DiagnosisMode,
  type FaultCause,
  type FaultType,
  type FirstResponseCheck,
  type IncidentResolution,
  type IncidentResponse,
  type RepairDecision,
  type Responsibility,
  type SpareOutcome,
  type TerminalResponse,
  type TestCheck,
  type TestOutcome,
} from '@fleet/shared';
import type { IncidentStepBodies, IncidentStepName } from '../../api/resources';

/** The steps a form is shown for (assign has its own control in the header). */
export type IncidentFormStep = Exclude<IncidentStepName, 'assign'>;

/** What the user fills in; '' is "not chosen yet". */
export interface IncidentStepDraft {
  note: string;
  checks: Partial<Record<FirstResponseCheck, CheckOutcome>>;
  fixed: boolean;
  faultType: FaultType | '';
  cause: FaultCause | '';
  mode: DiagnosisMode | '';
  responsibility: Responsibility | '';
  responsiblePerson: string;
  decision: RepairDecision | '';
  repairQuote: number | '';
  replacementPrice: number | '';
  repairVendor: string;
  spareTerminalId: number | '';
  dueBack: string;
  location: string;
  carrier: string;
  trackingNumber: string;
  newSerialNumber: string;
  replacementTerminalId: number | '';
  testChecks: Partial<Record<TestCheck, TestOutcome>>;
  spareOutcome: SpareOutcome | '';
  resolution: IncidentResolution | '';
  reason: string;
  rating: number | '';
  comment: string;
}

/** How long a spare is lent unless the technician says otherwise. */
export const DEFAULT_LOAN_DAYS = 14;

function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The resolutions a close may carry now: the fix when resolved (repaired, or replaced after a replacement), else the early ones. */
export function closingResolutions(incident: Pick<IncidentResponse, 'stage' | 'repair'>): readonly IncidentResolution[] {
  if (incident.stage !== 'resolved') return EARLY_RESOLUTIONS;
  return incident.repair.decision === 'replace' ? ['replaced'] : ['repaired'];
}

/** A spare lent on this ticket, neither returned nor kept yet. */
export function spareIsOut(incident: Pick<IncidentResponse, 'spare'>): boolean {
  return incident.spare !== null && incident.spare.outcome === null;
}

/** The order the work usually goes in; a spare is lent beside it, closing comes last. */
const STEP_ORDER: readonly IncidentFormStep[] = ['reopen', 'respond', 'diagnose', 'decide', 'backUp', 'ship', 'repairOnSite', 'replace', 'receive', 'test', 'restoreData', 'rate', 'lendSpare', 'close'];

/**
 * The step forms to offer, the next one first: what the state machine accepts
 * now, plus a rating once resolved. A step already done that may be done
 * again (a revised diagnosis or decision, another backup) goes after the
 * steps that move the ticket on.
 */
export function offeredSteps(incident: Pick<IncidentResponse, 'actions' | 'stage' | 'diagnosis' | 'backup' | 'repair'>): IncidentFormStep[] {
  const steps: IncidentFormStep[] = [...incident.actions, ...(incident.stage === 'resolved' ? (['rate'] as const) : [])];
  const done = (step: IncidentFormStep) =>
    (step === 'diagnose' && incident.diagnosis !== null) || (step === 'decide' && incident.repair.decision !== null) || (step === 'backUp' && incident.backup !== null);
  const rank = (step: IncidentFormStep) => STEP_ORDER.indexOf(step) + (done(step) ? STEP_ORDER.length : 0);
  return steps.sort((a, b) => rank(a) - rank(b));
}

/**
 * A fresh form for the ticket: the repair decision as advised, the quote,
 * price and vendor as already known (else the unit's purchase price and its
 * warranty provider or supplier), a spare due back in two weeks, the only
 * fitting resolution when there is one, and the rating already given.
 */
export function newStepDraft(incident: IncidentResponse, terminal: TerminalResponse | null, today: string): IncidentStepDraft {
  const resolutions = closingResolutions(incident);
  return {
    note: '',
    checks: {},
    fixed: false,
    faultType: incident.diagnosis?.faultType ?? '',
    cause: incident.diagnosis?.cause ?? '',
    mode: incident.diagnosis?.mode ?? '',
    responsibility: incident.diagnosis?.responsibility ?? '',
    responsiblePerson: incident.diagnosis?.responsiblePerson ?? '',
    decision: incident.repair.decision ?? incident.advice.decision,
    repairQuote: incident.repair.repairQuote ?? '',
    replacementPrice: incident.repair.replacementPrice ?? terminal?.purchasePrice ?? '',
    repairVendor: incident.repair.repairVendor ?? terminal?.warrantyProvider ?? terminal?.supplier.name ?? '',
    spareTerminalId: '',
    dueBack: addDays(today, DEFAULT_LOAN_DAYS),
    location: '',
    carrier: incident.repair.carrier ?? '',
    trackingNumber: '',
    newSerialNumber: '',
    replacementTerminalId: '',
    testChecks: {},
    spareOutcome: '',
    resolution: resolutions.length === 1 ? resolutions[0]! : '',
    reason: '',
    rating: incident.rating ?? '',
    comment: incident.ratingComment ?? '',
  };
}

export type IncidentStepSubmission = { [K in IncidentFormStep]: { step: K; body: IncidentStepBodies[K] } }[IncidentFormStep];
export type StepBodyResult = IncidentStepSubmission | { missing: string[] };

const text = (value: string) => (value.trim() === '' ? null : value.trim());
const amount = (value: number | '') => (value === '' ? null : value);

/** Every check of the list answered. */
function unanswered<C extends string>(all: readonly C[], answers: Partial<Record<C, string>>): boolean {
  return all.some((check) => answers[check] === undefined);
}

/**
 * The request of a step from its form, without the version (the page adds
 * the one it read), or the names of the required fields left empty.
 */
export function stepBody(
  step: IncidentFormStep,
  draft: IncidentStepDraft,
  incident: IncidentResponse,
  lists: { firstResponseChecks: readonly FirstResponseCheck[]; testChecks: readonly TestCheck[] },
): StepBodyResult {
  const missing: string[] = [];
  const need = <T>(field: string, value: T | ''): T | undefined => {
    if (value === '' || (typeof value === 'string' && value.trim() === '')) {
      missing.push(field);
      return undefined;
    }
    return value;
  };
  const note = text(draft.note);
  const done = (submission: IncidentStepSubmission): StepBodyResult => (missing.length ? { missing } : submission);

  switch (step) {
    case 'respond':
      if (unanswered(lists.firstResponseChecks, draft.checks)) missing.push('checks');
      return done({ step, body: { checks: { ...draft.checks }, fixed: draft.fixed, note } });
    case 'diagnose': {
      const faultType = need('faultType', draft.faultType);
      const cause = need('cause', draft.cause);
      const mode = need('mode', draft.mode);
      const responsibility = need('responsibility', draft.responsibility);
      const responsiblePerson = responsibility === 'person' ? need('responsiblePerson', draft.responsiblePerson.trim()) : undefined;
      if (!faultType || !cause || !mode || !responsibility) return { missing };
      return done({ step, body: { faultType, cause, mode, responsibility, responsiblePerson: responsiblePerson ?? null, note } });
    }
    case 'decide': {
      const decision = need('decision', draft.decision);
      if (!decision) return { missing };
      return done({ step, body: { decision, repairQuote: amount(draft.repairQuote), replacementPrice: amount(draft.replacementPrice), repairVendor: text(draft.repairVendor), note } });
    }
    case 'lendSpare': {
      const spareTerminalId = need('spareTerminalId', draft.spareTerminalId);
      const dueBack = need('dueBack', draft.dueBack);
      if (spareTerminalId === undefined || dueBack === undefined) return { missing };
      return done({ step, body: { spareTerminalId, dueBack, note } });
    }
    case 'backUp': {
      const location = need('location', draft.location.trim());
      return location === undefined ? { missing } : done({ step, body: { location, note } });
    }
    case 'ship': {
      const repairVendor = need('repairVendor', draft.repairVendor.trim());
      const carrier = need('carrier', draft.carrier.trim());
      const trackingNumber = need('trackingNumber', draft.trackingNumber.trim());
      if (repairVendor === undefined || carrier === undefined || trackingNumber === undefined) return { missing };
      return done({ step, body: { repairVendor, carrier, trackingNumber, note } });
    }
    case 'receive':
      return done({ step, body: { newSerialNumber: text(draft.newSerialNumber), note } });
    case 'repairOnSite':
    case 'restoreData':
      return done({ step, body: { note } });
    case 'replace': {
      const replacementTerminalId = need('replacementTerminalId', draft.replacementTerminalId);
      return replacementTerminalId === undefined ? { missing } : done({ step, body: { replacementTerminalId, note } });
    }
    case 'test': {
      if (unanswered(lists.testChecks, draft.testChecks)) missing.push('checks');
      // The spare's fate is settled by the passing test that ends its loan.
      const spareOutcome = spareIsOut(incident) && postRepairTestPassed(draft.testChecks) ? need('spareOutcome', draft.spareOutcome) : undefined;
      return done({ step, body: { checks: { ...draft.testChecks }, ...(spareOutcome ? { spareOutcome } : {}), note } });
    }
    case 'close': {
      const resolution = need('resolution', draft.resolution);
      const closingNote = need('note', draft.note.trim());
      if (!resolution || closingNote === undefined) return { missing };
      return done({ step, body: { resolution, note: closingNote } });
    }
    case 'reopen': {
      const reason = need('reason', draft.reason.trim());
      return reason === undefined ? { missing } : done({ step, body: { reason, note } });
    }
    case 'rate': {
      const rating = need('rating', draft.rating);
      return rating === undefined ? { missing } : done({ step, body: { rating, comment: text(draft.comment) } });
    }
  }
}
