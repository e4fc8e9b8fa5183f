/**
 * Pure helpers of the fault-ticket pages: durations, service-level states,
 * cost totals by payer, error-code chips, photo checks, the board's filters
 * read from the URL, and an event's details made readable. The pages
 * translate what these return.
 */
import {
  CHECK_OUTCOMES,
  CLAIM_STATUSES,
  CONTACT_CHANNELS,
  COST_KINDS,
  COST_PAYERS,
  DAMAGE_CIRCUMSTANCES,
  DIAGNOSIS_MODES,
  FAULT_CAUSES,
  FAULT_TYPES,
  FIRST_RESPONSE_CHECKS,
  INCIDENT_ALARMS,
  INCIDENT_PRIORITIES,
  INCIDENT_RESOLUTIONS,
  INCIDENT_SOURCES,
  INCIDENT_STAGES,
  INCIDENT_SYMPTOMS,
  MAX_PHOTO_BYTES,
  PHOTO_TYPES,
  REPAIR_DECISIONS,
  RESPONSIBILITIES,
  SPARE_OUTCOMES,
  TEST_CHECKS,
  TEST_OUTCOMES,
  type CostPayer,
  type CoverageStatus,
  type IncidentCostResponse,
  type IncidentEventKind,
  type IncidentEventResponse,
  type IncidentPriority,
  type IncidentStage,
  type IncidentSymptom,
  type ListIncidentsQuery,
  type SlaTimer,
} from '@fleet/shared';

// ---- durations

export interface DurationParts {
  days: number;
  hours: number;
  minutes: number;
}

/** A duration as the message that says it: minutes under an hour, hours and minutes under a day, days and hours beyond. */
export function durationMessage(totalMinutes: number): { key: 'minutes' | 'hours' | 'days'; params: DurationParts } {
  const total = Math.max(0, Math.floor(totalMinutes));
  const params = { days: Math.floor(total / 1440), hours: Math.floor((total % 1440) / 60), minutes: total % 60 };
  return { key: params.days > 0 ? 'days' : params.hours > 0 ? 'hours' : 'minutes', params };
}

/** The calendar day (YYYY-MM-DD) of a moment where the user is, for date inputs. */
export function localDay(moment: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${moment.getFullYear()}-${pad(moment.getMonth() + 1)}-${pad(moment.getDate())}`;
}

export function minutesSince(iso: string, now: number): number {
  return Math.max(0, Math.floor((now - Date.parse(iso)) / 60_000));
}

// ---- stages

/** The stages a ticket went through, from its timeline: a ticket fixed on first response never went to repair. */
export function visitedStages(events: readonly Pick<IncidentEventResponse, 'stageFrom' | 'stageTo'>[]): IncidentStage[] {
  const seen = new Set<IncidentStage>(['reported']);
  for (const event of events) {
    if (event.stageFrom) seen.add(event.stageFrom);
    if (event.stageTo) seen.add(event.stageTo);
  }
  return INCIDENT_STAGES.filter((stage) => seen.has(stage));
}

// ---- service levels

/** running: within target; overdue: running past it; met / metLate: met in or after time; stopped: closed without being met. */
export type SlaState = 'running' | 'overdue' | 'met' | 'metLate' | 'stopped';

export function slaState(timer: SlaTimer): SlaState {
  if (timer.metAt) return timer.breached ? 'metLate' : 'met';
  if (timer.stopped) return 'stopped';
  return timer.breached ? 'overdue' : 'running';
}

/** The share of the target used, 0 to 1, for a bar. */
export function slaShare(timer: SlaTimer): number {
  return timer.targetHours <= 0 ? 1 : Math.min(1, timer.elapsedMinutes / (timer.targetHours * 60));
}

// ---- costs

export interface PayerTotal {
  payer: CostPayer;
  currency: string;
  lines: number;
  amount: number;
  claimed: number;
  approved: number;
  paid: number;
}

const cents = (value: number) => Math.round(value * 100) / 100;

/** Sums by payer and currency, in the order of COST_PAYERS; amounts kept to the cent. */
export function costTotalsByPayer(costs: readonly IncidentCostResponse[]): PayerTotal[] {
  const totals = new Map<string, PayerTotal>();
  for (const cost of costs) {
    const key = `${cost.payer} ${cost.currency}`;
    const total = totals.get(key) ?? { payer: cost.payer, currency: cost.currency, lines: 0, amount: 0, claimed: 0, approved: 0, paid: 0 };
    total.lines += 1;
    total.amount = cents(total.amount + cost.amount);
    total.claimed = cents(total.claimed + (cost.claimedAmount ?? 0));
    total.approved = cents(total.approved + (cost.approvedAmount ?? 0));
    total.paid = cents(total.paid + (cost.paidAmount ?? 0));
    totals.set(key, total);
  }
  return [...totals.values()].sort((a, b) => COST_PAYERS.indexOf(a.payer) - COST_PAYERS.indexOf(b.payer) || a.currency.localeCompare(b.currency));
}

// ---- error codes and photos

/** Adds what was typed (split at commas, semicolons and line breaks, Chinese punctuation too) to the codes, each once. */
export function addChips(current: readonly string[], typed: string): string[] {
  const next = [...current];
  for (const part of typed.split(/[,，;；\n]/)) {
    const code = part.trim();
    if (code && !next.some((existing) => existing.toLowerCase() === code.toLowerCase())) next.push(code);
  }
  return next;
}

/** Why the API would refuse this file as a photo, or null. */
export function photoProblem(file: { type: string; size: number }): 'type' | 'size' | null {
  if (!(PHOTO_TYPES as readonly string[]).includes(file.type)) return 'type';
  return file.size > MAX_PHOTO_BYTES ? 'size' : null;
}

// ---- the board's filters in the URL

export type RouteQuery = Record<string, unknown>;

const oneOf = <T extends string>(values: readonly T[], value: unknown): T | undefined =>
  typeof value === 'string' && (values as readonly string[]).includes(value) ? (value as T) : undefined;
const listOf = <T extends string>(values: readonly T[], value: unknown): T[] | undefined => {
  const items = typeof value === 'string' ? value.split(',').flatMap((item) => oneOf(values, item) ?? []) : [];
  return items.length ? items : undefined;
};
const id = (value: unknown): number | undefined => (typeof value === 'string' && /^\d+$/.test(value) && Number(value) > 0 ? Number(value) : undefined);

/** The list filters a URL holds (`?stage=testing&priority=urgent,high&overdue=true`); anything unknown is left out. */
export function incidentFilters(query: RouteQuery): ListIncidentsQuery {
  return {
    stage: listOf<IncidentStage>(INCIDENT_STAGES, query.stage),
    priority: listOf<IncidentPriority>(INCIDENT_PRIORITIES, query.priority),
    regionId: id(query.regionId),
    modelId: id(query.modelId),
    assigneeId: id(query.assigneeId),
    symptom: oneOf<IncidentSymptom>(INCIDENT_SYMPTOMS, query.symptom),
    overdue: query.overdue === 'true' ? true : undefined,
    q: typeof query.q === 'string' && query.q.trim() ? query.q.trim() : undefined,
    page: id(query.page),
  };
}

// ---- event details

/** Sections of `incidents.*` in the texts that name the values of a vocabulary. */
export type TermSection =
  | 'stage'
  | 'priority'
  | 'symptom'
  | 'circumstance'
  | 'source'
  | 'alarm'
  | 'check'
  | 'checkOutcome'
  | 'testCheck'
  | 'testOutcome'
  | 'faultType'
  | 'cause'
  | 'mode'
  | 'responsibility'
  | 'decision'
  | 'resolution'
  | 'spareOutcome'
  | 'payer'
  | 'costKind'
  | 'claimStatus'
  | 'channel'
  | 'coverage';

/** A record, so that a new coverage status fails the type check until it is listed. */
const COVERAGE: Readonly<Record<CoverageStatus, true>> = { active: true, expired: true, none: true };
export const COVERAGE_STATUSES = Object.keys(COVERAGE) as CoverageStatus[];

export const TERM_VALUES: Readonly<Record<TermSection, readonly string[]>> = {
  stage: INCIDENT_STAGES,
  priority: INCIDENT_PRIORITIES,
  symptom: INCIDENT_SYMPTOMS,
  circumstance: DAMAGE_CIRCUMSTANCES,
  source: INCIDENT_SOURCES,
  alarm: INCIDENT_ALARMS,
  check: FIRST_RESPONSE_CHECKS,
  checkOutcome: CHECK_OUTCOMES,
  testCheck: TEST_CHECKS,
  testOutcome: TEST_OUTCOMES,
  faultType: FAULT_TYPES,
  cause: FAULT_CAUSES,
  mode: DIAGNOSIS_MODES,
  responsibility: RESPONSIBILITIES,
  decision: REPAIR_DECISIONS,
  resolution: INCIDENT_RESOLUTIONS,
  spareOutcome: SPARE_OUTCOMES,
  payer: COST_PAYERS,
  costKind: COST_KINDS,
  claimStatus: CLAIM_STATUSES,
  channel: CONTACT_CHANNELS,
  coverage: COVERAGE_STATUSES,
};

/** The vocabulary of a detail by its field name, as the requests name their fields. */
const FIELD_TERMS: Readonly<Record<string, TermSection>> = {
  stage: 'stage',
  priority: 'priority',
  symptom: 'symptom',
  circumstances: 'circumstance',
  source: 'source',
  alarm: 'alarm',
  faultType: 'faultType',
  cause: 'cause',
  mode: 'mode',
  responsibility: 'responsibility',
  decision: 'decision',
  recommended: 'decision',
  resolution: 'resolution',
  previousResolution: 'resolution',
  spareOutcome: 'spareOutcome',
  outcome: 'spareOutcome',
  payer: 'payer',
  kind: 'costKind',
  claimStatus: 'claimStatus',
  channel: 'channel',
  warranty: 'coverage',
  insurance: 'coverage',
};

/** Fields that hold an amount of money, in the event's `currency` (CNY unless it says). */
const MONEY_FIELDS: ReadonlySet<string> = new Set(['amount', 'repairQuote', 'replacementPrice', 'claimedAmount', 'approvedAmount', 'paidAmount', 'deductible']);

export type DetailValue =
  | { type: 'text'; text: string }
  | { type: 'term'; section: TermSection; value: string }
  | { type: 'dateTime'; iso: string }
  | { type: 'date'; iso: string }
  | { type: 'number'; value: number }
  | { type: 'money'; value: number; currency: string }
  | { type: 'boolean'; value: boolean }
  | { type: 'list'; items: DetailValue[] }
  | { type: 'change'; from: DetailValue | null; to: DetailValue | null }
  | { type: 'rows'; rows: DetailRow[] };

/** A field of an event: its name (translated from `section` when given, else as a field name) and its value. */
export interface DetailRow {
  key: string;
  section: TermSection | null;
  value: DetailValue;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isEmpty = (value: unknown) => value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);

function describeValue(value: unknown, terms: TermSection | null, checks: [TermSection, TermSection] | null): DetailValue | null {
  if (isEmpty(value)) return null;
  if (typeof value === 'boolean') return { type: 'boolean', value };
  if (typeof value === 'number') return { type: 'number', value };
  if (typeof value === 'string') {
    if (terms && TERM_VALUES[terms].includes(value)) return { type: 'term', section: terms, value };
    if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) && !Number.isNaN(Date.parse(value))) return { type: 'dateTime', iso: value };
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return { type: 'date', iso: value };
    return { type: 'text', text: value };
  }
  if (Array.isArray(value)) {
    const items = value.flatMap((item) => describeValue(item, terms, null) ?? []);
    return items.length ? { type: 'list', items } : null;
  }
  if (isRecord(value)) {
    // A reference to a record reads as its name; a change as "from → to".
    for (const label of ['assetNumber', 'name', 'username', 'number']) if (typeof value[label] === 'string') return { type: 'text', text: value[label] };
    if ('from' in value && 'to' in value && Object.keys(value).length === 2) {
      return { type: 'change', from: describeValue(value.from, terms, null), to: describeValue(value.to, terms, null) };
    }
    const rows = describeRows(value, checks);
    return rows.length ? { type: 'rows', rows } : null;
  }
  return { type: 'text', text: String(value) };
}

function describeRows(details: Record<string, unknown>, checks: [TermSection, TermSection] | null): DetailRow[] {
  return Object.entries(details).flatMap(([key, raw]): DetailRow[] => {
    // A record's id says nothing to a reader; its name or asset number comes beside it.
    if (key.endsWith('Id') && typeof raw === 'number') return [];
    if (MONEY_FIELDS.has(key) && typeof raw === 'number') {
      return [{ key, section: null, value: { type: 'money', value: raw, currency: typeof details.currency === 'string' ? details.currency : 'CNY' } }];
    }
    // Inside a checklist the keys are checks and the values their outcomes.
    if (checks && TERM_VALUES[checks[0]].includes(key)) {
      const value = describeValue(raw, checks[1], null);
      return value ? [{ key, section: checks[0], value }] : [];
    }
    const value = describeValue(raw, FIELD_TERMS[key] ?? null, key === 'checks' ? checks : null);
    return value ? [{ key, section: null, value }] : [];
  });
}

/** An event's details as rows to show; checklists read with the vocabulary of their step, empty values left out. */
export function describeDetails(kind: IncidentEventKind, details: Record<string, unknown>): DetailRow[] {
  // An assignment records the users' ids and names (older events: ids only).
  if (kind === 'assigned') {
    const user = (id: unknown, name: unknown): DetailValue | null => (typeof name === 'string' ? { type: 'text', text: name } : typeof id === 'number' ? { type: 'text', text: `#${id}` } : null);
    return [{ key: 'assignee', section: null, value: { type: 'change', from: user(details.from, details.fromName), to: user(details.to, details.toName) } }];
  }
  const checks: [TermSection, TermSection] | null = kind === 'first_response' ? ['check', 'checkOutcome'] : kind === 'tested' ? ['testCheck', 'testOutcome'] : null;
  return describeRows(details, checks);
}

/** A field name the texts do not know, made readable: `trackingNumber` → `Tracking number`. */
export function humanizeField(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
