/**
 * Demo mode's past of fault tickets: once the demo fleet and users exist,
 * libs/shared's generateDemoIncidents writes a believable history for the
 * terminals as stored (how tickets and terminals are kept consistent is told
 * there), inserted in bulk in one transaction. The only terminals it changes
 * are the spares still lent on open tickets, moved as the workflow's spare
 * step moves them: through TerminalsService, with an audit entry naming the
 * ticket.
 */
import { Injectable, Logger } from '@nestjs/common';
import {
  formatIncidentNumber,
  generateDemoIncidents,
  type DemoFleet,
  type DemoIncident,
  type DemoIncidentEvent,
  type DemoIncidentTerminal,
  type DemoTerminal,
} from '@fleet/shared';
import { Clock } from '../common/clock';
import { TransactionRunner } from '../database/transaction';
import type { IncidentEventEntity } from '../incidents/incident-event.entity';
import type { IncidentEntity } from '../incidents/incident.entity';
import { RegionsService } from '../regions/regions.service';
import { ReliabilityRollupService } from '../analytics/reliability-rollup.service';
import type { TerminalEntity } from '../terminals/terminal.entity';
import { TerminalsService } from '../terminals/terminals.service';
import { UsersService } from '../users/users.service';
import { DemoIncidentsRepository } from './demo-incidents.repository';
import { DEMO_SEED } from './demo.constants';

export interface DemoIncidentsSummary {
  tickets: number;
  open: number;
  events: number;
  costs: number;
  sparesLent: number;
}

@Injectable()
export class DemoIncidentsService {
  private readonly logger = new Logger(DemoIncidentsService.name);

  constructor(
    private readonly terminals: TerminalsService,
    private readonly users: UsersService,
    private readonly regions: RegionsService,
    private readonly repository: DemoIncidentsRepository,
    private readonly transactions: TransactionRunner,
    private readonly rollups: ReliabilityRollupService,
    private readonly clock: Clock,
  ) {}

  /**
   * Writes the history of the fleet just seeded: `stored` are its terminals
   * as TerminalsService.insertMany returned them (ids, asset numbers), matched
   * to the generated fleet by serial number for the names and planted rates.
   */
  async seed(fleet: DemoFleet, stored: readonly TerminalEntity[]): Promise<DemoIncidentsSummary> {
    const started = this.clock.now();
    const codeOf = new Map((await this.regions.regionTree()).map((region) => [region.id, region.code]));
    const users = (await this.users.list())
      .filter((user) => user.active)
      .map((user) => ({ id: user.id, username: user.username, role: user.role, regionCode: user.regionId ? (codeOf.get(user.regionId) ?? null) : null }));
    const planned = new Map(fleet.terminals.map((terminal) => [terminal.serialNumber, terminal]));
    const policies = new Map(fleet.policies.map((policy) => [policy.policyNumber, policy]));
    const merchantIds = new Map<string, number>();
    const terminals = stored.map((entity) => {
      const terminal = planned.get(entity.serialNumber);
      if (!terminal) throw new Error(`terminal ${entity.serialNumber} is not of the demo fleet`);
      if (terminal.merchantName && entity.merchantId) merchantIds.set(terminal.merchantName, entity.merchantId);
      return toDemoTerminal(entity, terminal, terminal.insurancePolicyNumber ? (policies.get(terminal.insurancePolicyNumber) ?? null) : null);
    });
    const byId = new Map(stored.map((entity) => [entity.id, entity]));

    const { incidents, moves, services } = generateDemoIncidents({
      seed: DEMO_SEED + 2,
      now: started.toISOString(),
      terminals,
      models: fleet.models,
      // Merchants with a unit: where the demo's units stood before they left for repair or retirement.
      merchants: fleet.merchants.flatMap((merchant) => {
        const id = merchantIds.get(merchant.name);
        return id === undefined ? [] : [{ id, regionCode: merchant.regionCode, contactName: merchant.contactName }];
      }),
      users,
      regions: fleet.regions,
    });

    await this.transactions.run(async (tx) => {
      const ids = await this.repository.insertIncidents(
        tx,
        incidents.map((incident) => toIncidentEntity(incident, byId.get(incident.terminalId)!)),
      );
      const costIds = await this.repository.insertCosts(
        tx,
        incidents.map((incident, n) => incident.costs.map((cost) => ({ ...cost, incidentId: ids[n]!, createdAt: new Date(cost.createdAt), updatedAt: new Date(cost.updatedAt) }))),
      );
      await this.repository.insertEvents(
        tx,
        incidents.flatMap((incident, n) => incident.events.map((event) => toEventEntity(event, ids[n]!, costIds[n]!))),
      );
      await this.rollups.replaceHistory(
        tx,
        stored.map((terminal) => terminal.id),
        services.map((span) => {
          const terminal = byId.get(span.terminalId)!;
          return { terminalId: span.terminalId, from: Date.parse(span.from), to: span.to === null ? null : Date.parse(span.to), regionId: terminal.regionId, firmware: terminal.firmwareVersion };
        }),
      );
      for (const move of moves) {
        const lent = incidents[move.incident]!.events.find((event) => event.kind === 'spare_lent')!;
        const spare = await this.terminals.getTerminal(move.terminalId);
        this.terminals.assertTransition(spare.status, move.status);
        await this.terminals.applyUpdate(
          tx,
          { id: lent.actor.id ?? 0, username: lent.actor.username },
          spare,
          spare.version,
          { status: move.status, merchantId: move.merchantId },
          'transition',
          `${formatIncidentNumber(ids[move.incident]!)}: ${move.reason}`,
        );
      }
    });

    const summary: DemoIncidentsSummary = {
      tickets: incidents.length,
      open: incidents.filter((incident) => incident.stage !== 'closed').length,
      events: incidents.reduce((sum, incident) => sum + incident.events.length, 0),
      costs: incidents.reduce((sum, incident) => sum + incident.costs.length, 0),
      sparesLent: moves.length,
    };
    this.logger.log(
      `Demo fault tickets loaded: ${summary.tickets} tickets (${summary.open} open), ${summary.events} events, ${summary.costs} cost lines, ${summary.sparesLent} spares out in ${this.clock.now().getTime() - started.getTime()} ms`,
    );
    return summary;
  }
}

function toDemoTerminal(entity: TerminalEntity, terminal: DemoTerminal, policy: DemoFleet['policies'][number] | null): DemoIncidentTerminal {
  return {
    id: entity.id,
    assetNumber: entity.assetNumber,
    modelName: terminal.modelName,
    supplierName: terminal.supplierName,
    category: entity.category,
    regionCode: terminal.regionCode,
    merchantId: entity.merchantId,
    status: entity.status,
    purchaseDate: entity.purchaseDate,
    purchasePrice: entity.purchasePrice,
    currency: entity.currency,
    warrantyStart: entity.warrantyStart,
    warrantyEnd: entity.warrantyEnd,
    policy: policy ? { policyNumber: policy.policyNumber, insurer: policy.insurer, startDate: policy.startDate, endDate: policy.endDate, deductible: policy.deductible ?? null } : null,
    firmwareVersion: entity.firmwareVersion,
  };
}

function date(value: string): Date;
function date(value: string | null): Date | null;
function date(value: string | null): Date | null {
  return value === null ? null : new Date(value);
}

/** The row the API's steps would have left; region, model and supplier copied from the unit, as at report time. */
export function toIncidentEntity(incident: DemoIncident, terminal: Pick<TerminalEntity, 'regionId' | 'modelId' | 'supplierId'>): Omit<IncidentEntity, 'id'> {
  const { events: _events, costs: _costs, reporter, ...columns } = incident;
  return {
    ...columns,
    openTerminalId: incident.stage === 'closed' ? null : incident.terminalId,
    regionId: terminal.regionId,
    modelId: terminal.modelId,
    supplierId: terminal.supplierId,
    reporterId: reporter.id,
    reporterName: reporter.username,
    primaryErrorCode: incident.errorCodes[0] ?? null,
    occurredAt: date(incident.occurredAt),
    reportedAt: date(incident.reportedAt),
    respondedAt: date(incident.respondedAt),
    diagnosedAt: date(incident.diagnosedAt),
    shippedAt: date(incident.shippedAt),
    returnedAt: date(incident.returnedAt),
    newSerialNumber: null,
    spareLentAt: date(incident.spareLentAt),
    spareSettledAt: date(incident.spareSettledAt),
    restoredAt: date(incident.restoredAt),
    resolvedAt: date(incident.resolvedAt),
    closedAt: date(incident.closedAt),
    createdAt: date(incident.reportedAt),
    updatedAt: date(incident.updatedAt),
  };
}

function toEventEntity(event: DemoIncidentEvent, incidentId: number, costIds: number[]): Omit<IncidentEventEntity, 'id'> {
  return {
    incidentId,
    at: date(event.at),
    actorId: event.actor.id,
    actorName: event.actor.username,
    kind: event.kind,
    stageFrom: event.stageFrom,
    stageTo: event.stageTo,
    details: event.costIndex === null ? event.details : { ...event.details, costId: costIds[event.costIndex] },
    note: event.note,
  };
}
