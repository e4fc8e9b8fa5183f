/**
 * The fault workflow (DOMAIN.md): a ticket from report to archive. Each step
 * is checked by the shared state machine, written with its timeline event in
 * one transaction, and moves the terminals it concerns (the faulty unit, the
 * lent spare, a replacement) through their lifecycle with an audit entry that
 * names the ticket, so every unit's history stays whole.
 */
import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import {
  adviseRepair,
  availableIncidentActions,
  can,
  CLAIM_PAYERS,
  DEFAULT_SLA_TARGETS,
  formatIncidentNumber,
  INCIDENT_PRIORITIES,
  INCIDENT_STAGES,
  planIncidentAction,
  postRepairTestPassed,
  UNSTARTED_INCIDENT_STEPS,
  SLA_MEASURES,
  slaTimers,
  type IncidentAction,
  type IncidentAlarm,
  type IncidentBoardCounts,
  type IncidentCostResponse,
  type IncidentEventKind,
  type IncidentEventResponse,
  type IncidentPriority,
  type IncidentResponse,
  type IncidentStage,
  type IncidentSummaryResponse,
  type IncidentSymptom,
  type IncidentWorkflowState,
  type Page,
  type Ref,
  type RepairAdvice,
  type SlaMeasure,
  type TerminalStatus,
} from '@fleet/shared';
import { CatalogService } from '../catalog/catalog.service';
import { pageOf } from '../common/api-dtos';
import type { Actor } from '../common/authorization';
import { Clock } from '../common/clock';
import { DomainException } from '../common/domain.exception';
import { duplicateField, presentFields, timestamps } from '../common/mapping';
import { requestScope, withinScope } from '../common/request-scope';
import { versionConflict } from '../common/versioning';
import { TransactionRunner, type Tx } from '../database/transaction';
import { RegionsService } from '../regions/regions.service';
import type { TerminalEntity } from '../terminals/terminal.entity';
import { TerminalsService, type TerminalFields } from '../terminals/terminals.service';
import type { UserEntity } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { InsurancePoliciesService } from '../warranties/insurance-policies.service';
import type { IncidentCostEntity } from './incident-cost.entity';
import type { IncidentEventEntity } from './incident-event.entity';
import type { IncidentEntity } from './incident.entity';
import { INCIDENT_CHANGED, type IncidentChangedEvent } from './incidents.events';
import type {
  AddMerchantContactDto,
  AssignIncidentDto,
  BackUpIncidentDto,
  BoardQueryDto,
  CloseIncidentDto,
  CreateIncidentCostDto,
  CreateIncidentDto,
  DecideRepairDto,
  DiagnoseIncidentDto,
  IncidentStepDto,
  LendSpareDto,
  ListIncidentsQueryDto,
  RateIncidentDto,
  ReceiveIncidentDto,
  ReopenIncidentDto,
  ReplaceIncidentDto,
  RespondIncidentDto,
  ShipIncidentDto,
  TestIncidentDto,
  UpdateIncidentCostDto,
} from './incidents.dto';
import { IncidentsRepository, type IncidentFilter, type OverdueCutoffs } from './incidents.repository';

type AuthorActor = Pick<Actor, 'id' | 'username'>;

/** Terminals a fault can be reported on (a retired or disposed unit is out of service already). */
const REPORTABLE: readonly TerminalStatus[] = ['deployed', 'spare', 'in_stock', 'in_repair'];

interface StepOutcome {
  changes: Partial<IncidentEntity>;
  kind: IncidentEventKind;
  details?: Record<string, unknown>;
  note?: string | null;
  /** Terminal moves, inside the step's transaction. */
  apply?: (tx: Tx) => Promise<void>;
}

export function workflowState(incident: IncidentEntity): IncidentWorkflowState {
  return {
    stage: incident.stage,
    decision: incident.decision,
    backedUp: incident.backup !== null,
    restored: incident.dataRestore !== null,
    spareOut: spareOut(incident),
  };
}

function spareOut(incident: IncidentEntity): boolean {
  return incident.spareTerminalId !== null && incident.spareOutcome === null;
}

function iso(value: Date | null): string | null {
  return value ? value.toISOString() : null;
}

@Injectable()
export class IncidentsService {
  private readonly logger = new Logger(IncidentsService.name);

  constructor(
    private readonly repository: IncidentsRepository,
    private readonly terminals: TerminalsService,
    private readonly regions: RegionsService,
    private readonly catalog: CatalogService,
    private readonly users: UsersService,
    private readonly policies: InsurancePoliciesService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly events: EventEmitter2,
  ) {}

  // ---- reading

  /** A ticket by id; one whose region is outside the user's scope is not found. */
  async getIncident(id: number): Promise<IncidentEntity> {
    const incident = await this.repository.findById(id);
    if (!incident || !withinScope(requestScope(), incident.region?.path ?? '')) throw new DomainException('INCIDENT_NOT_FOUND', `No fault ticket ${id}`);
    return incident;
  }

  assertOpen(incident: IncidentEntity): void {
    if (incident.stage === 'closed') throw new DomainException('INCIDENT_CLOSED', `${formatIncidentNumber(incident.id)} is closed; reopen it first`);
  }

  async list(query: ListIncidentsQueryDto): Promise<Page<IncidentSummaryResponse>> {
    const { page, pageSize, offset } = pageOf(query);
    const [rows, total] = await this.repository.list(await this.toFilter(query), offset, pageSize);
    const now = this.clock.now();
    return { items: rows.map((row) => this.toSummary(row, now)), total, page, pageSize };
  }

  async board(query: BoardQueryDto): Promise<IncidentBoardCounts> {
    const { byStage, overdue } = await this.repository.board(await this.toFilter(query), this.overdueCutoffs());
    return {
      byStage: Object.fromEntries(INCIDENT_STAGES.map((stage) => [stage, byStage.get(stage) ?? 0])) as Record<IncidentStage, number>,
      overdue,
    };
  }

  async describe(id: number): Promise<IncidentResponse> {
    return this.toResponse(await this.getIncident(id));
  }

  async timeline(id: number): Promise<IncidentEventResponse[]> {
    await this.getIncident(id);
    return (await this.repository.listEvents(id)).map(toEventResponse);
  }

  /** Open tickets past a service-level target, with the measure first breached and when. */
  async breachedTickets(): Promise<{ id: number; number: string; regionId: number; terminalId: number; measure: SlaMeasure; dueAt: Date }[]> {
    const now = this.clock.now().getTime();
    const rows = await this.repository.overdue(this.overdueCutoffs());
    return rows.map((row) => {
      const breached = this.timers(row, new Date(now)).find((timer) => timer.breached && !timer.metAt && !timer.stopped)!;
      return { id: row.id, number: formatIncidentNumber(row.id), regionId: row.regionId, terminalId: row.terminalId, measure: breached.measure, dueAt: new Date(breached.dueAt) };
    });
  }

  /** Which of these terminals have an open ticket. */
  terminalsWithOpenTickets(terminalIds: number[]): Promise<Set<number>> {
    return this.repository.openTerminalIds(terminalIds);
  }

  /** Who may be given tickets: active users who work them (a user limited to a region sees those who may act there). */
  async assignees(): Promise<Ref[]> {
    const scope = requestScope();
    const regions = scope ? new Map((await this.regions.regionTree()).map((region) => [region.id, region.path])) : null;
    return (await this.users.list())
      .filter((user) => user.active && can(user.role, 'incidents:work'))
      .filter((user) => !regions || user.regionId === null || withinScope(scope, regions.get(user.regionId) ?? ''))
      .map((user) => ({ id: user.id, name: user.displayName }));
  }

  // ---- report

  async create(actor: Actor, request: CreateIncidentDto): Promise<IncidentResponse> {
    const terminal = await this.terminals.getTerminal(request.terminalId);
    if (!REPORTABLE.includes(terminal.status)) {
      throw DomainException.invalidField('terminalId', 'notInService', `terminalId: a ${terminal.status} terminal is out of service`);
    }
    if (request.circumstances && request.symptom !== 'physical_damage') {
      throw DomainException.invalidField('circumstances', 'onlyForDamage', 'circumstances: only for physical damage');
    }
    if (request.assigneeId) await this.assertAssignable(request.assigneeId);
    const occurredAt = request.occurredAt ? new Date(request.occurredAt) : this.clock.now();
    if (occurredAt.getTime() > this.clock.now().getTime() + 60_000) throw DomainException.invalidField('occurredAt', 'inFuture', 'occurredAt cannot be in the future');
    const incident = await this.open(actor, terminal, {
      priority: request.priority ?? 'normal',
      symptom: request.symptom,
      errorCodes: request.errorCodes ?? [],
      description: request.description,
      place: request.place ?? null,
      circumstances: request.circumstances ?? null,
      circumstancesNote: request.circumstancesNote ?? null,
      occurredAt,
      assigneeId: request.assigneeId ?? null,
      source: 'user',
      alarm: null,
    });
    return this.describe(incident.id);
  }

  /**
   * Opens a ticket from an alarm (offline too long, a recurring error code),
   * unless the terminal already has an open ticket: null then.
   */
  async openFromAlarm(actor: AuthorActor, terminal: TerminalEntity, alarm: IncidentAlarm, symptom: IncidentSymptom, description: string, errorCodes: string[]): Promise<IncidentEntity | null> {
    if (await this.repository.findOpenByTerminal(terminal.id)) return null;
    try {
      return await this.open(actor, terminal, {
        priority: 'high',
        symptom,
        errorCodes,
        description,
        place: null,
        circumstances: null,
        circumstancesNote: null,
        occurredAt: this.clock.now(),
        assigneeId: null,
        source: 'alarm',
        alarm,
      });
    } catch (error) {
      if (error instanceof DomainException && error.code === 'INCIDENT_ALREADY_OPEN') return null;
      throw error;
    }
  }

  private async open(
    actor: AuthorActor,
    terminal: TerminalEntity,
    report: Pick<
      IncidentEntity,
      'priority' | 'symptom' | 'errorCodes' | 'description' | 'place' | 'circumstances' | 'circumstancesNote' | 'occurredAt' | 'assigneeId' | 'source' | 'alarm'
    >,
  ): Promise<IncidentEntity> {
    const existing = await this.repository.findOpenByTerminal(terminal.id);
    if (existing) throw alreadyOpen(existing.id);
    const now = this.clock.now();
    let incident: IncidentEntity;
    try {
      incident = await this.transactions.run(async (tx) => {
        const created = await this.repository.insert(tx, {
          ...UNSTARTED_INCIDENT_STEPS,
          ...report,
          terminalId: terminal.id,
          openTerminalId: terminal.id,
          regionId: terminal.regionId,
          modelId: terminal.modelId,
          supplierId: terminal.supplierId,
          merchantId: terminal.merchantId,
          firmwareVersion: terminal.firmwareVersion,
          stage: 'reported',
          reporterId: actor.id || null,
          reporterName: actor.username,
          primaryErrorCode: report.errorCodes?.[0] ?? null,
          reportedAt: now,
          version: 1,
          createdAt: now,
          updatedAt: now,
        });
        await this.event(tx, actor, created.id, 'reported', null, 'reported', { symptom: report.symptom, source: report.source, alarm: report.alarm, errorCodes: report.errorCodes }, null, now);
        this.changedAfterCommit(tx, created, null);
        return created;
      });
    } catch (error) {
      // Two reports racing past the check above: the unique open-ticket index refuses the second.
      const racing = await this.repository.findOpenByTerminal(terminal.id);
      if (racing) throw alreadyOpen(racing.id);
      throw error;
    }
    this.logger.log(`${formatIncidentNumber(incident.id)} opened on ${terminal.assetNumber} (${report.source}${report.alarm ? `: ${report.alarm}` : ''}) by ${actor.username}`);
    return incident;
  }

  // ---- the steps

  async assign(actor: Actor, id: number, request: AssignIncidentDto, version: number): Promise<IncidentResponse> {
    const incident = await this.getIncident(id);
    this.assertOpen(incident);
    const assignee = request.assigneeId === null ? null : await this.assertAssignable(request.assigneeId);
    return this.commit(actor, incident, version, incident.stage, {
      changes: { assigneeId: request.assigneeId },
      kind: 'assigned',
      details: { from: incident.assigneeId, fromName: incident.assignee?.displayName ?? null, to: request.assigneeId, toName: assignee?.displayName ?? null },
      note: request.note,
    });
  }

  respond(actor: Actor, id: number, request: RespondIncidentDto, version: number): Promise<IncidentResponse> {
    return this.step(actor, id, version, { type: 'respond', fixed: request.fixed }, (incident, now) => {
      const checks = { ...request.checks };
      const changes: Partial<IncidentEntity> = {
        firstResponse: { checks, fixed: request.fixed, at: now.toISOString(), by: actor.username, note: request.note ?? null },
        respondedAt: incident.respondedAt ?? now,
      };
      if (request.fixed) Object.assign(changes, this.closing(incident, now, 'fixed_on_first_response', request.note ?? null));
      return { changes, kind: 'first_response', details: { checks, fixed: request.fixed }, note: request.note };
    });
  }

  diagnose(actor: Actor, id: number, request: DiagnoseIncidentDto, version: number): Promise<IncidentResponse> {
    if (request.responsibility === 'person' && !request.responsiblePerson) {
      throw DomainException.invalidField('responsiblePerson', 'required', 'responsiblePerson: name the person responsible');
    }
    return this.step(actor, id, version, { type: 'diagnose' }, (incident, now) => ({
      changes: {
        faultType: request.faultType,
        cause: request.cause,
        diagnosisMode: request.mode,
        responsibility: request.responsibility,
        responsiblePerson: request.responsibility === 'person' ? (request.responsiblePerson ?? null) : null,
        diagnosisNote: request.note ?? null,
        diagnosedAt: now,
        diagnosedBy: actor.username,
        respondedAt: incident.respondedAt ?? now,
      },
      kind: 'diagnosed',
      details: { faultType: request.faultType, cause: request.cause, mode: request.mode, responsibility: request.responsibility, responsiblePerson: request.responsiblePerson ?? null },
      note: request.note,
    }));
  }

  decide(actor: Actor, id: number, request: DecideRepairDto, version: number): Promise<IncidentResponse> {
    return this.step(actor, id, version, { type: 'decide' }, async (incident) => {
      const advice = await this.advise(incident, { repairQuote: request.repairQuote, replacementPrice: request.replacementPrice });
      return {
        changes: {
          decision: request.decision,
          repairQuote: request.repairQuote === undefined ? incident.repairQuote : request.repairQuote,
          replacementPrice: request.replacementPrice === undefined ? incident.replacementPrice : request.replacementPrice,
          repairVendor: request.repairVendor === undefined ? incident.repairVendor : request.repairVendor,
        },
        kind: 'decided',
        details: {
          decision: request.decision,
          recommended: advice.decision,
          followsAdvice: advice.decision === request.decision,
          warranty: advice.warranty,
          insurance: advice.insurance,
          repairQuote: request.repairQuote ?? null,
          replacementPrice: request.replacementPrice ?? null,
        },
        note: request.note,
      };
    });
  }

  lendSpare(actor: Actor, id: number, request: LendSpareDto, version: number): Promise<IncidentResponse> {
    return this.step(actor, id, version, { type: 'lendSpare' }, async (incident, now) => {
      if (request.dueBack < this.clock.today()) throw DomainException.invalidField('dueBack', 'inPast', 'dueBack cannot be in the past');
      const spare = await this.eligibleUnit(incident, request.spareTerminalId, 'spareTerminalId', ['spare']);
      const merchantId = incident.merchantId ?? incident.terminal?.merchantId ?? null;
      return {
        changes: { spareTerminalId: spare.id, spareLentAt: now, spareDueBack: request.dueBack, spareOutcome: null, spareSettledAt: null, restoredAt: incident.restoredAt ?? now },
        kind: 'spare_lent',
        details: { spareTerminalId: spare.id, assetNumber: spare.assetNumber, dueBack: request.dueBack },
        note: request.note,
        apply: (tx) => this.moveTerminal(tx, actor, spare, { status: 'deployed', merchantId }, incident, 'spare lent'),
      };
    });
  }

  backUp(actor: Actor, id: number, request: BackUpIncidentDto, version: number): Promise<IncidentResponse> {
    return this.step(actor, id, version, { type: 'backUp' }, (_incident, now) => ({
      changes: { backup: { at: now.toISOString(), by: actor.username, location: request.location, note: request.note ?? null } },
      kind: 'backed_up',
      details: { location: request.location },
      note: request.note,
    }));
  }

  ship(actor: Actor, id: number, request: ShipIncidentDto, version: number): Promise<IncidentResponse> {
    return this.step(actor, id, version, { type: 'ship' }, async (incident, now) => {
      const shippedAt = this.pastInstant(request.shippedAt, 'shippedAt', now);
      const unit = await this.terminals.getTerminal(incident.terminalId);
      return {
        changes: { repairVendor: request.repairVendor, carrier: request.carrier, trackingNumber: request.trackingNumber, shippedAt, returnedAt: null },
        kind: 'shipped',
        details: { repairVendor: request.repairVendor, carrier: request.carrier, trackingNumber: request.trackingNumber, shippedAt: shippedAt.toISOString() },
        note: request.note,
        apply: (tx) => this.moveTerminal(tx, actor, unit, { status: 'in_repair', merchantId: null }, incident, `shipped to ${request.repairVendor}`),
      };
    });
  }

  receive(actor: Actor, id: number, request: ReceiveIncidentDto, version: number): Promise<IncidentResponse> {
    return this.step(actor, id, version, { type: 'receive' }, async (incident, now) => {
      const returnedAt = this.pastInstant(request.returnedAt, 'returnedAt', now);
      if (incident.shippedAt && returnedAt < incident.shippedAt) throw DomainException.invalidField('returnedAt', 'beforeShipped', 'returnedAt cannot be before the unit was shipped');
      const unit = await this.terminals.getTerminal(incident.terminalId);
      const newSerial = request.newSerialNumber && request.newSerialNumber !== unit.serialNumber ? request.newSerialNumber : null;
      if (newSerial) {
        const other = await this.terminals.findBySerial(newSerial);
        if (other) throw duplicateField('DUPLICATE_SERIAL_NUMBER', 'newSerialNumber', newSerial);
      }
      return {
        changes: { returnedAt, newSerialNumber: newSerial ?? incident.newSerialNumber },
        kind: 'received',
        details: { returnedAt: returnedAt.toISOString(), newSerialNumber: newSerial, previousSerialNumber: newSerial ? unit.serialNumber : null },
        note: request.note,
        apply: newSerial ? (tx) => this.moveTerminal(tx, actor, unit, { serialNumber: newSerial }, incident, 'unit swapped by the repair vendor') : undefined,
      };
    });
  }

  repairOnSite(actor: Actor, id: number, request: IncidentStepDto, version: number): Promise<IncidentResponse> {
    return this.step(actor, id, version, { type: 'repairOnSite' }, () => ({ changes: {}, kind: 'repaired_on_site', note: request.note }));
  }

  replace(actor: Actor, id: number, request: ReplaceIncidentDto, version: number): Promise<IncidentResponse> {
    return this.step(actor, id, version, { type: 'replace' }, async (incident) => {
      if (request.replacementTerminalId === incident.spareTerminalId && spareOut(incident)) {
        throw DomainException.invalidField('replacementTerminalId', 'isTheSpare', 'replacementTerminalId: this unit is the lent spare; keep it when the test passes instead');
      }
      const replacement = await this.eligibleUnit(incident, request.replacementTerminalId, 'replacementTerminalId', ['in_stock', 'spare']);
      const unit = await this.terminals.getTerminal(incident.terminalId);
      return {
        changes: { replacementTerminalId: replacement.id },
        kind: 'replaced',
        details: { replacementTerminalId: replacement.id, assetNumber: replacement.assetNumber },
        note: request.note,
        apply: unit.status === 'retired' ? undefined : (tx) => this.moveTerminal(tx, actor, unit, { status: 'retired', merchantId: null }, incident, `replaced by ${replacement.assetNumber}`),
      };
    });
  }

  test(actor: Actor, id: number, request: TestIncidentDto, version: number): Promise<IncidentResponse> {
    const passed = postRepairTestPassed(request.checks);
    return this.step(actor, id, version, { type: 'test', passed }, async (incident, now) => {
      const checks = { ...request.checks };
      const record = { checks, passed, at: now.toISOString(), by: actor.username };
      const base = { testResult: record, testAttempts: incident.testAttempts + 1 };
      if (!passed) {
        return {
          changes: { ...base, replacementTerminalId: incident.decision === 'replace' ? null : incident.replacementTerminalId },
          kind: 'tested',
          details: { checks, passed, attempt: base.testAttempts },
          note: request.note,
        };
      }
      const lent = spareOut(incident);
      if (lent && !request.spareOutcome) throw DomainException.invalidField('spareOutcome', 'required', 'spareOutcome: say whether the lent spare returns or stays');
      if (lent && request.spareOutcome === 'keep' && incident.decision === 'replace') {
        throw DomainException.invalidField('spareOutcome', 'keepWithReplacement', 'spareOutcome: a replacement takes the unit’s place; the spare returns');
      }
      const merchantId = incident.merchantId;
      const moves: ((tx: Tx) => Promise<void>)[] = [];
      if (incident.decision === 'replace') {
        const replacement = await this.eligibleUnit(incident, incident.replacementTerminalId!, 'replacementTerminalId', ['in_stock', 'spare']);
        moves.push((tx) => this.moveTerminal(tx, actor, replacement, { status: 'deployed', merchantId }, incident, 'replacement in service'));
      } else {
        const unit = await this.terminals.getTerminal(incident.terminalId);
        const keep = lent && request.spareOutcome === 'keep';
        moves.push((tx) => this.moveTerminal(tx, actor, unit, keep ? { status: 'spare', merchantId: null } : { status: 'deployed', merchantId }, incident, keep ? 'repaired, back to the spare pool' : 'repaired, back in service'));
      }
      if (lent && request.spareOutcome === 'return') {
        const spare = await this.terminals.getTerminal(incident.spareTerminalId!);
        moves.unshift((tx) => this.moveTerminal(tx, actor, spare, { status: 'spare', merchantId: null }, incident, 'spare returned'));
      }
      return {
        changes: {
          ...base,
          resolvedAt: now,
          restoredAt: incident.restoredAt ?? now,
          ...(lent ? { spareOutcome: request.spareOutcome!, spareSettledAt: now } : {}),
        },
        kind: 'tested',
        details: { checks, passed, attempt: base.testAttempts, spareOutcome: lent ? request.spareOutcome : null },
        note: request.note,
        apply: async (tx) => {
          for (const move of moves) await move(tx);
        },
      };
    });
  }

  restoreData(actor: Actor, id: number, request: IncidentStepDto, version: number): Promise<IncidentResponse> {
    return this.step(actor, id, version, { type: 'restoreData' }, (_incident, now) => ({
      changes: { dataRestore: { at: now.toISOString(), by: actor.username, location: null, note: request.note ?? null } },
      kind: 'data_restored',
      note: request.note,
    }));
  }

  close(actor: Actor, id: number, request: CloseIncidentDto, version: number): Promise<IncidentResponse> {
    return this.step(actor, id, version, { type: 'close', resolution: request.resolution }, (incident, now) => ({
      changes: this.closing(incident, now, request.resolution, request.note),
      kind: 'closed',
      details: { resolution: request.resolution },
      note: request.note,
    }));
  }

  reopen(actor: Actor, id: number, request: ReopenIncidentDto, version: number): Promise<IncidentResponse> {
    return this.step(actor, id, version, { type: 'reopen' }, async (incident) => {
      const other = await this.repository.findOpenByTerminal(incident.terminalId);
      if (other) throw alreadyOpen(other.id);
      return {
        changes: { openTerminalId: incident.terminalId, closedAt: null, resolution: null, resolutionNote: null, resolvedAt: null, reopenCount: incident.reopenCount + 1 },
        kind: 'reopened',
        details: { previousResolution: incident.resolution },
        note: request.reason,
      };
    });
  }

  async rate(actor: Actor, id: number, request: RateIncidentDto, version: number): Promise<IncidentResponse> {
    const incident = await this.getIncident(id);
    this.assertOpen(incident);
    if (incident.stage !== 'resolved') {
      throw new DomainException('INCIDENT_INVALID_TRANSITION', 'The merchant rates the service once the ticket is resolved', { stage: incident.stage });
    }
    return this.commit(actor, incident, version, incident.stage, {
      changes: { rating: request.rating, ratingComment: request.comment ?? null },
      kind: 'rated',
      details: { rating: request.rating, comment: request.comment ?? null },
      note: request.note,
    });
  }

  async addContact(actor: Actor, id: number, request: AddMerchantContactDto): Promise<IncidentEventResponse> {
    const incident = await this.getIncident(id);
    this.assertOpen(incident);
    const now = this.clock.now();
    const at = this.pastInstant(request.at, 'at', now);
    const event = await this.transactions.run((tx) =>
      this.event(tx, actor, incident.id, 'merchant_contact', null, null, { channel: request.channel, contactPerson: request.contactPerson ?? null, summary: request.summary }, null, at),
    );
    return toEventResponse(event);
  }

  /** Records a timeline event of another part of the ticket (a photo added). */
  async addEvent(actor: AuthorActor, incidentId: number, kind: IncidentEventKind, details: Record<string, unknown>, note: string | null = null): Promise<void> {
    await this.transactions.run((tx) => this.event(tx, actor, incidentId, kind, null, null, details, note, this.clock.now()));
  }

  // ---- costs and claims

  async costs(id: number): Promise<IncidentCostResponse[]> {
    await this.getIncident(id);
    return (await this.repository.listCosts(id)).map(toCostResponse);
  }

  async addCost(actor: Actor, id: number, request: CreateIncidentCostDto): Promise<IncidentCostResponse> {
    const incident = await this.getIncident(id);
    this.assertOpen(incident);
    assertClaim(request.payer, request.claimStatus ?? null, request.claimReference ?? null);
    const now = this.clock.now();
    const cost = await this.transactions.run(async (tx) => {
      const created = await this.repository.insertCost(tx, {
        incidentId: incident.id,
        kind: request.kind,
        description: request.description ?? null,
        amount: request.amount,
        currency: request.currency ?? incident.terminal?.currency ?? 'CNY',
        payer: request.payer,
        claimReference: request.claimReference ?? null,
        claimStatus: request.claimStatus ?? null,
        claimedAmount: request.claimedAmount ?? (request.claimStatus ? request.amount : null),
        approvedAmount: null,
        paidAmount: null,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      await this.event(tx, actor, incident.id, 'cost_added', null, null, { costId: created.id, kind: created.kind, amount: created.amount, currency: created.currency, payer: created.payer, claimStatus: created.claimStatus }, null, now);
      return created;
    });
    return toCostResponse(cost);
  }

  async updateCost(actor: Actor, id: number, costId: number, request: UpdateIncidentCostDto, version: number): Promise<IncidentCostResponse> {
    const incident = await this.getIncident(id);
    this.assertOpen(incident);
    const before = await this.repository.findCost(incident.id, costId);
    if (!before) throw new DomainException('INCIDENT_COST_NOT_FOUND', `No cost line ${costId} on ${formatIncidentNumber(id)}`);
    if (before.version !== version) throw versionConflict('incident cost', costId, before.version);
    const { version: _version, ...changes } = presentFields(request);
    const after = { ...before, ...changes };
    assertClaim(after.payer, after.claimStatus, after.claimReference);
    if (after.claimStatus === 'paid' && after.paidAmount === null) throw DomainException.invalidField('paidAmount', 'required', 'paidAmount: how much was paid');
    if (after.approvedAmount !== null && after.claimedAmount !== null && after.approvedAmount > after.claimedAmount) {
      throw DomainException.invalidField('approvedAmount', 'aboveClaimed', 'approvedAmount cannot exceed claimedAmount');
    }
    const now = this.clock.now();
    await this.transactions.run(async (tx) => {
      if (!(await this.repository.updateCostIfVersion(tx, costId, version, { ...changes, updatedAt: now }))) throw versionConflict('incident cost', costId, before.version);
      await this.event(tx, actor, incident.id, 'cost_updated', null, null, { costId, ...changes }, null, now);
    });
    return toCostResponse({ ...after, version: version + 1, updatedAt: now });
  }

  // ---- shared machinery

  /** Plans a step with the state machine, then commits it. */
  private async step(
    actor: Actor,
    id: number,
    version: number,
    action: IncidentAction,
    build: (incident: IncidentEntity, now: Date) => StepOutcome | Promise<StepOutcome>,
  ): Promise<IncidentResponse> {
    const incident = await this.getIncident(id);
    const plan = planIncidentAction(workflowState(incident), action);
    if (!plan.ok) {
      throw new DomainException(plan.code, `${formatIncidentNumber(id)}: ${plan.reason}`, {
        stage: incident.stage,
        action: action.type,
        allowed: availableIncidentActions(workflowState(incident)),
        ...(plan.field ? { fields: [{ field: plan.field, code: 'invalidTransition', message: plan.reason }] } : {}),
      });
    }
    if (incident.version !== version) throw versionConflict('incident', id, incident.version);
    return this.commit(actor, incident, version, plan.to, await build(incident, this.clock.now()));
  }

  private async commit(actor: AuthorActor, incident: IncidentEntity, version: number, to: IncidentStage, outcome: StepOutcome): Promise<IncidentResponse> {
    if (incident.version !== version) throw versionConflict('incident', incident.id, incident.version);
    const now = this.clock.now();
    await this.transactions.run(async (tx) => {
      if (!(await this.repository.updateIfVersion(tx, incident.id, version, { ...outcome.changes, stage: to, updatedAt: now }))) {
        throw versionConflict('incident', incident.id, incident.version);
      }
      await this.event(tx, actor, incident.id, outcome.kind, incident.stage, to === incident.stage ? null : to, outcome.details ?? {}, outcome.note ?? null, now);
      if (outcome.apply) await outcome.apply(tx);
      this.changedAfterCommit(tx, { ...incident, stage: to }, incident.stage);
    });
    if (to !== incident.stage) this.logger.log(`${formatIncidentNumber(incident.id)}: ${incident.stage} → ${to} (${outcome.kind}) by ${actor.username}`);
    return this.describe(incident.id);
  }

  private closing(incident: IncidentEntity, now: Date, resolution: IncidentEntity['resolution'], note: string | null): Partial<IncidentEntity> {
    return {
      resolution,
      resolutionNote: note,
      closedAt: now,
      openTerminalId: null,
      ...(resolution === 'fixed_on_first_response' ? { resolvedAt: now, restoredAt: incident.restoredAt ?? now } : {}),
    };
  }

  private async event(
    tx: Tx,
    actor: AuthorActor,
    incidentId: number,
    kind: IncidentEventKind,
    stageFrom: IncidentStage | null,
    stageTo: IncidentStage | null,
    details: Record<string, unknown>,
    note: string | null,
    at: Date,
  ): Promise<IncidentEventEntity> {
    return this.repository.insertEvent(tx, { incidentId, at, actorId: actor.id || null, actorName: actor.username, kind, stageFrom, stageTo, details, note });
  }

  private changedAfterCommit(tx: Tx, incident: IncidentEntity, from: IncidentStage | null): void {
    const event: IncidentChangedEvent = { incidentId: incident.id, terminalId: incident.terminalId, regionId: incident.regionId, stage: incident.stage, from };
    this.transactions.afterCommit(tx, () => this.events.emit(INCIDENT_CHANGED, event));
  }

  /** Moves a terminal through its lifecycle (or changes it) with an audit entry naming the ticket. */
  private async moveTerminal(tx: Tx, actor: AuthorActor, terminal: TerminalEntity, changes: Partial<TerminalFields>, incident: IncidentEntity, why: string): Promise<void> {
    if (changes.status && changes.status !== terminal.status) this.terminals.assertTransition(terminal.status, changes.status);
    const fresh = await this.terminals.getTerminal(terminal.id);
    await this.terminals.applyUpdate(tx, actor, fresh, fresh.version, changes, changes.status && changes.status !== fresh.status ? 'transition' : 'update', `${formatIncidentNumber(incident.id)}: ${why}`);
  }

  /** A spare or replacement: the right status, the ticket's region line, and a model that can stand in for the faulty one. */
  private async eligibleUnit(incident: IncidentEntity, terminalId: number, field: string, statuses: readonly TerminalStatus[]): Promise<TerminalEntity> {
    if (terminalId === incident.terminalId) throw DomainException.invalidField(field, 'sameUnit', `${field}: this is the faulty unit itself`);
    let unit: TerminalEntity;
    try {
      unit = await this.terminals.getTerminal(terminalId);
    } catch (error) {
      if (error instanceof DomainException && error.code === 'TERMINAL_NOT_FOUND') throw DomainException.invalidField(field, 'notFound', `${field}: no terminal ${terminalId}`);
      throw error;
    }
    if (!statuses.includes(unit.status)) throw DomainException.invalidField(field, 'unavailable', `${field}: the unit is ${unit.status}, not ${statuses.join(' or ')}`);
    const [unitRegion, ticketRegion] = await Promise.all([this.regions.getRegion(unit.regionId), this.regions.getRegion(incident.regionId)]);
    if (!unitRegion.path.startsWith(ticketRegion.path) && !ticketRegion.path.startsWith(unitRegion.path)) {
      throw DomainException.invalidField(field, 'otherRegion', `${field}: the unit belongs to another region's pool`);
    }
    if (unit.modelId !== incident.modelId) {
      const model = await this.catalog.getModel(incident.modelId);
      if (unit.category !== model.category) throw DomainException.invalidField(field, 'unsuitableModel', `${field}: a ${unit.category} unit cannot stand in for a ${model.category} one`);
    }
    return unit;
  }

  private async assertAssignable(userId: number): Promise<UserEntity> {
    const user = await this.users.findById(userId);
    if (!user || !user.active || !can(user.role, 'incidents:work')) {
      throw DomainException.invalidField('assigneeId', 'notAssignable', 'assigneeId: not an active user who works on fault tickets');
    }
    return user;
  }

  /** An instant given by the user that has already happened (defaults to now). */
  private pastInstant(value: string | undefined, field: string, now: Date): Date {
    if (value === undefined) return now;
    const at = new Date(value);
    if (at.getTime() > now.getTime() + 60_000) throw DomainException.invalidField(field, 'inFuture', `${field} cannot be in the future`);
    return at;
  }

  private async advise(incident: IncidentEntity, quote: { repairQuote?: number | null; replacementPrice?: number | null } = {}): Promise<RepairAdvice> {
    const terminal = incident.terminal ?? (await this.terminals.getTerminal(incident.terminalId));
    const policy = terminal.insurancePolicyId ? await this.policies.getPolicy(terminal.insurancePolicyId) : null;
    const model = incident.model ?? (await this.catalog.getModel(incident.modelId));
    const repairQuote = quote.repairQuote === undefined ? incident.repairQuote : quote.repairQuote;
    const replacementPrice = (quote.replacementPrice === undefined ? incident.replacementPrice : quote.replacementPrice) ?? model.listPrice ?? terminal.purchasePrice;
    return adviseRepair({
      today: this.clock.today(),
      warrantyStart: terminal.warrantyStart,
      warrantyEnd: terminal.warrantyEnd,
      policy: policy ? { policyNumber: policy.policyNumber, startDate: policy.startDate, endDate: policy.endDate, deductible: policy.deductible } : null,
      responsibility: incident.responsibility,
      cause: incident.cause,
      damage: incident.symptom === 'physical_damage' || incident.circumstances !== null,
      repairQuote,
      replacementPrice,
      purchaseDate: terminal.purchaseDate,
    });
  }

  /** The report instant before which each running clock of each priority is late. */
  private overdueCutoffs(): OverdueCutoffs {
    const now = this.clock.now().getTime();
    return Object.fromEntries(
      INCIDENT_PRIORITIES.map((priority) => [
        priority,
        Object.fromEntries(SLA_MEASURES.map((measure) => [measure, new Date(now - DEFAULT_SLA_TARGETS[priority][measure] * 3_600_000)])) as Record<SlaMeasure, Date>,
      ]),
    ) as OverdueCutoffs;
  }

  private async toFilter(query: Omit<ListIncidentsQueryDto, 'page' | 'pageSize' | 'stage'> & { stage?: IncidentStage[] }): Promise<IncidentFilter> {
    const { regionId, overdue, ...rest } = query;
    return {
      ...rest,
      regionPath: regionId ? (await this.regions.getRegion(regionId)).path : undefined,
      scopePath: requestScope()?.path,
      overdue: overdue ? this.overdueCutoffs() : undefined,
    };
  }

  private toSummary(incident: IncidentEntity, now: Date): IncidentSummaryResponse {
    return {
      id: incident.id,
      number: formatIncidentNumber(incident.id),
      stage: incident.stage,
      priority: incident.priority,
      source: incident.source,
      alarm: incident.alarm,
      symptom: incident.symptom,
      terminal: { id: incident.terminalId, name: incident.terminal?.assetNumber ?? '', assetNumber: incident.terminal?.assetNumber ?? '' },
      model: { id: incident.modelId, name: incident.model?.name ?? '' },
      region: { id: incident.regionId, name: incident.region?.name ?? '', code: incident.region?.code ?? '' },
      merchant: incident.merchantId ? { id: incident.merchantId, name: incident.merchant?.name ?? '' } : null,
      assignee: incident.assigneeId ? { id: incident.assigneeId, name: incident.assignee?.displayName ?? incident.assignee?.username ?? '' } : null,
      reportedAt: incident.reportedAt.toISOString(),
      updatedAt: incident.updatedAt.toISOString(),
      overdue: this.timers(incident, now).some((timer) => timer.breached && !timer.metAt && !timer.stopped),
      spareOut: spareOut(incident),
    };
  }

  private timers(incident: IncidentEntity, now: Date) {
    return slaTimers(
      {
        priority: incident.priority as IncidentPriority,
        reportedAt: incident.reportedAt,
        respondedAt: incident.respondedAt,
        restoredAt: incident.restoredAt,
        repairedAt: incident.resolvedAt,
        closedAt: incident.closedAt,
      },
      now,
    );
  }

  private async toResponse(incident: IncidentEntity): Promise<IncidentResponse> {
    const now = this.clock.now();
    const [advice, costs] = await Promise.all([this.advise(incident), this.repository.listCosts(incident.id)]);
    const today = this.clock.today();
    return {
      ...this.toSummary(incident, now),
      version: incident.version,
      reporter: { id: incident.reporterId, username: incident.reporterName },
      errorCodes: incident.errorCodes ?? [],
      description: incident.description,
      place: incident.place,
      circumstances: incident.circumstances,
      circumstancesNote: incident.circumstancesNote,
      occurredAt: incident.occurredAt.toISOString(),
      firstResponse: incident.firstResponse ? { checks: incident.firstResponse.checks, fixed: incident.firstResponse.fixed, at: incident.firstResponse.at, by: incident.firstResponse.by } : null,
      diagnosis:
        incident.faultType && incident.cause && incident.diagnosisMode && incident.responsibility && incident.diagnosedAt
          ? {
              faultType: incident.faultType,
              cause: incident.cause,
              mode: incident.diagnosisMode,
              responsibility: incident.responsibility,
              responsiblePerson: incident.responsiblePerson,
              note: incident.diagnosisNote,
              at: incident.diagnosedAt.toISOString(),
              by: incident.diagnosedBy ?? '',
            }
          : null,
      spare:
        incident.spareTerminalId && incident.spareLentAt && incident.spareDueBack
          ? {
              terminal: {
                id: incident.spareTerminalId,
                name: incident.spareTerminal?.assetNumber ?? '',
                assetNumber: incident.spareTerminal?.assetNumber ?? '',
                status: incident.spareTerminal?.status ?? 'deployed',
              },
              lentAt: incident.spareLentAt.toISOString(),
              dueBack: incident.spareDueBack,
              outcome: incident.spareOutcome,
              settledAt: iso(incident.spareSettledAt),
              overdue: spareOut(incident) && incident.spareDueBack < today,
            }
          : null,
      backup: incident.backup,
      restore: incident.dataRestore,
      repair: {
        decision: incident.decision,
        repairQuote: incident.repairQuote,
        replacementPrice: incident.replacementPrice,
        repairVendor: incident.repairVendor,
        carrier: incident.carrier,
        trackingNumber: incident.trackingNumber,
        shippedAt: iso(incident.shippedAt),
        returnedAt: iso(incident.returnedAt),
        newSerialNumber: incident.newSerialNumber,
        replacement: incident.replacementTerminalId
          ? { id: incident.replacementTerminalId, name: incident.replacementTerminal?.assetNumber ?? '', assetNumber: incident.replacementTerminal?.assetNumber ?? '' }
          : null,
      },
      test: incident.testResult ? { ...incident.testResult, attempts: incident.testAttempts } : null,
      restoredAt: iso(incident.restoredAt),
      resolvedAt: iso(incident.resolvedAt),
      resolution: incident.resolution,
      resolutionNote: incident.resolutionNote,
      closedAt: iso(incident.closedAt),
      reopenCount: incident.reopenCount,
      rating: incident.rating,
      ratingComment: incident.ratingComment,
      sla: this.timers(incident, now),
      advice,
      costs: costs.map(toCostResponse),
      actions: availableIncidentActions(workflowState(incident)),
      createdAt: incident.createdAt.toISOString(),
    };
  }
}

function alreadyOpen(incidentId: number): DomainException {
  return new DomainException('INCIDENT_ALREADY_OPEN', `The terminal already has an open ticket, ${formatIncidentNumber(incidentId)}`, {
    incidentId,
    fields: [{ field: 'terminalId', code: 'alreadyOpen', message: `already has the open ticket ${formatIncidentNumber(incidentId)}` }],
  });
}

function assertClaim(payer: IncidentCostEntity['payer'], claimStatus: IncidentCostEntity['claimStatus'], claimReference: string | null): void {
  if ((claimStatus !== null || claimReference !== null) && !CLAIM_PAYERS.includes(payer)) {
    throw DomainException.invalidField(claimStatus !== null ? 'claimStatus' : 'claimReference', 'noClaimForPayer', `claims are made against a supplier or an insurer, not the ${payer}`);
  }
}

function toEventResponse(event: IncidentEventEntity): IncidentEventResponse {
  return {
    id: event.id,
    at: event.at.toISOString(),
    actor: { id: event.actorId, username: event.actorName },
    kind: event.kind,
    stageFrom: event.stageFrom,
    stageTo: event.stageTo,
    details: event.details ?? {},
    note: event.note,
  };
}

function toCostResponse(cost: IncidentCostEntity): IncidentCostResponse {
  return {
    id: cost.id,
    kind: cost.kind,
    description: cost.description,
    amount: cost.amount,
    currency: cost.currency,
    payer: cost.payer,
    claimReference: cost.claimReference,
    claimStatus: cost.claimStatus,
    claimedAmount: cost.claimedAmount,
    approvedAmount: cost.approvedAmount,
    paidAmount: cost.paidAmount,
    ...timestamps(cost),
  };
}
