/**
 * Keeps the reliability rollups up to date (issue 7), in two steps:
 *
 * 1. the in-service spans follow the audit log: every terminal audit entry
 *    after the last one taken in (the watermark, kept in job_state in the
 *    same transaction as the spans it produced) opens, closes or splits the
 *    terminal's span when its status, region or firmware changed;
 * 2. the exposure cells of the months whose inputs changed (the current
 *    month, the month of the previous run, the months of tickets changed
 *    since, all of them after a correction of a terminal's model, supplier,
 *    batch or purchase date) are recomputed from the spans and tickets by the
 *    shared ReliabilityAccumulator, and the survival cells with them; both
 *    are replaced in one transaction, so a reader never sees half a run.
 *
 * The terminals are read in chunks with a pause between them, so a run over
 * a large fleet never holds the event loop (which also serves heartbeats).
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { monthOf, monthsBetween, ReliabilityAccumulator, type AnalyticsStatus, type FieldChange } from '@fleet/shared';
import type { AuditEntryEntity } from '../audit/audit-entry.entity';
import { Clock } from '../common/clock';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { TransactionRunner, type Tx } from '../database/transaction';
import { ReliabilityRollupRepository, type InventoryCell, type OpenSpan, type TerminalDims } from './reliability-rollup.repository';
import { ticketFact, type TicketFact } from './ticket-facts';

const STATE_AUDIT_ID = 'reliability.audit_id';
const STATE_AS_OF = 'reliability.as_of';
/** A rebuild request (its instant) and the last request a run carried out: a request made during a run is not lost. */
const STATE_REBUILD = 'reliability.rebuild';
const STATE_REBUILT = 'reliability.rebuilt';
const AUDIT_BATCH = 2_000;
const UNIT_CHUNK = 5_000;
const TICKET_CHUNK = 2_000;
/** How far before the last run the changed tickets are looked for again. */
const TICKET_OVERLAP_MS = 60_000;
/** Changing one of these rewrites the unit's whole history, so every month is recomputed. */
const HISTORY_FIELDS = ['modelId', 'supplierId', 'batch', 'purchaseDate'];

export interface RollupRun {
  auditEntries: number;
  months: number;
  units: number;
  exposureCells: number;
  survivalCells: number;
  ticketFacts: number;
  asOf: string;
}

/** The fleet as it stands, per model, region and supplier: prices, spares, insurance (reliability_inventory). */
class InventoryAccumulator {
  private readonly cellsByKey = new Map<string, InventoryCell & { policies: Map<number, number> }>();
  private readonly policyTerminals = new Map<number, number>();

  add(terminal: TerminalDims): void {
    const key = `${terminal.modelId}|${terminal.regionId}|${terminal.supplierId}`;
    let cell = this.cellsByKey.get(key);
    if (!cell) {
      cell = { modelId: terminal.modelId, regionId: terminal.regionId, supplierId: terminal.supplierId, terminals: 0, priced: 0, priceSum: 0, spares: 0, insured: 0, premium: 0, policies: new Map() };
      this.cellsByKey.set(key, cell);
    }
    cell.terminals += 1;
    if (terminal.purchasePrice !== null) {
      cell.priced += 1;
      cell.priceSum += terminal.purchasePrice;
    }
    if (terminal.status === 'spare') cell.spares += 1;
    if (terminal.insurancePolicyId !== null) {
      cell.insured += 1;
      cell.policies.set(terminal.insurancePolicyId, (cell.policies.get(terminal.insurancePolicyId) ?? 0) + 1);
      this.policyTerminals.set(terminal.insurancePolicyId, (this.policyTerminals.get(terminal.insurancePolicyId) ?? 0) + 1);
    }
  }

  /** The cells, each active policy's yearly premium shared equally among the terminals it covers. */
  cells(premiums: ReadonlyMap<number, number>): InventoryCell[] {
    return [...this.cellsByKey.values()].map(({ policies, ...cell }) => {
      let premium = 0;
      for (const [policyId, count] of policies) premium += ((premiums.get(policyId) ?? 0) * count) / this.policyTerminals.get(policyId)!;
      return { ...cell, premium };
    });
  }
}

const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

@Injectable()
export class ReliabilityRollupService {
  private readonly logger = new Logger(ReliabilityRollupService.name);

  constructor(
    private readonly repository: ReliabilityRollupRepository,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async asOf(): Promise<Date | null> {
    const value = await this.repository.getState(STATE_AS_OF);
    return value ? new Date(value) : null;
  }

  async status(): Promise<AnalyticsStatus> {
    const [asOf, months, watermark, latest] = await Promise.all([
      this.asOf(),
      this.repository.monthRange(),
      this.repository.getState(STATE_AUDIT_ID),
      this.repository.latestAuditId(),
    ]);
    return { asOf: asOf?.toISOString() ?? null, firstMonth: months.first, lastMonth: months.last, pending: latest > Number(watermark ?? 0) };
  }

  /** Takes in the audit log and the tickets up to now and recomputes the months that changed. Run under the job lease. */
  async refresh(shouldStop: () => boolean = () => false): Promise<RollupRun | null> {
    const started = Date.now();
    const now = this.clock.now();
    const { auditEntries, months: auditMonths, rebuild } = await this.followAuditLog(now, shouldStop);
    if (shouldStop()) return null;
    const previous = await this.asOf();
    const months = new Set(auditMonths);
    const requested = await this.repository.getState(STATE_REBUILD);
    let all = rebuild || previous === null || (requested !== null && requested !== (await this.repository.getState(STATE_REBUILT)));
    // The window reaches back before the last run: a change written just before it but committed after it read
    // (PostgreSQL) is taken in now. Taking a ticket in twice does no harm: its fact and months are recomputed.
    const overlapMs = Math.max(TICKET_OVERLAP_MS, this.config.analytics.auditLagSeconds * 1000);
    const changedTickets = !all && previous ? await this.repository.ticketsChangedSince(new Date(previous.getTime() - overlapMs), now) : [];
    if (!all && previous) {
      for (const month of monthsBetween(monthOf(previous.getTime()), monthOf(now.getTime()))) months.add(month);
      for (const ticket of changedTickets) months.add(monthOf(ticket.reportedMs));
    }
    const first = await this.repository.firstSpanStart();
    if (first === null) all = true;
    const computed = all ? (first === null ? [] : monthsBetween(monthOf(first), monthOf(now.getTime()))) : [...months].filter((month) => month <= monthOf(now.getTime())).sort();
    const accumulator = new ReliabilityAccumulator(computed, now.getTime());
    const inventory = new InventoryAccumulator();
    let units = 0;
    for (let afterId = 0; ; ) {
      if (shouldStop()) return null;
      const chunk = await this.repository.unitChunk(afterId, UNIT_CHUNK);
      if (chunk.terminals.length === 0) break;
      for (const terminal of chunk.terminals) {
        inventory.add(terminal);
        const spans = chunk.spans.get(terminal.id);
        if (!spans) continue;
        units++;
        accumulator.add({
          modelId: terminal.modelId,
          supplierId: terminal.supplierId,
          batch: terminal.batch,
          purchasedAt: terminal.purchaseDate ? Date.parse(`${terminal.purchaseDate}T00:00:00Z`) : null,
          spans,
          failures: chunk.failures.get(terminal.id) ?? [],
        });
      }
      afterId = chunk.terminals[chunk.terminals.length - 1]!.id;
      await pause();
    }
    const facts = all ? await this.allFacts(shouldStop) : await this.factsOf(changedTickets.map((ticket) => ticket.id));
    if (shouldStop() || facts === null) return null;
    const exposure = accumulator.exposureCells();
    const survival = accumulator.survivalCells();
    const stock = inventory.cells(await this.repository.activePremiums(this.clock.today()));
    await this.transactions.run(async (tx) => {
      await this.repository.replaceCells(tx, all ? null : computed, exposure, survival);
      await this.repository.replaceFacts(tx, all ? null : changedTickets.map((ticket) => ticket.id), facts);
      await this.repository.replaceInventory(tx, stock);
      await this.repository.setState(tx, STATE_AS_OF, now.toISOString(), now);
      if (requested !== null) await this.repository.setState(tx, STATE_REBUILT, requested, now);
    });
    // Autovacuum may be off, or a minute away: without statistics the planner takes the new cells for an empty table.
    if (all) await this.repository.analyze();
    const run: RollupRun = { auditEntries, months: computed.length, units, exposureCells: exposure.length, survivalCells: survival.length, ticketFacts: facts.length, asOf: now.toISOString() };
    this.logger.log(
      `Reliability rollup: ${auditEntries} audit entries, ${units} units in service, ${computed.length} months (${all ? 'all' : computed.join(', ')}), ${exposure.length} exposure and ${survival.length} survival cells, ${facts.length} ticket facts in ${Date.now() - started} ms`,
    );
    return run;
  }

  /** The facts of every ticket, read in chunks. */
  private async allFacts(shouldStop: () => boolean): Promise<TicketFact[] | null> {
    const facts: TicketFact[] = [];
    for (let afterId = 0; ; ) {
      if (shouldStop()) return null;
      const { incidents, costs } = await this.repository.ticketsForFacts({ afterId, limit: TICKET_CHUNK });
      if (incidents.length === 0) return facts;
      for (const incident of incidents) facts.push(ticketFact(incident, costs.get(incident.id) ?? []));
      afterId = incidents[incidents.length - 1]!.id;
      await pause();
    }
  }

  private async factsOf(ids: readonly number[]): Promise<TicketFact[]> {
    const facts: TicketFact[] = [];
    for (let i = 0; i < ids.length; i += TICKET_CHUNK) {
      const { incidents, costs } = await this.repository.ticketsForFacts({ ids: ids.slice(i, i + TICKET_CHUNK) });
      for (const incident of incidents) facts.push(ticketFact(incident, costs.get(incident.id) ?? []));
    }
    return facts;
  }

  /**
   * Replaces the in-service history of some terminals with one known whole
   * (the demo's generated past), and has the next run recompute every month.
   */
  async replaceHistory(tx: Tx, terminalIds: readonly number[], spans: readonly { terminalId: number; from: number; to: number | null; regionId: number; firmware: string | null }[]): Promise<void> {
    await this.repository.replaceSpans(tx, terminalIds, spans);
    const now = this.clock.now();
    await this.repository.setState(tx, STATE_REBUILD, `${now.toISOString()}#${randomUUID().slice(0, 8)}`, now);
  }

  private async followAuditLog(now: Date, shouldStop: () => boolean): Promise<{ auditEntries: number; months: Set<string>; rebuild: boolean }> {
    const before = new Date(now.getTime() - this.config.analytics.auditLagSeconds * 1000);
    const months = new Set<string>();
    let rebuild = false;
    let count = 0;
    let afterId = Number((await this.repository.getState(STATE_AUDIT_ID)) ?? 0);
    const ceiling = await this.repository.auditCeiling(before);
    while (!shouldStop() && afterId < ceiling) {
      const entries = await this.repository.auditEntries(afterId, ceiling, AUDIT_BATCH);
      if (entries.length === 0) {
        // The rest up to the ceiling are other records' entries: remember that they were looked at.
        await this.transactions.run((tx) => this.repository.setState(tx, STATE_AUDIT_ID, String(ceiling), now));
        break;
      }
      await this.transactions.run(async (tx) => {
        rebuild = (await this.applyEntries(tx, entries, months)) || rebuild;
        await this.repository.setState(tx, STATE_AUDIT_ID, String(entries[entries.length - 1]!.id), now);
      });
      count += entries.length;
      afterId = entries[entries.length - 1]!.id;
      await pause();
    }
    return { auditEntries: count, months, rebuild };
  }

  /** Applies audit entries (oldest first) to the spans; true when one corrected a unit's history. */
  private async applyEntries(tx: Tx, entries: readonly AuditEntryEntity[], months: Set<string>): Promise<boolean> {
    const ids = [...new Set(entries.map((entry) => entry.entityId))];
    const open = await this.repository.openSpans(tx, ids);
    const placement = await this.repository.currentPlacement(tx, ids);
    let rebuild = false;
    for (const entry of entries) {
      const today = placement.get(entry.entityId);
      // A deleted terminal took its spans with it.
      if (!today || entry.action === 'delete') continue;
      const changes = entry.changes;
      const at = entry.at.getTime();
      months.add(monthOf(at));
      const created = entry.action === 'create' || changes['modelId']?.from === null;
      if (!created && HISTORY_FIELDS.some((field) => field in changes)) rebuild = true;
      const current = open.get(entry.entityId);
      const status = changes['status']?.to as string | undefined;
      const regionId = numberTo(changes['regionId']) ?? current?.regionId ?? today.regionId;
      const firmware = 'firmwareVersion' in changes ? ((changes['firmwareVersion']!.to as string | null) ?? null) : (current?.firmware ?? today.firmware);
      if (status !== undefined && status !== 'deployed') {
        if (current) {
          await this.repository.closeSpan(tx, current.id, at);
          open.delete(entry.entityId);
        }
        continue;
      }
      if (status !== 'deployed' && !current) continue;
      if (current && current.regionId === regionId && current.firmware === firmware) continue;
      if (current) await this.repository.closeSpan(tx, current.id, at);
      const span: Omit<OpenSpan, 'id'> = { terminalId: entry.entityId, startedMs: at, regionId, firmware };
      await this.repository.openSpan(tx, span);
      open.set(entry.entityId, { ...span, id: (await this.repository.openSpans(tx, [entry.entityId])).get(entry.entityId)!.id });
    }
    return rebuild;
  }
}

function numberTo(change: FieldChange | undefined): number | undefined {
  return change && typeof change.to === 'number' ? change.to : undefined;
}
