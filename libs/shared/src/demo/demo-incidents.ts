/**
 * A believable past of fault tickets for the demo fleet, generated from a
 * seed, so the ticket board, the common-faults table, the service levels and
 * the reliability figures mean something on a fresh demo.
 *
 * Failures: each unit fails at its model's planted annual rate while it is in
 * service (from shortly after purchase until now, its retirement, or the
 * moment it went to repair), with a wear-out shape for two models and an
 * early-life one for another (DEMO_FAILURE_SHAPES). A unit that is in stock or
 * a spare today is taken never to have been in service.
 *
 * Tickets: every ticket is walked step by step through the shared state
 * machine (planIncidentAction), writing the columns and timeline events the
 * API's steps write; repair decisions come from adviseRepair; spares are lent
 * from today's spare pool of the unit's branch; costs, claims, merchant
 * contacts and ratings follow. Terminals stay as they are today:
 * - a closed "replaced" ticket is the end of a unit that is retired or
 *   disposed today; its replacement is a unit deployed today, at the merchant
 *   of the ticket, that counts as in service from the replacement on;
 * - open tickets at repair or testing sit on units in repair today; the other
 *   open ones on deployed units;
 * - a spare still lent on an open ticket is the one change to today's fleet:
 *   it is listed in `moves` (spare → deployed at the ticket's merchant);
 * - historical spares always come back (outcome "return"), and repair vendors
 *   never swap serial numbers, so the units' records need no other change.
 * Pure and deterministic for a seed.
 */
import type { Role } from '../auth/roles';
import type { IsoDate, IsoDateTime } from '../terminals/terminals.contracts';
import type { TerminalCategory, TerminalStatus } from '../terminals/lifecycle';
import { DEFAULT_SLA_TARGETS, type IncidentPriority } from '../incidents/incident-sla';
import { planIncidentAction, UNSTARTED_INCIDENT_STEPS, type IncidentAction, type IncidentResolution, type IncidentStage, type IncidentWorkflowState, type RepairDecision } from '../incidents/incident-workflow';
import { adviseRepair, OLD_UNIT_YEARS, REPLACE_OLD_WHEN_QUOTE_EXCEEDS, REPLACE_WHEN_QUOTE_EXCEEDS, type RepairAdvice } from '../incidents/repair-advice';
import type {
  CheckOutcome,
  ClaimStatus,
  ContactChannel,
  CostKind,
  CostPayer,
  DamageCircumstance,
  DiagnosisMode,
  FaultCause,
  FaultType,
  FirstResponseCheck,
  IncidentAlarm,
  IncidentCostResponse,
  IncidentEventKind,
  IncidentSource,
  IncidentSymptom,
  Responsibility,
  SpareOutcome,
  TestCheck,
  TestOutcome,
} from '../incidents/incidents.contracts';
import { ACK_CONTACTS, BACKUP_PLACES, CANCELLED_NOTES, CARRIERS, DONE_CONTACTS, DUPLICATE_NOTES, FAIR_COMMENTS, GOOD_COMMENTS, NO_FAULT_NOTES, POOR_COMMENTS, REOPEN_REASONS, REPLACE_NOTES, SCENARIOS, SPARE_CONTACTS, SUPPLIER_DAYS, SUPPLIER_DAYS_DEFAULT, THIRD_PARTY_DAYS, THIRD_PARTY_VENDORS, type Path, type PathKind, type Scenario, type Variant } from './demo-faults';
import { isoDate } from './demo-fleet';
import { seededRandom, type Random } from './random';

// ---- input

export interface DemoIncidentPolicy {
  policyNumber: string;
  insurer: string;
  startDate: IsoDate;
  endDate: IsoDate;
  deductible: number | null;
}

/** A terminal as the API stored it. */
export interface DemoIncidentTerminal {
  id: number;
  assetNumber: string;
  modelName: string;
  supplierName: string;
  category: TerminalCategory;
  regionCode: string;
  merchantId: number | null;
  status: TerminalStatus;
  purchaseDate: IsoDate | null;
  purchasePrice: number | null;
  currency: string;
  warrantyStart: IsoDate | null;
  warrantyEnd: IsoDate | null;
  policy: DemoIncidentPolicy | null;
  firmwareVersion: string | null;
}

export interface DemoIncidentModel {
  name: string;
  listPrice?: number | null;
  /** Failures per terminal-year in service. */
  annualFailureRate: number;
}

export interface DemoIncidentMerchant {
  id: number;
  regionCode: string;
  contactName: string | null;
}

export interface DemoIncidentUser {
  id: number;
  username: string;
  role: Role;
  /** The region a user is limited to (null: all). */
  regionCode: string | null;
}

export interface DemoIncidentsOptions {
  seed?: number;
  /** The instant the history ends; nothing happens after it. */
  now: IsoDateTime;
  terminals: readonly DemoIncidentTerminal[];
  models: readonly DemoIncidentModel[];
  merchants: readonly DemoIncidentMerchant[];
  /** Technicians work the tickets, fleet managers dispatch alarms, procurement settles costs. */
  users: readonly DemoIncidentUser[];
  regions: readonly { code: string; parentCode: string | null }[];
  /** Tickets left open; by default one per 170 terminals, 15 to 40. */
  openTickets?: number;
}

// ---- output

export interface DemoIncidentActor {
  id: number | null;
  username: string;
}

export interface DemoIncidentEvent {
  at: IsoDateTime;
  actor: DemoIncidentActor;
  kind: IncidentEventKind;
  stageFrom: IncidentStage | null;
  stageTo: IncidentStage | null;
  details: Record<string, unknown>;
  note: string | null;
  /** For cost events, the index in the ticket's `costs` of the line whose id belongs in details.costId. */
  costIndex: number | null;
}

/** A cost line as the API answers it, before it has an id. */
export type DemoIncidentCost = Omit<IncidentCostResponse, 'id'>;

/** A ticket with the columns the API's steps write (instants as ISO strings), its timeline and its cost lines. */
export interface DemoIncident {
  terminalId: number;
  merchantId: number | null;
  firmwareVersion: string | null;
  stage: IncidentStage;
  priority: IncidentPriority;
  source: IncidentSource;
  alarm: IncidentAlarm | null;
  reporter: DemoIncidentActor;
  assigneeId: number | null;
  symptom: IncidentSymptom;
  errorCodes: string[];
  description: string;
  place: string | null;
  circumstances: DamageCircumstance | null;
  circumstancesNote: string | null;
  occurredAt: IsoDateTime;
  reportedAt: IsoDateTime;
  firstResponse: { checks: Partial<Record<FirstResponseCheck, CheckOutcome>>; fixed: boolean; at: IsoDateTime; by: string; note: string | null } | null;
  respondedAt: IsoDateTime | null;
  faultType: FaultType | null;
  cause: FaultCause | null;
  diagnosisMode: DiagnosisMode | null;
  responsibility: Responsibility | null;
  responsiblePerson: string | null;
  diagnosisNote: string | null;
  diagnosedAt: IsoDateTime | null;
  diagnosedBy: string | null;
  decision: RepairDecision | null;
  repairQuote: number | null;
  replacementPrice: number | null;
  repairVendor: string | null;
  carrier: string | null;
  trackingNumber: string | null;
  shippedAt: IsoDateTime | null;
  returnedAt: IsoDateTime | null;
  replacementTerminalId: number | null;
  spareTerminalId: number | null;
  spareLentAt: IsoDateTime | null;
  spareDueBack: IsoDate | null;
  spareOutcome: SpareOutcome | null;
  spareSettledAt: IsoDateTime | null;
  backup: DemoDataStep | null;
  dataRestore: DemoDataStep | null;
  testResult: { checks: Partial<Record<TestCheck, TestOutcome>>; passed: boolean; at: IsoDateTime; by: string } | null;
  testAttempts: number;
  restoredAt: IsoDateTime | null;
  resolvedAt: IsoDateTime | null;
  resolution: IncidentResolution | null;
  resolutionNote: string | null;
  closedAt: IsoDateTime | null;
  reopenCount: number;
  rating: number | null;
  ratingComment: string | null;
  version: number;
  updatedAt: IsoDateTime;
  events: DemoIncidentEvent[];
  costs: DemoIncidentCost[];
}

export interface DemoDataStep {
  at: IsoDateTime;
  by: string;
  location: string | null;
  note: string | null;
}

/** A change to today's fleet that a generated ticket needs (a spare still lent). */
export interface DemoTerminalMove {
  /** Index in `incidents`. */
  incident: number;
  terminalId: number;
  status: TerminalStatus;
  merchantId: number | null;
  reason: string;
}

/** A stretch of time a unit was in service (deployed): the demo's lifecycle history, for the reliability figures. */
export interface DemoServiceSpan {
  terminalId: number;
  from: IsoDateTime;
  /** Null while it lasts. */
  to: IsoDateTime | null;
}

export interface DemoIncidents {
  /** In order of report. */
  incidents: DemoIncident[];
  moves: DemoTerminalMove[];
  services: DemoServiceSpan[];
}

// ---- failure shapes

export type FailureShape = 'flat' | 'wear_out' | 'early_life';

/** Models of the demo fleet planted with more than a flat rate; the others fail at a constant rate. */
export const DEMO_FAILURE_SHAPES: Readonly<Record<string, FailureShape>> = {
  'Landi E530': 'wear_out',
  'Verifone VX520': 'wear_out',
  'Newland ME31': 'early_life',
};

export const EARLY_LIFE_DAYS = 90;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const YEAR = 365.25 * DAY;

/**
 * How often a unit of this age fails compared with its model's annual rate.
 * Each shape averages 1 over the first three years, so the planted rate stays
 * the rate per terminal-year of a fleet of mixed ages.
 */
export function failureMultiplier(shape: FailureShape, ageYears: number): number {
  switch (shape) {
    case 'flat':
      return 1;
    case 'wear_out':
      return 0.7 + 0.2 * Math.max(0, ageYears);
    case 'early_life':
      return ageYears < EARLY_LIFE_DAYS / 365.25 ? 3 : 0.82;
  }
}

/** How fast each technician works, in turn: one is quicker and one slower, for the service-level report to show. */
const TECHNICIAN_PACE = [1, 1.5, 0.75];

/** The open tickets' columns on the board, by weight. */
const OPEN_STAGES: readonly (readonly [Exclude<IncidentStage, 'closed'>, number])[] = [
  ['reported', 3],
  ['diagnosing', 3],
  ['awaiting_repair', 5],
  ['at_repair', 5],
  ['testing', 2],
  ['resolved', 3],
];
/** How long ago an open ticket of each stage was reported (median hours). */
const OPEN_AGE_HOURS: Readonly<Record<Exclude<IncidentStage, 'closed'>, number>> = {
  reported: 3,
  diagnosing: 10,
  awaiting_repair: 60,
  at_repair: 150,
  testing: 220,
  resolved: 240,
};

// ---- the generator

interface Unit {
  terminal: DemoIncidentTerminal;
  model: DemoIncidentModel;
  shape: FailureShape;
  purchase: number;
  /** In service from, and until. */
  start: number;
  end: number;
  merchantId: number | null;
}

interface Worker {
  actor: DemoIncidentActor;
  pace: number;
}

interface OpenPlan {
  unit: Unit;
  stage: Exclude<IncidentStage, 'closed'>;
}

/** A ticket's walk stops: past its time limit, leaving the stage an open ticket stays in, or a replacement the advice does not support. */
class StopWalk extends Error {}

export function generateDemoIncidents(options: DemoIncidentsOptions): DemoIncidents {
  return new HistoryGenerator(options).run();
}

class HistoryGenerator {
  private readonly random: Random;
  private readonly now: number;
  private readonly models: Map<string, DemoIncidentModel>;
  private readonly merchants = new Map<string, DemoIncidentMerchant[]>();
  private readonly merchantById: Map<number, DemoIncidentMerchant>;
  private readonly parents: Map<string, string | null>;
  private readonly technicians: Worker[];
  /** Spares of each branch and category, with when they are out. */
  private readonly spares = new Map<string, { terminal: DemoIncidentTerminal; purchase: number; busy: [number, number][] }[]>();
  /** Units deployed today by branch and category: candidates to replace a retired one. */
  private readonly deployed = new Map<string, Unit[]>();
  private readonly replacements = new Set<number>();
  private readonly workers = new Map<string, Worker[]>();
  private readonly tickets: DemoIncident[] = [];

  constructor(private readonly options: DemoIncidentsOptions) {
    this.random = seededRandom(options.seed ?? 20261122);
    this.now = Date.parse(options.now);
    if (Number.isNaN(this.now)) throw new RangeError(`invalid now: ${options.now}`);
    this.models = new Map(options.models.map((model) => [model.name, model]));
    this.merchantById = new Map(options.merchants.map((merchant) => [merchant.id, merchant]));
    for (const merchant of options.merchants) listIn(this.merchants, merchant.regionCode).push(merchant);
    this.parents = new Map(options.regions.map((region) => [region.code, region.parentCode]));
    this.technicians = options.users
      .filter((user) => user.role === 'technician')
      .sort((a, b) => a.id - b.id)
      .map((user, index) => ({ actor: { id: user.id, username: user.username }, pace: TECHNICIAN_PACE[index % TECHNICIAN_PACE.length]! }));
  }

  run(): DemoIncidents {
    const units: Unit[] = [];
    for (const terminal of this.options.terminals) {
      const purchase = terminal.purchaseDate ? Date.parse(`${terminal.purchaseDate}T00:00:00Z`) : NaN;
      if (Number.isNaN(purchase) || purchase >= this.now) continue;
      const key = poolKey(terminal);
      if (terminal.status === 'spare') listIn(this.spares, key).push({ terminal, purchase, busy: [] });
      const model = this.models.get(terminal.modelName);
      if (!model || !['deployed', 'in_repair', 'retired', 'disposed'].includes(terminal.status)) continue;
      // Installed at a merchant a few days to a month after purchase.
      const start = Math.min(purchase + this.random.int(3, 30) * DAY, this.now - HOUR);
      const unit: Unit = { terminal, model, shape: DEMO_FAILURE_SHAPES[model.name] ?? 'flat', purchase, start, end: this.now, merchantId: terminal.merchantId };
      if (terminal.status === 'deployed') listIn(this.deployed, key).push(unit);
      else {
        // Where it served before it left its merchant.
        unit.merchantId = this.pickMerchant(terminal.regionCode);
        if (terminal.status === 'in_repair') unit.end = Math.max(start, this.now - this.random.int(3, 40) * DAY);
      }
      units.push(unit);
    }

    for (const unit of units) if (unit.terminal.status === 'retired' || unit.terminal.status === 'disposed') this.retire(unit);
    const open = this.planOpen(units);
    for (const plan of open) this.openTicket(plan);
    for (const unit of units) if (unit.terminal.status === 'deployed' || unit.terminal.status === 'in_repair') this.history(unit, unit.end);

    const incidents = this.tickets.sort((a, b) => (a.reportedAt < b.reportedAt ? -1 : a.reportedAt > b.reportedAt ? 1 : a.terminalId - b.terminalId));
    const moves: DemoTerminalMove[] = [];
    incidents.forEach((ticket, index) => {
      if (ticket.stage !== 'closed' && ticket.spareTerminalId !== null && ticket.spareOutcome === null) {
        moves.push({ incident: index, terminalId: ticket.spareTerminalId, status: 'deployed', merchantId: ticket.merchantId, reason: 'spare lent' });
      }
    });
    return { incidents, moves, services: this.services(units, incidents) };
  }

  /**
   * When each unit was in service: from its installation to its end (today
   * for one still deployed), less the time it was away at a repairer
   * (shipped → back, or → today for one still away); and each lent spare
   * from the loan to its return (or today).
   */
  private services(units: readonly Unit[], incidents: readonly DemoIncident[]): DemoServiceSpan[] {
    const away = new Map<number, [number, number][]>();
    for (const ticket of incidents) {
      if (ticket.shippedAt === null) continue;
      listIn(away, ticket.terminalId).push([Date.parse(ticket.shippedAt), ticket.returnedAt ? Date.parse(ticket.returnedAt) : Infinity]);
    }
    const spans: DemoServiceSpan[] = [];
    const push = (terminalId: number, from: number, to: number) => {
      if (to > from) spans.push({ terminalId, from: iso(from), to: to >= this.now ? null : iso(to) });
    };
    for (const unit of units) {
      const gaps = (away.get(unit.terminal.id) ?? []).sort((a, b) => a[0] - b[0]);
      // A unit with an open ticket stays deployed until it is shipped (the status is what the API follows too).
      const stillAway = gaps.some(([, to]) => to === Infinity);
      const end = unit.terminal.status === 'deployed' || stillAway ? this.now : unit.end;
      let cursor = unit.start;
      for (const [from, to] of gaps) {
        push(unit.terminal.id, cursor, Math.min(from, end));
        cursor = Math.max(cursor, to);
      }
      push(unit.terminal.id, cursor, end);
    }
    for (const ticket of incidents) {
      if (ticket.spareTerminalId === null || ticket.spareLentAt === null) continue;
      push(ticket.spareTerminalId, Date.parse(ticket.spareLentAt), ticket.spareSettledAt ? Date.parse(ticket.spareSettledAt) : this.now);
    }
    return spans.sort((a, b) => a.terminalId - b.terminalId || (a.from < b.from ? -1 : 1));
  }

  // ---- units' lives

  /**
   * A retired unit served until a date before today; some were retired by a
   * fault not worth repairing, replaced by a unit deployed today at the same
   * merchant (chosen first, so all its tickets name that merchant).
   */
  private retire(unit: Unit): void {
    const span = Math.max(0, this.now - 20 * DAY - unit.start);
    unit.end = unit.start + span * (0.35 + 0.65 * this.random.next());
    const earliest = Math.max(unit.start + YEAR, unit.terminal.warrantyEnd ? Date.parse(`${unit.terminal.warrantyEnd}T00:00:00Z`) : 0);
    const replacement = this.random.next() < 0.7 && earliest < unit.end ? this.pickReplacement(unit, earliest) : null;
    if (replacement) {
      unit.merchantId = replacement.merchantId;
      this.replacements.add(replacement.terminal.id);
    }
    let from = unit.start;
    for (;;) {
      const at = nextFailure(this.random, unit, from, unit.end);
      if (at === null) break;
      if (replacement && at >= earliest && this.random.next() < 0.7) {
        const ticket = this.build(unit, at, { mode: 'replace', replacement, bound: this.now });
        if (ticket) {
          // In service until the replacement took its place (the API retires it at that step).
          unit.end = Date.parse(ticket.resolvedAt!);
          replacement.start = unit.end;
          return;
        }
      }
      const ticket = this.build(unit, at, { mode: 'closed', bound: unit.end });
      if (!ticket) break;
      from = lastInstant(ticket);
    }
    if (replacement) this.replacements.delete(replacement.terminal.id);
  }

  private history(unit: Unit, bound: number): void {
    let from = unit.start;
    for (;;) {
      const at = nextFailure(this.random, unit, from, bound);
      if (at === null) return;
      const ticket = this.build(unit, at, { mode: 'closed', bound });
      if (!ticket) return;
      from = lastInstant(ticket);
    }
  }

  private planOpen(units: Unit[]): OpenPlan[] {
    const target = this.options.openTickets ?? Math.min(40, Math.max(15, Math.round(this.options.terminals.length / 170)));
    const total = OPEN_STAGES.reduce((sum, [, weight]) => sum + weight, 0);
    const seasoned = (unit: Unit) => unit.start < this.now - 30 * DAY && !this.replacements.has(unit.terminal.id);
    const repairing = this.shuffle(units.filter((unit) => unit.terminal.status === 'in_repair' && seasoned(unit)));
    const working = this.shuffle(units.filter((unit) => unit.terminal.status === 'deployed' && seasoned(unit)));
    const plans: OpenPlan[] = [];
    for (const [stage, weight] of OPEN_STAGES) {
      const pool = stage === 'at_repair' || stage === 'testing' ? repairing : working;
      const count = Math.max(target >= OPEN_STAGES.length ? 1 : 0, Math.round((target * weight) / total));
      for (let i = 0; i < count && pool.length > 0; i++) plans.push({ unit: pool.pop()!, stage });
    }
    return plans;
  }

  /** An open ticket at `stage`: reported long enough ago to have got there, and its unit's history before it. */
  private openTicket(plan: OpenPlan): void {
    let age = OPEN_AGE_HOURS[plan.stage] * HOUR * lognormal(this.random, 1, 0.4);
    for (let attempt = 0; attempt < 12; attempt++, age *= 1.5) {
      const at = this.now - age;
      if (at <= plan.unit.start) return;
      const ticket = this.build(plan.unit, at, { mode: 'open', stage: plan.stage });
      if (ticket) {
        plan.unit.end = Date.parse(ticket.reportedAt);
        return;
      }
    }
  }

  // ---- one ticket

  private build(unit: Unit, failedAt: number, plan: TicketPlan): DemoIncident | null {
    const random = this.random;
    const occurred = toSecond(failedAt);
    const worker = this.pickWorker(unit.terminal.regionCode);
    const { scenario, variant } = this.pickFault(unit, plan, occurred);
    const damage = scenario.causes === 'damage';
    const circumstances = variant.circumstances ?? null;
    const code = variant.code;
    const alarm: IncidentAlarm | null = plan.mode === 'replace' ? null : scenario.symptom === 'network' && random.next() < 0.35 ? 'offline' : scenario.symptom === 'error_code' && random.next() < 0.4 ? 'recurring_error' : null;
    const priority: IncidentPriority = alarm ? 'high' : pickPriority(random, scenario.symptom);
    const reported = toSecond(occurred + (alarm ? lognormal(random, 40, 0.4) * 60_000 : lognormal(random, 1.5, 1) * HOUR));
    const errorCodes = alarm === 'offline' || !code ? [] : [code];
    const description =
      alarm === 'offline'
        ? 'No heartbeat for more than 2 h'
        : alarm === 'recurring_error'
          ? `Recurring error codes: ${errorCodes.join(', ')}`
          : variant.description;
    const reporter: DemoIncidentActor = alarm ? { id: null, username: 'alarm' } : random.next() < 0.6 || !this.dispatcher(unit) ? worker.actor : this.dispatcher(unit)!.actor;
    const ticket = newTicket({
      terminalId: unit.terminal.id,
      merchantId: unit.merchantId,
      firmwareVersion: unit.terminal.firmwareVersion,
      priority,
      source: alarm ? 'alarm' : 'user',
      alarm,
      reporter,
      assigneeId: alarm ? null : worker.actor.id,
      symptom: alarm === 'offline' ? 'network' : scenario.symptom,
      errorCodes,
      description,
      circumstances,
      circumstancesNote: variant.circumstancesNote ?? null,
      occurredAt: iso(occurred),
      reportedAt: iso(reported),
    });
    const limit = Math.min(plan.mode === 'open' ? this.now : plan.bound, this.now);
    if (reported > limit) return null;
    const context: WalkContext = { unit, scenario, variant, worker, plan, damage, spare: null, advice: null };
    try {
      this.walk(new TicketBuilder(ticket, limit, plan.mode === 'open' ? plan.stage : null), context);
    } catch (error) {
      if (!(error instanceof StopWalk)) throw error;
    }
    if (ticket.stage !== (plan.mode === 'open' ? plan.stage : 'closed')) return null;
    if (context.spare) {
      const lent: [number, number] = [Date.parse(ticket.spareLentAt!), ticket.spareSettledAt ? Date.parse(ticket.spareSettledAt) : Infinity];
      if (!context.spare.busy.every(([from, to]) => to < lent[0] || from > lent[1])) return null;
      context.spare.busy.push(lent);
    }
    this.tickets.push(ticket);
    return ticket;
  }

  private walk(b: TicketBuilder, c: WalkContext): void {
    const { random } = this;
    const { unit, scenario, worker, plan, damage } = c;
    const ticket = b.ticket;
    const pace = worker.pace;
    const targets = DEFAULT_SLA_TARGETS[ticket.priority];
    const reported = Date.parse(ticket.reportedAt);
    const merchant = ticket.merchantId !== null ? (this.merchantById.get(ticket.merchantId) ?? null) : null;
    const contact = (at: number, channel: ContactChannel, summary: string) => {
      if (merchant) b.contact(at, worker.actor, channel, merchant.contactName, summary);
    };
    const path = this.pickPath(c.scenario, c.variant, plan);

    if (ticket.source === 'alarm') {
      const dispatcher = this.dispatcher(unit) ?? worker;
      b.assign(reported + lognormal(random, 20, 0.6) * 60_000, dispatcher.actor, worker.actor.id);
    }
    if (plan.mode === 'closed' && random.next() < 0.03) {
      const [resolution, notes] = random.next() < 0.5 ? (['duplicate', DUPLICATE_NOTES] as const) : (['cancelled', CANCELLED_NOTES] as const);
      b.close(reported + lognormal(random, 2, 0.8) * HOUR, worker.actor, resolution, random.pick(notes));
      return;
    }

    // First response: the checks, and for a damaged unit nothing touched.
    const respondAt = reported + targets.respond * lognormal(random, 0.3 * pace, 0.75) * HOUR + 3 * 60_000;
    const fixed = path === 'first_response';
    const checks: Partial<Record<FirstResponseCheck, CheckOutcome>> = damage
      ? { restart: 'skipped', power: 'skipped' }
      : { restart: 'done', power: 'done', [scenario.check]: fixed ? (scenario.check === 'restart' ? 'done' : 'fixed') : 'problem' };
    b.respond(respondAt, worker.actor, checks, fixed, fixed ? c.variant.notes.first_response! : damage ? '已断电，保持原状拍照留证' : null);
    if (fixed) {
      this.maybeReopen(b, c);
      return;
    }
    if (random.next() < 0.6) contact(respondAt + lognormal(random, 15, 0.5) * 60_000, 'phone', random.pick(ACK_CONTACTS));

    // Diagnosis: what it is, why, and whose fault.
    const diagnosedAt = respondAt + lognormal(random, 2 * pace, 0.8) * HOUR;
    const inWarranty = covered(unit.terminal.warrantyStart, unit.terminal.warrantyEnd, diagnosedAt);
    const blame = this.blame(scenario, unit, ticket.circumstances, inWarranty, diagnosedAt);
    b.diagnose(diagnosedAt, worker.actor, {
      faultType: scenario.faultType,
      cause: blame.cause,
      mode: path === 'ship' && random.next() < 0.4 ? 'remote' : 'on_site',
      responsibility: blame.responsibility,
      responsiblePerson: blame.person,
      note: c.variant.diagnosis,
    });
    if (plan.mode === 'closed' && random.next() < 0.04) {
      b.close(diagnosedAt + lognormal(random, 3, 0.8) * HOUR, worker.actor, 'no_fault_found', random.pick(NO_FAULT_NOTES));
      return;
    }

    // Decide, and keep the merchant trading with a spare meanwhile.
    const supplierDays = SUPPLIER_DAYS[unit.terminal.supplierName] ?? SUPPLIER_DAYS_DEFAULT;
    const decideAt = diagnosedAt + lognormal(random, path === 'ship' ? 6 : 1, 0.8) * HOUR;
    const spareWanted = random.next() < (path === 'ship' ? 0.85 : path === 'replace' ? 0.6 : 0.3);
    const lendAt = Math.max(diagnosedAt + 10 * 60_000, reported + targets.restore * lognormal(random, 0.45 * pace, 0.5) * HOUR);
    const steps: [number, () => void][] = [[decideAt, () => this.decide(b, c, path, decideAt)]];
    if (spareWanted) {
      steps.push([
        lendAt,
        () => {
          const spare = this.findSpare(unit.terminal, lendAt);
          if (!spare) return;
          b.lendSpare(lendAt, worker.actor, spare.terminal, isoDate(lendAt + ((path === 'ship' ? supplierDays : 2) + 7) * DAY));
          c.spare = spare;
          if (random.next() < 0.5) contact(lendAt + lognormal(random, 20, 0.5) * 60_000, 'visit', random.pick(SPARE_CONTACTS));
        },
      ]);
    }
    for (const [, step] of steps.sort((x, y) => x[0] - y[0])) step();

    // Repair: on site, at a repair centre, or a replacement unit.
    let at = Math.max(decideAt, b.lastAt);
    if (path === 'on_site') {
      at = this.repairOnSite(b, c, at);
    } else if (path === 'ship') {
      at += lognormal(random, 1, 0.6) * HOUR;
      b.backUp(at, worker.actor, random.pick(BACKUP_PLACES));
      const vendorDays = ticket.decision === 'paid_repair' && !ticket.repairVendor?.startsWith(unit.terminal.supplierName) ? THIRD_PARTY_DAYS : supplierDays;
      for (let attempt = 1; ; attempt++) {
        at += lognormal(random, attempt === 1 ? 6 : 24, 0.7) * HOUR;
        const [carrier, prefix] = random.pick(CARRIERS);
        b.ship(at, worker.actor, ticket.repairVendor ?? '', carrier, `${prefix}${String(random.int(0, 999_999_999)).padStart(9, '0')}${random.int(100, 999)}`);
        if (attempt === 1 && random.next() < 0.4) contact(at + HOUR, 'phone', `设备已寄往${ticket.repairVendor ?? '维修中心'}，预计${Math.round(vendorDays)}天左右返回`);
        at += vendorDays * (attempt === 1 ? 1 : 0.7) * lognormal(random, 1, 0.45) * DAY;
        b.receive(at, worker.actor);
        at += lognormal(random, 4 * pace, 0.8) * HOUR;
        if (attempt === 1 && random.next() < 0.07) {
          b.test(at, worker.actor, testChecks(unit.terminal.category, scenario.testCheck), null);
          continue;
        }
        b.test(at, worker.actor, testChecks(unit.terminal.category, null), b.spareOut ? 'return' : null);
        break;
      }
    } else if (path === 'replace' && plan.mode === 'replace') {
      at += lognormal(random, 1, 0.6) * HOUR;
      b.backUp(at, worker.actor, random.pick(BACKUP_PLACES));
      at += lognormal(random, 20 * pace, 0.6) * HOUR;
      b.replace(at, worker.actor, plan.replacement.terminal);
      contact(at + HOUR, 'visit', '告知商户设备需整机更换，新机已安装');
      at += lognormal(random, 2, 0.5) * HOUR;
      b.test(at, worker.actor, testChecks(unit.terminal.category, null), b.spareOut ? 'return' : null);
    }

    // Resolved: restore the data, hear the merchant, settle the costs, close.
    const resolved = at;
    if (ticket.backup) b.restoreData(resolved + lognormal(random, 1, 0.7) * HOUR, worker.actor, '已恢复商户参数与未结算批次');
    if (random.next() < 0.5) contact(resolved + lognormal(random, 2, 0.6) * HOUR, random.pick(['phone', 'sms', 'im'] as const), random.pick(DONE_CONTACTS));
    if (random.next() < 0.55) {
      const restoredHours = (Date.parse(ticket.restoredAt!) - reported) / HOUR;
      const [rating, comments] = restoredHours <= targets.restore ? (random.next() < 0.65 ? ([5, GOOD_COMMENTS] as const) : ([4, GOOD_COMMENTS] as const)) : random.next() < 0.5 ? ([3, FAIR_COMMENTS] as const) : ([random.int(1, 2), POOR_COMMENTS] as const);
      b.rate(resolved + lognormal(random, 10, 1) * HOUR, worker.actor, rating, random.next() < 0.6 ? random.pick(comments) : null);
    }
    this.settle(b, c, path, resolved);
    const note = path === 'replace' ? random.pick(REPLACE_NOTES) : c.variant.notes[path]!;
    b.close(b.lastAt + lognormal(random, 6, 0.8) * HOUR, worker.actor, path === 'replace' ? 'replaced' : 'repaired', note);
    if (path !== 'replace') this.maybeReopen(b, c);
  }

  private decide(b: TicketBuilder, c: WalkContext, path: Path, planned: number): void {
    const { unit, worker, damage, plan } = c;
    const ticket = b.ticket;
    // The advice of the day the decision is recorded.
    const at = b.instantOf(planned);
    const price = unit.terminal.purchasePrice ?? unit.model.listPrice ?? 1000;
    const listPrice = unit.model.listPrice ?? price;
    const inWarranty = covered(unit.terminal.warrantyStart, unit.terminal.warrantyEnd, at);
    const voided = ticket.cause === 'misuse' || ticket.responsibility === 'merchant' || ticket.responsibility === 'person';
    // A repair is quoted below the share of a new unit's price at which the advice turns to replacement (lower for old units); a retiring unit above it.
    const old = (at - unit.purchase) / YEAR >= OLD_UNIT_YEARS;
    const ceiling = (old ? REPLACE_OLD_WHEN_QUOTE_EXCEEDS : REPLACE_WHEN_QUOTE_EXCEEDS) - 0.02;
    const ratio = path === 'replace' ? REPLACE_WHEN_QUOTE_EXCEEDS + 0.05 + this.random.next() * 0.5 : Math.min(ceiling, (damage ? 0.25 : 0.08) + this.random.next() * (damage ? 0.3 : 0.2));
    const quoted = path === 'ship' || path === 'replace' ? !(inWarranty && !voided) : false;
    const repairQuote = quoted ? roundTo(listPrice * ratio, 10) : null;
    const replacementPrice = quoted ? listPrice : null;
    const advice = this.advise(unit, ticket, at, repairQuote, replacementPrice ?? listPrice, damage);
    let decision: RepairDecision;
    if (path === 'on_site') decision = 'on_site_repair';
    else decision = advice.decision;
    if (path === 'replace' && decision !== 'replace') throw new StopWalk('a replacement the advice does not support');
    if (plan.mode !== 'replace' && decision === 'replace') throw new Error('demo incidents: a repair quoted as a replacement');
    const vendor =
      decision === 'supplier_rma'
        ? `${unit.terminal.supplierName} RMA 中心`
        : decision === 'paid_repair'
          ? this.random.next() < 0.6
            ? `${unit.terminal.supplierName} 售后服务中心`
            : this.random.pick(THIRD_PARTY_VENDORS)
          : null;
    b.decide(at, worker.actor, { decision, repairQuote, replacementPrice, repairVendor: vendor }, advice);
    c.advice = advice;
  }

  private repairOnSite(b: TicketBuilder, c: WalkContext, from: number): number {
    const { random } = this;
    let at = from + lognormal(random, 8 * c.worker.pace, 0.8) * HOUR;
    b.repairOnSite(at, c.worker.actor, null);
    at += lognormal(random, 0.5, 0.5) * HOUR;
    if (random.next() < 0.05) {
      b.test(at, c.worker.actor, testChecks(c.unit.terminal.category, c.scenario.testCheck), null);
      at += lognormal(random, 24, 0.5) * HOUR;
      b.repairOnSite(at, c.worker.actor, '更换配件后再次处理');
      at += lognormal(random, 0.5, 0.5) * HOUR;
    }
    b.test(at, c.worker.actor, testChecks(c.unit.terminal.category, null), b.spareOut ? 'return' : null);
    return at;
  }

  /** The cost lines of a fixed ticket and their claims, entered after the fix and settled before the close. */
  private settle(b: TicketBuilder, c: WalkContext, path: Path, resolved: number): void {
    const { random } = this;
    const { unit } = c;
    const ticket = b.ticket;
    const settler = this.settler(c) ?? c.worker;
    const price = unit.model.listPrice ?? unit.terminal.purchasePrice ?? 1000;
    const currency = unit.terminal.currency;
    let at = resolved + lognormal(random, 20, 0.8) * HOUR;
    const payer = c.advice?.payer ?? 'bank';
    const claims: number[] = [];
    const add = (line: CostLine): number => {
      const index = b.addCost(at, settler.actor, line, currency);
      if (line.claimStatus) claims.push(index);
      at += lognormal(random, 10, 0.6) * 60_000;
      return index;
    };
    const rma = () => `RMA-${ticket.reportedAt.slice(0, 10).replace(/-/g, '')}-${random.int(1000, 9999)}`;
    // Whoever the advice named pays; an insurer less the deductible, which the bank bears.
    const payerLine = (kind: CostKind, amount: number, description: string) => {
      if (payer === 'insurer') {
        const policy = unit.terminal.policy!;
        const deductible = Math.min(amount, policy.deductible ?? 0);
        if (amount - deductible > 0) add({ kind, description: `${description}（${policy.insurer} 理赔）`, amount: amount - deductible, payer: 'insurer', claimReference: `CLM-${policy.policyNumber}-${random.int(1000, 9999)}`, claimStatus: 'submitted' });
        if (deductible > 0) add({ kind, description: deductible < amount ? '保险免赔额（银行承担）' : '未超过保险免赔额，银行承担', amount: deductible, payer: 'bank', claimReference: null, claimStatus: null });
        return;
      }
      add({ kind, description, amount, payer, claimReference: payer === 'supplier' ? rma() : null, claimStatus: payer === 'supplier' ? 'submitted' : null });
    };

    switch (ticket.decision) {
      case 'supplier_rma':
        add({ kind: 'parts', description: `保修更换${c.scenario.part}`, amount: roundTo(price * (0.1 + random.next() * 0.25), 10), payer: 'supplier', claimReference: rma(), claimStatus: 'submitted' });
        if (random.next() < 0.6) add({ kind: 'shipping', description: '寄修运费', amount: random.int(18, 45), payer: 'bank', claimReference: null, claimStatus: null });
        break;
      case 'paid_repair': {
        const quote = ticket.repairQuote ?? roundTo(price * 0.2, 10);
        if (payer === 'bank') {
          payerLine('parts', roundTo(quote * 0.65, 1), `更换${c.scenario.part}`);
          payerLine('labour', roundTo(quote * 0.35, 1), '维修工时费');
        } else payerLine('parts', quote, `维修费：更换${c.scenario.part}（含工时）`);
        add({ kind: 'shipping', description: '寄修运费', amount: random.int(18, 45), payer: 'bank', claimReference: null, claimStatus: null });
        break;
      }
      case 'replace':
        payerLine('replacement', ticket.replacementPrice ?? price, '整机更换');
        break;
      case 'on_site_repair':
        if (c.scenario.faultType === 'hardware' && random.next() < 0.45) {
          const amount = random.int(3, 26) * 10;
          if (covered(unit.terminal.warrantyStart, unit.terminal.warrantyEnd, resolved) && ticket.cause === 'quality_defect') {
            add({ kind: 'parts', description: `保修配件：${c.scenario.part}`, amount, payer: 'supplier', claimReference: rma(), claimStatus: 'submitted' });
          } else payerLine('parts', amount, `现场更换${c.scenario.part}`);
        }
        break;
      default:
        break;
    }

    // Claims: suppliers mostly pay, insurers a little slower; some are refused, a few still pending.
    for (const index of claims) {
      const cost = ticket.costs[index]!;
      const insurer = cost.payer === 'insurer';
      const roll = random.next();
      let when = Date.parse(cost.createdAt) + lognormal(random, insurer ? 12 : 7, 0.5) * DAY;
      if (roll < 0.06) continue;
      if (roll < (insurer ? 0.2 : 0.16)) {
        b.updateCost(when, settler.actor, index, { claimStatus: 'rejected', approvedAmount: 0 });
        add({ kind: cost.kind, description: `索赔被拒，银行承担：${cost.description ?? ''}`.slice(0, 255), amount: cost.amount, payer: 'bank', claimReference: null, claimStatus: null });
        continue;
      }
      const approved = roll < 0.3 ? roundTo(cost.amount * (0.7 + random.next() * 0.25), 1) : cost.amount;
      b.updateCost(when, settler.actor, index, { claimStatus: 'approved', approvedAmount: approved });
      if (roll > 0.93) continue;
      when = b.lastAt + lognormal(random, insurer ? 10 : 8, 0.5) * DAY;
      b.updateCost(when, settler.actor, index, { claimStatus: 'paid', paidAmount: approved });
    }
  }

  /** A few fixes do not hold: the merchant calls back, the ticket reopens and is fixed on site. */
  private maybeReopen(b: TicketBuilder, c: WalkContext): void {
    const { random } = this;
    if (c.plan.mode !== 'closed' || random.next() >= (b.ticket.resolution === 'fixed_on_first_response' ? 0.06 : 0.03)) return;
    const worker = c.worker;
    let at = b.lastAt + lognormal(random, 3, 0.6) * DAY;
    b.reopen(at, worker.actor, random.pick(REOPEN_REASONS));
    at += lognormal(random, 4 * worker.pace, 0.7) * HOUR;
    b.diagnose(at, worker.actor, {
      faultType: b.ticket.faultType ?? c.scenario.faultType,
      cause: b.ticket.cause ?? (c.scenario.faultType === 'software' ? 'software' : 'wear'),
      mode: 'on_site',
      responsibility: b.ticket.responsibility ?? 'bank',
      responsiblePerson: b.ticket.responsiblePerson,
      note: `复发：${c.variant.diagnosis}`,
    });
    at += lognormal(random, 1, 0.6) * HOUR;
    const advice = this.advise(c.unit, b.ticket, b.instantOf(at), null, c.unit.model.listPrice ?? c.unit.terminal.purchasePrice, c.damage);
    b.decide(at, worker.actor, { decision: 'on_site_repair', repairQuote: null, replacementPrice: null, repairVendor: b.ticket.repairVendor }, advice);
    at = this.repairOnSite(b, c, at);
    b.close(at + lognormal(random, 3, 0.8) * HOUR, worker.actor, 'repaired', `二次处理：${c.variant.notes.on_site ?? '现场重新检修，交易测试正常'}`);
  }

  // ---- choices

  /**
   * What failed: a fault of the unit's category, its model's signature fault
   * more often (and that fault's code), more damage among insured units
   * (insured for the risk they run); only faults that can reach the stage an
   * open ticket is to stay in.
   */
  private pickFault(unit: Unit, plan: TicketPlan, at: number): { scenario: Scenario; variant: Variant } {
    const policy = unit.terminal.policy;
    const insured = policy !== null && covered(policy.startDate, policy.endDate, at);
    const fits = (scenario: Scenario, variant: Variant) => this.paths(scenario, variant, plan).some(([, weight]) => weight > 0);
    const scenario = this.random.weighted(
      SCENARIOS.filter((candidate) => candidate.variants.some((variant) => fits(candidate, variant))).map(
        (candidate) => [candidate, candidate.weight[unit.terminal.category] * (candidate.signature?.[unit.model.name]?.boost ?? 1) * (insured && candidate.causes === 'damage' ? 6 : 1)] as const,
      ),
    );
    const signature = scenario.signature?.[unit.model.name]?.code;
    const variant = this.random.weighted(
      scenario.variants.filter((candidate) => fits(scenario, candidate)).map((candidate) => [candidate, (candidate.weight ?? 1) * (signature && candidate.code === signature ? 6 : 1)] as const),
    );
    return { scenario, variant };
  }

  private pickPath(scenario: Scenario, variant: Variant, plan: TicketPlan): Path {
    return plan.mode === 'replace' ? 'replace' : this.random.weighted(this.paths(scenario, variant, plan));
  }

  /** The fixes open to a fault: those it has a closing note for, and for an open ticket those that pass through its stage. */
  private paths(scenario: Scenario, variant: Variant, plan: TicketPlan): [PathKind, number][] {
    if (plan.mode === 'replace') return scenario.causes === 'hardware' || scenario.causes === 'damage' ? [['ship', 1]] : [];
    const allowed: readonly PathKind[] =
      plan.mode === 'open' && (plan.stage === 'at_repair' || plan.stage === 'testing')
        ? ['ship']
        : plan.mode === 'open' && plan.stage !== 'reported'
          ? ['on_site', 'ship']
          : ['first_response', 'on_site', 'ship'];
    return allowed.map((kind): [PathKind, number] => [kind, variant.notes[kind] === undefined ? 0 : scenario.paths[kind]]);
  }

  /** Why it failed and who answers for it: defects in warranty, wear with age, misuse when dropped or soaked. */
  private blame(scenario: Scenario, unit: Unit, circumstances: DamageCircumstance | null, inWarranty: boolean, at: number): { cause: FaultCause; responsibility: Responsibility; person: string | null } {
    const random = this.random;
    const age = (at - unit.purchase) / YEAR;
    switch (scenario.causes) {
      case 'damage': {
        if (circumstances === 'heat') return { cause: 'environment', responsibility: 'merchant', person: null };
        const responsibility = random.weighted<Responsibility>([
          ['merchant', 55],
          ['person', 25],
          ['bank', 20],
        ]);
        return { cause: 'misuse', responsibility, person: responsibility === 'person' ? `收银员${random.pick(['小王', '小李', '小张', '小陈', '小刘'])}` : null };
      }
      case 'software':
        return { cause: 'software', responsibility: scenario.softwareBlame ?? 'bank', person: null };
      case 'setup': {
        const cause = random.weighted<FaultCause>([
          ['installation', 4],
          ['environment', 3],
          ['software', 3],
        ]);
        return { cause, responsibility: cause === 'environment' && random.next() < 0.4 ? 'merchant' : 'bank', person: null };
      }
      case 'hardware': {
        const cause = inWarranty
          ? random.weighted<FaultCause>([
              ['quality_defect', 75],
              ['environment', 10],
              ['power', 10],
              ['wear', 5],
            ])
          : random.weighted<FaultCause>([
              ['wear', 30 + 15 * age],
              ['quality_defect', 20],
              ['environment', 15],
              ['power', 10],
            ]);
        const responsibility: Responsibility =
          cause === 'quality_defect' ? 'supplier' : cause === 'power' || cause === 'environment' ? (random.next() < 0.3 ? 'merchant' : 'bank') : 'bank';
        return { cause, responsibility, person: null };
      }
    }
  }

  private advise(unit: Unit, ticket: DemoIncident, at: number, repairQuote: number | null, replacementPrice: number | null, damage: boolean): RepairAdvice {
    const policy = unit.terminal.policy;
    return adviseRepair({
      today: isoDate(at),
      warrantyStart: unit.terminal.warrantyStart,
      warrantyEnd: unit.terminal.warrantyEnd,
      policy: policy ? { policyNumber: policy.policyNumber, startDate: policy.startDate, endDate: policy.endDate, deductible: policy.deductible } : null,
      responsibility: ticket.responsibility,
      cause: ticket.cause,
      damage: damage || ticket.circumstances !== null,
      repairQuote,
      replacementPrice,
      purchaseDate: unit.terminal.purchaseDate,
    });
  }

  /** A spare of the same branch and category, bought by then, and not lent from then for as long as a repair may take. */
  private findSpare(terminal: DemoIncidentTerminal, at: number): SpareSlot | null {
    const free = (this.spares.get(poolKey(terminal)) ?? []).filter(
      (spare) => spare.purchase <= at && spare.terminal.id !== terminal.id && spare.busy.every(([from, to]) => to < at || from > at + 45 * DAY),
    );
    return free.length > 0 ? this.random.pick(free) : null;
  }

  private pickReplacement(unit: Unit, by: number): Unit | null {
    const candidates = (this.deployed.get(poolKey(unit.terminal)) ?? []).filter((other) => other.purchase <= by && !this.replacements.has(other.terminal.id));
    if (candidates.length === 0) return null;
    const sameModel = candidates.filter((other) => other.model.name === unit.model.name);
    return this.random.pick(sameModel.length > 0 && this.random.next() < 0.7 ? sameModel : candidates);
  }

  private pickMerchant(regionCode: string): number | null {
    const merchants = this.merchants.get(regionCode) ?? [];
    return merchants.length > 0 ? this.random.pick(merchants).id : null;
  }

  /** A technician who covers the region; one limited to it takes most of its tickets. */
  private pickWorker(regionCode: string): Worker {
    let workers = this.workers.get(regionCode);
    if (!workers) {
      workers = this.technicians.filter((worker) => {
        const user = this.options.users.find((u) => u.id === worker.actor.id)!;
        return user.regionCode === null || this.within(regionCode, user.regionCode);
      });
      this.workers.set(regionCode, workers);
    }
    if (workers.length === 0) return { actor: { id: null, username: 'system' }, pace: 1 };
    const local = workers.filter((worker) => this.options.users.find((u) => u.id === worker.actor.id)?.regionCode !== null);
    return local.length > 0 && this.random.next() < 0.6 ? this.random.pick(local) : this.random.pick(workers);
  }

  private dispatcher(unit: Unit): Worker | null {
    return this.staff(unit.terminal.regionCode, ['fleet_manager']);
  }

  private settler(c: WalkContext): Worker | null {
    return this.staff(c.unit.terminal.regionCode, ['procurement', 'fleet_manager']);
  }

  /** A user of these roles (in the order given) who covers the region, one limited to it first. */
  private staff(regionCode: string, roles: readonly Role[]): Worker | null {
    for (const role of roles) {
      const users = this.options.users.filter((u) => u.role === role && (u.regionCode === null || this.within(regionCode, u.regionCode)));
      const user = users.find((u) => u.regionCode !== null) ?? users[0];
      if (user) return { actor: { id: user.id, username: user.username }, pace: 1 };
    }
    return null;
  }

  private within(code: string, ancestor: string): boolean {
    for (let current: string | null | undefined = code; current; current = this.parents.get(current)) if (current === ancestor) return true;
    return false;
  }

  private shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.random.int(0, i);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }
}

type TicketPlan = { mode: 'closed'; bound: number } | { mode: 'open'; stage: Exclude<IncidentStage, 'closed'> } | { mode: 'replace'; replacement: Unit; bound: number };

interface SpareSlot {
  terminal: DemoIncidentTerminal;
  purchase: number;
  busy: [number, number][];
}

interface WalkContext {
  unit: Unit;
  scenario: Scenario;
  variant: Variant;
  worker: Worker;
  plan: TicketPlan;
  damage: boolean;
  /** The spare lent on this ticket, booked once the ticket is kept. */
  spare: SpareSlot | null;
  /** The advice the repair decision was taken on; it names who pays. */
  advice: RepairAdvice | null;
}

interface CostLine {
  kind: CostKind;
  description: string | null;
  amount: number;
  payer: CostPayer;
  claimReference: string | null;
  claimStatus: ClaimStatus | null;
}

/**
 * Writes a ticket the way the API's steps do: each step is planned by the
 * state machine, changes the same columns and leaves the same timeline event.
 * Steps past the ticket's time limit, or leaving the stage an open ticket is
 * to stay in, end the walk (StopWalk).
 */
class TicketBuilder {
  lastAt: number;

  constructor(
    readonly ticket: DemoIncident,
    private readonly limit: number,
    private readonly stayIn: IncidentStage | null,
  ) {
    this.lastAt = Date.parse(ticket.reportedAt);
    this.event(this.lastAt, ticket.reporter, 'reported', null, 'reported', { symptom: ticket.symptom, source: ticket.source, alarm: ticket.alarm, errorCodes: ticket.errorCodes }, null, null);
  }

  get spareOut(): boolean {
    return this.ticket.spareTerminalId !== null && this.ticket.spareOutcome === null;
  }

  private state(): IncidentWorkflowState {
    return { stage: this.ticket.stage, decision: this.ticket.decision, backedUp: this.ticket.backup !== null, restored: this.ticket.dataRestore !== null, spareOut: this.spareOut };
  }

  /** When an event planned for `at` is recorded: to the second, never before the last one. */
  instantOf(at: number): number {
    return Math.max(toSecond(at), this.lastAt);
  }

  /** The instant of a new event, which may not be past the limit. */
  private instant(at: number): number {
    const when = this.instantOf(at);
    if (when > this.limit) throw new StopWalk('past the limit');
    return when;
  }

  private event(at: number, actor: DemoIncidentActor, kind: IncidentEventKind, stageFrom: IncidentStage | null, stageTo: IncidentStage | null, details: Record<string, unknown>, note: string | null, costIndex: number | null): void {
    this.lastAt = at;
    this.ticket.events.push({ at: iso(at), actor, kind, stageFrom, stageTo, details, note, costIndex });
  }

  private commit(at: number, actor: DemoIncidentActor, kind: IncidentEventKind, to: IncidentStage, changes: Partial<DemoIncident>, details: Record<string, unknown>, note: string | null): void {
    const from = this.ticket.stage;
    Object.assign(this.ticket, changes, { stage: to, version: this.ticket.version + 1, updatedAt: iso(at) });
    this.event(at, actor, kind, from, to === from ? null : to, details, note, null);
  }

  private step(action: IncidentAction, at: number, actor: DemoIncidentActor, kind: IncidentEventKind, build: (when: number) => { changes: Partial<DemoIncident>; details?: Record<string, unknown>; note?: string | null }): void {
    const when = this.instant(at);
    const plan = planIncidentAction(this.state(), action);
    if (!plan.ok) throw new Error(`demo ticket on terminal ${this.ticket.terminalId}: ${plan.reason}`);
    if (this.stayIn !== null && this.ticket.stage === this.stayIn && plan.to !== this.stayIn) throw new StopWalk('the open ticket stays where it is');
    const outcome = build(when);
    this.commit(when, actor, kind, plan.to, outcome.changes, outcome.details ?? {}, outcome.note ?? null);
  }

  private assertOpen(): void {
    if (this.ticket.stage === 'closed') throw new Error(`demo ticket on terminal ${this.ticket.terminalId}: closed`);
  }

  assign(at: number, actor: DemoIncidentActor, assigneeId: number | null): void {
    this.assertOpen();
    const when = this.instant(at);
    this.commit(when, actor, 'assigned', this.ticket.stage, { assigneeId }, { from: this.ticket.assigneeId, to: assigneeId }, null);
  }

  respond(at: number, actor: DemoIncidentActor, checks: Partial<Record<FirstResponseCheck, CheckOutcome>>, fixed: boolean, note: string | null): void {
    this.step({ type: 'respond', fixed }, at, actor, 'first_response', (when) => ({
      changes: {
        firstResponse: { checks, fixed, at: iso(when), by: actor.username, note },
        respondedAt: this.ticket.respondedAt ?? iso(when),
        ...(fixed ? this.closing(when, 'fixed_on_first_response', note) : {}),
      },
      details: { checks, fixed },
      note,
    }));
  }

  diagnose(at: number, actor: DemoIncidentActor, d: { faultType: FaultType; cause: FaultCause; mode: DiagnosisMode; responsibility: Responsibility; responsiblePerson: string | null; note: string | null }): void {
    this.step({ type: 'diagnose' }, at, actor, 'diagnosed', (when) => ({
      changes: {
        faultType: d.faultType,
        cause: d.cause,
        diagnosisMode: d.mode,
        responsibility: d.responsibility,
        responsiblePerson: d.responsibility === 'person' ? d.responsiblePerson : null,
        diagnosisNote: d.note,
        diagnosedAt: iso(when),
        diagnosedBy: actor.username,
        respondedAt: this.ticket.respondedAt ?? iso(when),
      },
      details: { faultType: d.faultType, cause: d.cause, mode: d.mode, responsibility: d.responsibility, responsiblePerson: d.responsiblePerson },
      note: d.note,
    }));
  }

  decide(at: number, actor: DemoIncidentActor, request: { decision: RepairDecision; repairQuote: number | null; replacementPrice: number | null; repairVendor: string | null }, advice: RepairAdvice): void {
    this.step({ type: 'decide' }, at, actor, 'decided', () => ({
      changes: { decision: request.decision, repairQuote: request.repairQuote, replacementPrice: request.replacementPrice, repairVendor: request.repairVendor },
      details: {
        decision: request.decision,
        recommended: advice.decision,
        followsAdvice: advice.decision === request.decision,
        warranty: advice.warranty,
        insurance: advice.insurance,
        repairQuote: request.repairQuote,
        replacementPrice: request.replacementPrice,
      },
    }));
  }

  lendSpare(at: number, actor: DemoIncidentActor, spare: DemoIncidentTerminal, dueBack: IsoDate): void {
    this.step({ type: 'lendSpare' }, at, actor, 'spare_lent', (when) => ({
      changes: { spareTerminalId: spare.id, spareLentAt: iso(when), spareDueBack: dueBack, spareOutcome: null, spareSettledAt: null, restoredAt: this.ticket.restoredAt ?? iso(when) },
      details: { spareTerminalId: spare.id, assetNumber: spare.assetNumber, dueBack },
    }));
  }

  backUp(at: number, actor: DemoIncidentActor, location: string): void {
    this.step({ type: 'backUp' }, at, actor, 'backed_up', (when) => ({
      changes: { backup: { at: iso(when), by: actor.username, location, note: null } },
      details: { location },
    }));
  }

  ship(at: number, actor: DemoIncidentActor, repairVendor: string, carrier: string, trackingNumber: string): void {
    this.step({ type: 'ship' }, at, actor, 'shipped', (when) => ({
      changes: { repairVendor, carrier, trackingNumber, shippedAt: iso(when), returnedAt: null },
      details: { repairVendor, carrier, trackingNumber, shippedAt: iso(when) },
    }));
  }

  receive(at: number, actor: DemoIncidentActor): void {
    this.step({ type: 'receive' }, at, actor, 'received', (when) => ({
      changes: { returnedAt: iso(when) },
      details: { returnedAt: iso(when), newSerialNumber: null, previousSerialNumber: null },
    }));
  }

  repairOnSite(at: number, actor: DemoIncidentActor, note: string | null): void {
    this.step({ type: 'repairOnSite' }, at, actor, 'repaired_on_site', () => ({ changes: {}, note }));
  }

  replace(at: number, actor: DemoIncidentActor, replacement: DemoIncidentTerminal): void {
    this.step({ type: 'replace' }, at, actor, 'replaced', () => ({
      changes: { replacementTerminalId: replacement.id },
      details: { replacementTerminalId: replacement.id, assetNumber: replacement.assetNumber },
    }));
  }

  /** Passes when nothing failed and the test transaction went through; a lent spare returns or stays. */
  test(at: number, actor: DemoIncidentActor, checks: Partial<Record<TestCheck, TestOutcome>>, spareOutcome: SpareOutcome | null): void {
    const passed = !Object.values(checks).includes('fail') && checks.test_transaction === 'pass';
    this.step({ type: 'test', passed }, at, actor, 'tested', (when) => {
      const record = { checks, passed, at: iso(when), by: actor.username };
      const attempts = this.ticket.testAttempts + 1;
      if (!passed) {
        return {
          changes: { testResult: record, testAttempts: attempts, replacementTerminalId: this.ticket.decision === 'replace' ? null : this.ticket.replacementTerminalId },
          details: { checks, passed, attempt: attempts },
        };
      }
      const lent = this.spareOut;
      if (lent && !spareOutcome) throw new Error(`demo ticket on terminal ${this.ticket.terminalId}: a spare is out`);
      return {
        changes: {
          testResult: record,
          testAttempts: attempts,
          resolvedAt: iso(when),
          restoredAt: this.ticket.restoredAt ?? iso(when),
          ...(lent ? { spareOutcome, spareSettledAt: iso(when) } : {}),
        },
        details: { checks, passed, attempt: attempts, spareOutcome: lent ? spareOutcome : null },
      };
    });
  }

  restoreData(at: number, actor: DemoIncidentActor, note: string | null): void {
    this.step({ type: 'restoreData' }, at, actor, 'data_restored', (when) => ({ changes: { dataRestore: { at: iso(when), by: actor.username, location: null, note } }, note }));
  }

  close(at: number, actor: DemoIncidentActor, resolution: IncidentResolution, note: string): void {
    this.step({ type: 'close', resolution }, at, actor, 'closed', (when) => ({ changes: this.closing(when, resolution, note), details: { resolution }, note }));
  }

  reopen(at: number, actor: DemoIncidentActor, reason: string): void {
    this.step({ type: 'reopen' }, at, actor, 'reopened', () => ({
      changes: { closedAt: null, resolution: null, resolutionNote: null, resolvedAt: null, reopenCount: this.ticket.reopenCount + 1 },
      details: { previousResolution: this.ticket.resolution },
      note: reason,
    }));
  }

  rate(at: number, actor: DemoIncidentActor, rating: number, comment: string | null): void {
    if (this.ticket.stage !== 'resolved') throw new Error(`demo ticket on terminal ${this.ticket.terminalId}: rated while ${this.ticket.stage}`);
    const when = this.instant(at);
    this.commit(when, actor, 'rated', 'resolved', { rating, ratingComment: comment }, { rating, comment }, null);
  }

  contact(at: number, actor: DemoIncidentActor, channel: ContactChannel, contactPerson: string | null, summary: string): void {
    this.assertOpen();
    this.event(this.instant(at), actor, 'merchant_contact', null, null, { channel, contactPerson, summary }, null, null);
  }

  addCost(at: number, actor: DemoIncidentActor, line: CostLine, currency: string): number {
    this.assertOpen();
    const when = iso(this.instant(at));
    const index = this.ticket.costs.length;
    const claimedAmount = line.claimStatus ? line.amount : null;
    this.ticket.costs.push({ ...line, currency, claimedAmount, approvedAmount: null, paidAmount: null, version: 1, createdAt: when, updatedAt: when });
    this.event(Date.parse(when), actor, 'cost_added', null, null, { costId: null, kind: line.kind, amount: line.amount, currency, payer: line.payer, claimStatus: line.claimStatus }, null, index);
    return index;
  }

  updateCost(at: number, actor: DemoIncidentActor, index: number, changes: Partial<Pick<DemoIncidentCost, 'claimStatus' | 'approvedAmount' | 'paidAmount'>>): void {
    this.assertOpen();
    const when = this.instant(at);
    const cost = this.ticket.costs[index]!;
    Object.assign(cost, changes, { version: cost.version + 1, updatedAt: iso(when) });
    this.event(when, actor, 'cost_updated', null, null, { costId: null, ...changes }, null, index);
  }

  private closing(when: number, resolution: IncidentResolution, note: string | null): Partial<DemoIncident> {
    return {
      resolution,
      resolutionNote: note,
      closedAt: iso(when),
      ...(resolution === 'fixed_on_first_response' ? { resolvedAt: iso(when), restoredAt: this.ticket.restoredAt ?? iso(when) } : {}),
    };
  }
}

function newTicket(report: Pick<
  DemoIncident,
  | 'terminalId'
  | 'merchantId'
  | 'firmwareVersion'
  | 'priority'
  | 'source'
  | 'alarm'
  | 'reporter'
  | 'assigneeId'
  | 'symptom'
  | 'errorCodes'
  | 'description'
  | 'circumstances'
  | 'circumstancesNote'
  | 'occurredAt'
  | 'reportedAt'
>): DemoIncident {
  return {
    ...report,
    stage: 'reported',
    place: null,
    ...UNSTARTED_INCIDENT_STEPS,
    version: 1,
    updatedAt: report.reportedAt,
    events: [],
    costs: [],
  };
}

// ---- small helpers

/** The next failure after `from` and before `to`, by thinning against the shape's largest multiplier in between. */
function nextFailure(random: Random, unit: Unit, from: number, to: number): number | null {
  const rate = unit.model.annualFailureRate;
  if (rate <= 0 || from >= to) return null;
  const age = (at: number) => Math.max(0, (at - unit.purchase) / YEAR);
  const peak = rate * Math.max(failureMultiplier(unit.shape, age(from)), failureMultiplier(unit.shape, age(to)));
  let at = from;
  for (;;) {
    at += (-Math.log(1 - random.next()) / peak) * YEAR;
    if (at >= to) return null;
    if (random.next() * peak < rate * failureMultiplier(unit.shape, age(at))) return at;
  }
}

/** The checks of a post-repair test; `failing` is the one that shows the fix did not hold. */
function testChecks(category: TerminalCategory, failing: TestCheck | null): Partial<Record<TestCheck, TestOutcome>> {
  const checks: Partial<Record<TestCheck, TestOutcome>> = {
    chip: 'pass',
    stripe: 'pass',
    contactless: category === 'desktop' ? 'not_applicable' : 'pass',
    print: category === 'mpos' ? 'not_applicable' : 'pass',
    touch_keys: 'pass',
    network: 'pass',
    test_transaction: 'pass',
  };
  if (failing) checks[failing] = 'fail';
  return checks;
}

function pickPriority(random: Random, symptom: IncidentSymptom): IncidentPriority {
  const severe = symptom === 'physical_damage' || symptom === 'wont_boot';
  return random.weighted<IncidentPriority>([
    ['urgent', severe ? 15 : 5],
    ['high', severe ? 42 : 25],
    ['normal', severe ? 38 : 55],
    ['low', severe ? 5 : 15],
  ]);
}

function covered(start: IsoDate | null, end: IsoDate | null, at: number): boolean {
  const day = isoDate(at);
  return end !== null && (start === null || start <= day) && day <= end;
}

function listIn<K, V>(map: Map<K, V[]>, key: K): V[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}

function poolKey(terminal: DemoIncidentTerminal): string {
  return `${terminal.regionCode}|${terminal.category}`;
}

function lastInstant(ticket: DemoIncident): number {
  return Date.parse(ticket.events[ticket.events.length - 1]!.at);
}

/** A log-normal draw with the given median: durations are mostly near it, sometimes much longer. */
function lognormal(random: Random, median: number, sigma: number): number {
  const u = 1 - random.next();
  const gaussian = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.next());
  return median * Math.exp(sigma * gaussian);
}

function roundTo(value: number, step: number): number {
  return Math.max(step, Math.round(value / step) * step);
}

/** Instants are kept to the second, as people write them. */
function toSecond(ms: number): number {
  return Math.round(ms / 1000) * 1000;
}

function iso(ms: number): IsoDateTime {
  return new Date(ms).toISOString();
}
