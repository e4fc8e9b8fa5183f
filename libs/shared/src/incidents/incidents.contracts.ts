/** Fault tickets (故障工单): the requests and answers of /api/v1/incidents. */
import type { PageQuery } from '../common/pagination';
import type { IsoDate, IsoDateTime, Ref } from '../terminals/terminals.contracts';
import type { TerminalStatus } from '../terminals/lifecycle';
import type { IncidentActionType, IncidentResolution, IncidentStage, RepairDecision } from './incident-workflow';
import type { IncidentPriority, SlaTimer } from './incident-sla';
import type { RepairAdvice } from './repair-advice';

export const INCIDENT_SYMPTOMS = ['wont_boot', 'transaction_errors', 'error_code', 'screen', 'keys_touch', 'card_reader', 'printer', 'network', 'battery', 'physical_damage'] as const;
export type IncidentSymptom = (typeof INCIDENT_SYMPTOMS)[number];

/** How a dropped or damaged unit came to be so (asked for physical damage). */
export const DAMAGE_CIRCUMSTANCES = ['dropped', 'liquid', 'crushed', 'heat', 'tampering', 'other'] as const;
export type DamageCircumstance = (typeof DAMAGE_CIRCUMSTANCES)[number];

export const INCIDENT_SOURCES = ['user', 'alarm'] as const;
export type IncidentSource = (typeof INCIDENT_SOURCES)[number];

/** The alarms that open a ticket by themselves. */
export const INCIDENT_ALARMS = ['offline', 'recurring_error'] as const;
export type IncidentAlarm = (typeof INCIDENT_ALARMS)[number];

export const FIRST_RESPONSE_CHECKS = ['restart', 'power', 'battery', 'cables', 'network'] as const;
export type FirstResponseCheck = (typeof FIRST_RESPONSE_CHECKS)[number];
/** done: checked, nothing wrong; fixed: this step fixed it; problem: a problem found but not fixed; skipped: not applicable (e.g. a damaged unit kept as it is). */
export const CHECK_OUTCOMES = ['done', 'fixed', 'problem', 'skipped'] as const;
export type CheckOutcome = (typeof CHECK_OUTCOMES)[number];

export const FAULT_TYPES = ['hardware', 'software'] as const;
export type FaultType = (typeof FAULT_TYPES)[number];
export const FAULT_CAUSES = ['quality_defect', 'environment', 'power', 'software', 'installation', 'wear', 'misuse'] as const;
export type FaultCause = (typeof FAULT_CAUSES)[number];
export const DIAGNOSIS_MODES = ['remote', 'on_site'] as const;
export type DiagnosisMode = (typeof DIAGNOSIS_MODES)[number];
/** Whose fault it was: it decides who pays. */
export const RESPONSIBILITIES = ['supplier', 'bank', 'merchant', 'person'] as const;
export type Responsibility = (typeof RESPONSIBILITIES)[number];

export const TEST_CHECKS = ['chip', 'stripe', 'contactless', 'print', 'touch_keys', 'network', 'test_transaction'] as const;
export type TestCheck = (typeof TEST_CHECKS)[number];
export const TEST_OUTCOMES = ['pass', 'fail', 'not_applicable'] as const;
export type TestOutcome = (typeof TEST_OUTCOMES)[number];

/** When the repaired unit is back, the lent spare returns to the pool, or stays and the swap becomes permanent. */
export const SPARE_OUTCOMES = ['return', 'keep'] as const;
export type SpareOutcome = (typeof SPARE_OUTCOMES)[number];

export const COST_KINDS = ['parts', 'labour', 'shipping', 'replacement', 'other'] as const;
export type CostKind = (typeof COST_KINDS)[number];
export const COST_PAYERS = ['supplier', 'insurer', 'bank', 'merchant', 'person'] as const;
export type CostPayer = (typeof COST_PAYERS)[number];
/** Payers against whom a claim is made and tracked. */
export const CLAIM_PAYERS: readonly CostPayer[] = ['supplier', 'insurer'];
export const CLAIM_STATUSES = ['submitted', 'approved', 'rejected', 'paid'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

export const CONTACT_CHANNELS = ['phone', 'visit', 'sms', 'email', 'im', 'other'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

export const INCIDENT_EVENT_KINDS = [
  'reported',
  'assigned',
  'first_response',
  'diagnosed',
  'decided',
  'spare_lent',
  'spare_returned',
  'spare_kept',
  'backed_up',
  'shipped',
  'received',
  'repaired_on_site',
  'replaced',
  'tested',
  'data_restored',
  'cost_added',
  'cost_updated',
  'merchant_contact',
  'rated',
  'photo_added',
  'closed',
  'reopened',
] as const;
export type IncidentEventKind = (typeof INCIDENT_EVENT_KINDS)[number];

export const MAX_PHOTO_BYTES = 8 * 1024 * 1024;
export const MAX_PHOTOS_PER_INCIDENT = 20;
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;

// ---- requests

export interface CreateIncidentRequest {
  terminalId: number;
  priority?: IncidentPriority;
  symptom: IncidentSymptom;
  errorCodes?: string[];
  description: string;
  /** Where the unit is, if not at its merchant (a branch counter, a market stall). */
  place?: string | null;
  /** For physical damage. */
  circumstances?: DamageCircumstance | null;
  circumstancesNote?: string | null;
  /** When the fault happened; defaults to now. */
  occurredAt?: IsoDateTime;
  assigneeId?: number | null;
}

export interface IncidentStepRequest {
  /** The ticket's version the author read (or If-Match). */
  version?: number;
  note?: string | null;
}

export interface AssignIncidentRequest extends IncidentStepRequest {
  assigneeId: number | null;
}

export interface RespondIncidentRequest extends IncidentStepRequest {
  checks: Partial<Record<FirstResponseCheck, CheckOutcome>>;
  /** The first response fixed it: the ticket closes as fixed on first response. */
  fixed: boolean;
}

export interface DiagnoseIncidentRequest extends IncidentStepRequest {
  faultType: FaultType;
  cause: FaultCause;
  mode: DiagnosisMode;
  responsibility: Responsibility;
  /** Who, when the responsibility lies with a person. */
  responsiblePerson?: string | null;
}

export interface DecideRepairRequest extends IncidentStepRequest {
  decision: RepairDecision;
  repairQuote?: number | null;
  replacementPrice?: number | null;
  repairVendor?: string | null;
}

export interface LendSpareRequest extends IncidentStepRequest {
  spareTerminalId: number;
  dueBack: IsoDate;
}

export interface BackUpIncidentRequest extends IncidentStepRequest {
  /** Where the transaction records and settings were saved. */
  location: string;
}

export interface ShipIncidentRequest extends IncidentStepRequest {
  repairVendor: string;
  carrier: string;
  trackingNumber: string;
  shippedAt?: IsoDateTime;
}

export interface ReceiveIncidentRequest extends IncidentStepRequest {
  returnedAt?: IsoDateTime;
  /** When the vendor swapped the unit for another, its serial number. */
  newSerialNumber?: string | null;
}

export interface ReplaceIncidentRequest extends IncidentStepRequest {
  /** A unit in stock or spare, of the same region, that takes the faulty one's place. */
  replacementTerminalId: number;
}

export interface TestIncidentRequest extends IncidentStepRequest {
  checks: Partial<Record<TestCheck, TestOutcome>>;
  /** Required when a spare is out and the test passes. */
  spareOutcome?: SpareOutcome;
}

export interface CloseIncidentRequest extends IncidentStepRequest {
  resolution: IncidentResolution;
  note: string;
}

export interface ReopenIncidentRequest extends IncidentStepRequest {
  reason: string;
}

export interface RateIncidentRequest extends IncidentStepRequest {
  rating: number;
  comment?: string | null;
}

export interface AddMerchantContactRequest {
  channel: ContactChannel;
  contactPerson?: string | null;
  summary: string;
  at?: IsoDateTime;
}

export interface CreateIncidentCostRequest {
  kind: CostKind;
  description?: string | null;
  amount: number;
  currency?: string;
  payer: CostPayer;
  /** For supplier and insurer: the claim filed against them. */
  claimReference?: string | null;
  claimStatus?: ClaimStatus | null;
  claimedAmount?: number | null;
}

export interface UpdateIncidentCostRequest {
  version?: number;
  claimStatus?: ClaimStatus | null;
  claimReference?: string | null;
  claimedAmount?: number | null;
  approvedAmount?: number | null;
  paidAmount?: number | null;
}

export const INCIDENT_SORT_FIELDS = ['reportedAt', 'priority', 'updatedAt'] as const;
export type IncidentSortField = (typeof INCIDENT_SORT_FIELDS)[number];

export interface ListIncidentsQuery extends PageQuery {
  stage?: IncidentStage[];
  priority?: IncidentPriority[];
  regionId?: number;
  modelId?: number;
  terminalId?: number;
  assigneeId?: number;
  symptom?: IncidentSymptom;
  /** Only tickets with a running service-level clock past its target. */
  overdue?: boolean;
  /** Matches the ticket number or the terminal's asset number. */
  q?: string;
}

// ---- answers

export interface IncidentFirstResponse {
  checks: Partial<Record<FirstResponseCheck, CheckOutcome>>;
  fixed: boolean;
  at: IsoDateTime;
  by: string;
}

export interface IncidentDiagnosis {
  faultType: FaultType;
  cause: FaultCause;
  mode: DiagnosisMode;
  responsibility: Responsibility;
  responsiblePerson: string | null;
  note: string | null;
  at: IsoDateTime;
  by: string;
}

export interface IncidentSpare {
  terminal: Ref & { assetNumber: string; status: TerminalStatus };
  lentAt: IsoDateTime;
  dueBack: IsoDate;
  /** null while the spare is out. */
  outcome: SpareOutcome | null;
  settledAt: IsoDateTime | null;
  overdue: boolean;
}

export interface IncidentDataStep {
  at: IsoDateTime;
  by: string;
  location: string | null;
  note: string | null;
}

export interface IncidentRepair {
  decision: RepairDecision | null;
  repairQuote: number | null;
  replacementPrice: number | null;
  repairVendor: string | null;
  carrier: string | null;
  trackingNumber: string | null;
  shippedAt: IsoDateTime | null;
  returnedAt: IsoDateTime | null;
  newSerialNumber: string | null;
  replacement: (Ref & { assetNumber: string }) | null;
}

export interface IncidentTest {
  checks: Partial<Record<TestCheck, TestOutcome>>;
  passed: boolean;
  at: IsoDateTime;
  by: string;
  /** How many tests this ticket has had (a failed one sends the unit back to repair). */
  attempts: number;
}

export interface IncidentCostResponse {
  id: number;
  kind: CostKind;
  description: string | null;
  amount: number;
  currency: string;
  payer: CostPayer;
  claimReference: string | null;
  claimStatus: ClaimStatus | null;
  claimedAmount: number | null;
  approvedAmount: number | null;
  paidAmount: number | null;
  version: number;
  createdAt: IsoDateTime;
  updatedAt: IsoDateTime;
}

export interface IncidentEventResponse {
  id: number;
  at: IsoDateTime;
  actor: { id: number | null; username: string };
  kind: IncidentEventKind;
  stageFrom: IncidentStage | null;
  stageTo: IncidentStage | null;
  /** The step's own fields (checklists, carrier, amounts, what the merchant was told...). */
  details: Record<string, unknown>;
  note: string | null;
}

export interface IncidentPhotoResponse {
  id: number;
  originalName: string;
  contentType: string;
  size: number;
  width: number;
  height: number;
  uploadedAt: IsoDateTime;
  uploadedBy: string;
  /** Paths under /api/v1 that answer only to signed-in users allowed to see the ticket. */
  url: string;
  thumbnailUrl: string;
}

/** A row of the board and of lists. */
export interface IncidentSummaryResponse {
  id: number;
  number: string;
  stage: IncidentStage;
  priority: IncidentPriority;
  source: IncidentSource;
  alarm: IncidentAlarm | null;
  symptom: IncidentSymptom;
  terminal: Ref & { assetNumber: string };
  model: Ref;
  region: Ref & { code: string };
  merchant: Ref | null;
  assignee: Ref | null;
  reportedAt: IsoDateTime;
  updatedAt: IsoDateTime;
  /** A service-level clock still running past its target. */
  overdue: boolean;
  spareOut: boolean;
}

export interface IncidentResponse extends IncidentSummaryResponse {
  version: number;
  reporter: { id: number | null; username: string };
  errorCodes: string[];
  description: string;
  place: string | null;
  circumstances: DamageCircumstance | null;
  circumstancesNote: string | null;
  occurredAt: IsoDateTime;
  firstResponse: IncidentFirstResponse | null;
  diagnosis: IncidentDiagnosis | null;
  spare: IncidentSpare | null;
  backup: IncidentDataStep | null;
  restore: IncidentDataStep | null;
  repair: IncidentRepair;
  test: IncidentTest | null;
  restoredAt: IsoDateTime | null;
  resolvedAt: IsoDateTime | null;
  resolution: IncidentResolution | null;
  resolutionNote: string | null;
  closedAt: IsoDateTime | null;
  reopenCount: number;
  rating: number | null;
  ratingComment: string | null;
  sla: SlaTimer[];
  /** Warranty and insurance checked now, with the recommended repair path. */
  advice: RepairAdvice;
  costs: IncidentCostResponse[];
  /** What the steps the state machine allows now are. */
  actions: IncidentActionType[];
  createdAt: IsoDateTime;
}

/** Open tickets by stage for the board's column headers. */
export interface IncidentBoardCounts {
  byStage: Record<IncidentStage, number>;
  overdue: number;
}

// ---- common faults (常见故障处理汇总表) and service levels

export interface CommonFaultsQuery {
  symptom?: IncidentSymptom;
  modelId?: number;
  errorCode?: string;
  q?: string;
  page?: number;
  pageSize?: number;
}

/** A known fault and the fix that worked, learnt from closed tickets. */
export interface CommonFaultResponse {
  symptom: IncidentSymptom;
  model: Ref;
  errorCode: string | null;
  /** The firmware the unit ran, except for faults diagnosed as hardware (null: any version). */
  firmwareVersion: string | null;
  faultType: FaultType | null;
  cause: FaultCause | null;
  /** How it was fixed: fixed on first response, on-site repair, supplier RMA, paid repair or replacement. */
  fix: RepairDecision | 'first_response';
  tickets: number;
  /** Share fixed without a failed test or a reopen. */
  firstTimeFixRate: number;
  medianRepairHours: number | null;
  /** The most recent closing note, to read the fix in the technician's own words. */
  lastNote: string | null;
  lastClosedAt: IsoDateTime;
}

export const SERVICE_LEVEL_GROUPS = ['technician', 'vendor', 'region'] as const;
export type ServiceLevelGroup = (typeof SERVICE_LEVEL_GROUPS)[number];

export interface ServiceLevelQuery {
  groupBy: ServiceLevelGroup;
  /** Tickets reported in [from, to). */
  from?: IsoDate;
  to?: IsoDate;
}

export interface ServiceLevelRow {
  key: string;
  label: string;
  tickets: number;
  closed: number;
  /** Per measure: share of tickets that met the target, and median hours to meet it. */
  respond: { metRate: number | null; medianHours: number | null };
  restore: { metRate: number | null; medianHours: number | null };
  repair: { metRate: number | null; medianHours: number | null };
  firstTimeFixRate: number | null;
  reopenRate: number | null;
  averageRating: number | null;
}

export function formatIncidentNumber(id: number): string {
  return `INC-${String(id).padStart(6, '0')}`;
}
