/**
 * Storage of the reliability rollups (migration 1733100000000-reliability):
 * the in-service spans kept from the audit log, and the exposure and survival
 * cells the rollup job writes. Reads for the job go by terminal-id ranges so
 * a million terminals are read in chunks, never at once.
 */
import { Injectable } from '@nestjs/common';
import {
  COST_PAYERS,
  INCIDENT_NO_FAILURE_RESOLUTIONS,
  type ClaimStatus,
  type CostPayer,
  type ExposureCell,
  type IncidentResolution,
  type RepairDecision,
  type RollupSpan,
  type SurvivalCell,
} from '@fleet/shared';
import { DataSource } from 'typeorm';
import { AuditEntryEntity } from '../audit/audit-entry.entity';
import { bulkInsert } from '../database/bulk-insert';
import { readJobState, writeJobState } from '../database/job-state';
import type { Tx } from '../database/transaction';
import { TICKET_CLAIM_FIELDS, type CostForFact, type IncidentForFact, type TicketFact } from './ticket-facts';

export interface OpenSpan {
  id: number;
  terminalId: number;
  startedMs: number;
  regionId: number;
  firmware: string | null;
}

export interface TerminalDims {
  id: number;
  modelId: number;
  supplierId: number;
  batch: string | null;
  purchaseDate: string | null;
  regionId: number;
  firmware: string | null;
  status: string;
  purchasePrice: number | null;
  insurancePolicyId: number | null;
}

/** What the cost figures need of the fleet as it stands, per model, region and supplier. */
export interface InventoryCell {
  modelId: number;
  regionId: number;
  supplierId: number;
  terminals: number;
  priced: number;
  priceSum: number;
  spares: number;
  insured: number;
  /** Yearly premiums of the active policies, each shared equally among the terminals it covers. */
  premium: number;
}

export interface UnitChunk {
  terminals: TerminalDims[];
  spans: Map<number, RollupSpan[]>;
  failures: Map<number, number[]>;
}

/** A database timestamp as epoch ms: PostgreSQL gives a Date, SQLite a UTC text without the zone. */
export function timestampMs(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'string') return Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(' ', 'T')}Z`);
  if (typeof value === 'number') return value;
  throw new TypeError(`not a timestamp: ${String(value)}`);
}

const INSERT_CHUNK = 500;
const EXPOSURE_COLUMNS = [
  ['month', 'text'],
  ['dimension', 'text'],
  ['region_id', 'integer'],
  ['model_id', 'integer'],
  ['supplier_id', 'integer'],
  ['group_key', 'text'],
  ['exposure_years', 'double precision'],
  ['failures', 'integer'],
  ['early_exposure_years', 'double precision'],
  ['early_failures', 'integer'],
] as const;
/** Counts are integers, amounts (claimed, recovered, pending) money. */
const claimColumns = (kind: string) =>
  TICKET_CLAIM_FIELDS.map((field, index) => [`${kind}_${field}`, index < 3 ? 'integer' : 'double precision'] as const);
const FACT_COLUMNS = [
  ['reported_ms', 'bigint'],
  ['incident_id', 'integer'],
  ['region_id', 'integer'],
  ['model_id', 'integer'],
  ['supplier_id', 'integer'],
  ['assignee_id', 'integer'],
  ['assignee_name', 'text'],
  ['repair_vendor', 'text'],
  ['cause', 'text'],
  ['failure', 'integer'],
  ['decided', 'integer'],
  ['fixed', 'integer'],
  ['first_time_fix', 'integer'],
  ['reopened', 'integer'],
  ['restore_hours', 'double precision'],
  ['repair_hours', 'double precision'],
  ['rma_hours', 'double precision'],
  ...COST_PAYERS.map((payer) => [`cost_${payer}`, 'double precision'] as const),
  ...claimColumns('warranty'),
  ...claimColumns('insurance'),
] as const;
const INVENTORY_COLUMNS = [
  ['model_id', 'integer'],
  ['region_id', 'integer'],
  ['supplier_id', 'integer'],
  ['terminals', 'integer'],
  ['priced', 'integer'],
  ['price_sum', 'double precision'],
  ['spares', 'integer'],
  ['insured', 'integer'],
  ['premium', 'double precision'],
] as const;
const SURVIVAL_COLUMNS = [
  ['model_id', 'integer'],
  ['region_id', 'integer'],
  ['supplier_id', 'integer'],
  ['months', 'integer'],
  ['events', 'integer'],
  ['censored', 'integer'],
] as const;

@Injectable()
export class ReliabilityRollupRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The id of the last audit entry written before `before` (0 when none): how far a run reads. */
  async auditCeiling(before: Date): Promise<number> {
    const row = await this.dataSource.createQueryBuilder().select('a.id', 'id').from('audit_entries', 'a').where('a.at < :before', { before }).orderBy('a.at', 'DESC').addOrderBy('a.id', 'DESC').limit(1).getRawOne<{ id: unknown }>();
    return row ? Number(row.id) : 0;
  }

  async latestAuditId(): Promise<number> {
    const row = await this.dataSource.createQueryBuilder().select('MAX(a.id)', 'id').from('audit_entries', 'a').getRawOne<{ id: unknown }>();
    return row?.id === null || row?.id === undefined ? 0 : Number(row.id);
  }

  /** Terminal audit entries in (afterId, upToId], oldest first. */
  auditEntries(afterId: number, upToId: number, limit: number): Promise<AuditEntryEntity[]> {
    return this.dataSource
      .getRepository(AuditEntryEntity)
      .createQueryBuilder('a')
      .where('a.entity_type = :type AND a.id > :afterId AND a.id <= :upToId', { type: 'terminal', afterId, upToId })
      .orderBy('a.id', 'ASC')
      .limit(limit)
      .getMany();
  }

  async openSpans(tx: Tx, terminalIds: readonly number[]): Promise<Map<number, OpenSpan>> {
    const spans = new Map<number, OpenSpan>();
    if (terminalIds.length === 0) return spans;
    const rows: Record<string, unknown>[] = await tx
      .createQueryBuilder()
      .select(['s.id AS id', 's.terminal_id AS terminal_id', 's.started_ms AS started_ms', 's.region_id AS region_id', 's.firmware_version AS firmware_version'])
      .from('terminal_service_spans', 's')
      .where('s.terminal_id IN (:...ids) AND s.ended_ms IS NULL', { ids: terminalIds })
      .getRawMany();
    for (const row of rows) {
      spans.set(Number(row['terminal_id']), {
        id: Number(row['id']),
        terminalId: Number(row['terminal_id']),
        startedMs: Number(row['started_ms']),
        regionId: Number(row['region_id']),
        firmware: (row['firmware_version'] as string | null) ?? null,
      });
    }
    return spans;
  }

  /** The terminals' region and firmware today (what a span opened without them in its audit entry takes). */
  async currentPlacement(tx: Tx, terminalIds: readonly number[]): Promise<Map<number, { regionId: number; firmware: string | null }>> {
    const placement = new Map<number, { regionId: number; firmware: string | null }>();
    if (terminalIds.length === 0) return placement;
    const rows: Record<string, unknown>[] = await tx
      .createQueryBuilder()
      .select(['t.id AS id', 't.region_id AS region_id', 't.firmware_version AS firmware_version'])
      .from('terminals', 't')
      .where('t.id IN (:...ids)', { ids: terminalIds })
      .getRawMany();
    for (const row of rows) placement.set(Number(row['id']), { regionId: Number(row['region_id']), firmware: (row['firmware_version'] as string | null) ?? null });
    return placement;
  }

  async closeSpan(tx: Tx, id: number, endedMs: number): Promise<void> {
    await tx.createQueryBuilder().update('terminal_service_spans').set({ ended_ms: endedMs }).where('id = :id', { id }).execute();
  }

  async openSpan(tx: Tx, span: Omit<OpenSpan, 'id'>): Promise<void> {
    await tx
      .createQueryBuilder()
      .insert()
      .into('terminal_service_spans', ['terminal_id', 'started_ms', 'ended_ms', 'region_id', 'firmware_version'])
      .values({ terminal_id: span.terminalId, started_ms: span.startedMs, ended_ms: null, region_id: span.regionId, firmware_version: span.firmware })
      .execute();
  }

  /** Replaces the spans of `terminalIds` with histories written whole, e.g. the demo's. */
  async replaceSpans(tx: Tx, terminalIds: readonly number[], spans: readonly { terminalId: number; from: number; to: number | null; regionId: number; firmware: string | null }[]): Promise<void> {
    for (let i = 0; i < terminalIds.length; i += INSERT_CHUNK) {
      await tx.createQueryBuilder().delete().from('terminal_service_spans').where('terminal_id IN (:...ids)', { ids: terminalIds.slice(i, i + INSERT_CHUNK) }).execute();
    }
    await bulkInsert(
      tx,
      'terminal_service_spans',
      [
        ['terminal_id', 'integer'],
        ['started_ms', 'bigint'],
        ['ended_ms', 'bigint'],
        ['region_id', 'integer'],
        ['firmware_version', 'text'],
      ],
      spans.map((span) => [span.terminalId, span.from, span.to, span.regionId, span.firmware]),
    );
  }

  async monthRange(): Promise<{ first: string | null; last: string | null }> {
    // Two sub-queries: each is answered from the key, where MIN and MAX in one query scan every cell on SQLite.
    const [row] = (await this.dataSource.query(
      "SELECT (SELECT MIN(month) FROM reliability_exposure WHERE dimension = 'age') AS first, (SELECT MAX(month) FROM reliability_exposure WHERE dimension = 'age') AS last",
    )) as { first: string | null; last: string | null }[];
    return { first: row?.first ?? null, last: row?.last ?? null };
  }

  async firstSpanStart(): Promise<number | null> {
    const row = await this.dataSource.createQueryBuilder().select('MIN(s.started_ms)', 'first').from('terminal_service_spans', 's').getRawOne<{ first: unknown }>();
    return row?.first === null || row?.first === undefined ? null : Number(row.first);
  }

  /** Tickets changed (or whose cost lines changed) in [since, until): their ids and report instants. */
  async ticketsChangedSince(since: Date, until: Date): Promise<{ id: number; reportedMs: number }[]> {
    const range = { since, until };
    const direct: Record<string, unknown>[] = await this.dataSource
      .createQueryBuilder()
      .select(['i.id AS id', 'i.reported_at AS reported_at'])
      .from('incidents', 'i')
      .where('i.updated_at >= :since AND i.updated_at < :until', range)
      .getRawMany();
    const viaCosts: Record<string, unknown>[] = await this.dataSource
      .createQueryBuilder()
      .select(['i.id AS id', 'i.reported_at AS reported_at'])
      .from('incident_costs', 'c')
      .innerJoin('incidents', 'i', 'i.id = c.incident_id')
      .where('c.updated_at >= :since AND c.updated_at < :until', range)
      .getRawMany();
    const byId = new Map([...direct, ...viaCosts].map((row) => [Number(row['id']), timestampMs(row['reported_at'])]));
    return [...byId].map(([id, reportedMs]) => ({ id, reportedMs }));
  }

  /** Tickets with what their facts are made of: the given ids, or up to `limit` after `afterId`. */
  async ticketsForFacts(which: { ids: readonly number[] } | { afterId: number; limit: number }): Promise<{ incidents: IncidentForFact[]; costs: Map<number, CostForFact[]> }> {
    const qb = this.dataSource
      .createQueryBuilder()
      .from('incidents', 'i')
      .leftJoin('users', 'u', 'u.id = i.assignee_id')
      .select([
        'i.id AS id',
        'i.reported_at AS reported_at',
        'i.region_id AS region_id',
        'i.model_id AS model_id',
        'i.supplier_id AS supplier_id',
        'i.assignee_id AS assignee_id',
        'u.display_name AS assignee_name',
        'i.repair_vendor AS repair_vendor',
        'i.cause AS cause',
        'i.decision AS decision',
        'i.resolution AS resolution',
        'i.restored_at AS restored_at',
        'i.resolved_at AS resolved_at',
        'i.shipped_at AS shipped_at',
        'i.returned_at AS returned_at',
        'i.closed_at AS closed_at',
        'i.reopen_count AS reopen_count',
        'i.test_attempts AS test_attempts',
      ]);
    if ('ids' in which) qb.where('i.id IN (:...ids)', { ids: which.ids.length > 0 ? which.ids : [0] });
    else qb.where('i.id > :afterId', { afterId: which.afterId }).orderBy('i.id', 'ASC').limit(which.limit);
    const rows: Record<string, unknown>[] = await qb.getRawMany();
    const ms = (value: unknown) => (value === null || value === undefined ? null : timestampMs(value));
    const incidents: IncidentForFact[] = rows.map((row) => ({
      id: Number(row['id']),
      reportedAt: timestampMs(row['reported_at']),
      regionId: Number(row['region_id']),
      modelId: Number(row['model_id']),
      supplierId: Number(row['supplier_id']),
      assigneeId: row['assignee_id'] === null ? null : Number(row['assignee_id']),
      assigneeName: (row['assignee_name'] as string | null) ?? null,
      repairVendor: (row['repair_vendor'] as string | null) ?? null,
      cause: (row['cause'] as string | null) ?? null,
      decision: (row['decision'] as RepairDecision | null) ?? null,
      resolution: (row['resolution'] as IncidentResolution | null) ?? null,
      restoredAt: ms(row['restored_at']),
      resolvedAt: ms(row['resolved_at']),
      shippedAt: ms(row['shipped_at']),
      returnedAt: ms(row['returned_at']),
      closedAt: ms(row['closed_at']),
      reopenCount: Number(row['reopen_count']),
      testAttempts: Number(row['test_attempts']),
    }));
    const costs = new Map<number, CostForFact[]>();
    if (incidents.length === 0) return { incidents, costs };
    const costRows: Record<string, unknown>[] = await this.dataSource
      .createQueryBuilder()
      .select(['c.incident_id AS incident_id', 'c.payer AS payer', 'c.amount AS amount', 'c.claim_status AS claim_status', 'c.claimed_amount AS claimed_amount', 'c.approved_amount AS approved_amount', 'c.paid_amount AS paid_amount'])
      .from('incident_costs', 'c')
      .where('c.incident_id IN (:...ids)', { ids: incidents.map((incident) => incident.id) })
      .getRawMany();
    const money = (value: unknown) => (value === null || value === undefined ? null : Number(value));
    for (const row of costRows) {
      const list = costs.get(Number(row['incident_id'])) ?? [];
      list.push({
        payer: row['payer'] as CostPayer,
        amount: Number(row['amount']),
        claimStatus: (row['claim_status'] as ClaimStatus | null) ?? null,
        claimedAmount: money(row['claimed_amount']),
        approvedAmount: money(row['approved_amount']),
        paidAmount: money(row['paid_amount']),
      });
      costs.set(Number(row['incident_id']), list);
    }
    return { incidents, costs };
  }

  /** Replaces the facts of `incidentIds` (every fact when null) with `facts`. */
  async replaceFacts(tx: Tx, incidentIds: readonly number[] | null, facts: readonly TicketFact[]): Promise<void> {
    if (incidentIds === null) await tx.createQueryBuilder().delete().from('incident_facts').execute();
    else {
      for (let i = 0; i < incidentIds.length; i += INSERT_CHUNK) {
        await tx.createQueryBuilder().delete().from('incident_facts').where('incident_id IN (:...ids)', { ids: incidentIds.slice(i, i + INSERT_CHUNK) }).execute();
      }
    }
    const claims = (c: TicketFact['warranty']) => TICKET_CLAIM_FIELDS.map((field) => c[field]);
    const flag = (value: boolean) => (value ? 1 : 0);
    await bulkInsert(
      tx,
      'incident_facts',
      FACT_COLUMNS,
      facts.map((f) => [
        f.reportedMs,
        f.incidentId,
        f.regionId,
        f.modelId,
        f.supplierId,
        f.assigneeId,
        f.assigneeName,
        f.repairVendor,
        f.cause,
        flag(f.failure),
        flag(f.decided),
        flag(f.fixed),
        flag(f.firstTimeFix),
        flag(f.reopened),
        f.restoreHours,
        f.repairHours,
        f.rmaHours,
        ...COST_PAYERS.map((payer) => f.costs[payer]),
        ...claims(f.warranty),
        ...claims(f.insurance),
      ]),
    );
  }

  /** Active insurance policies' yearly premiums (today within their dates). */
  async activePremiums(today: string): Promise<Map<number, number>> {
    const rows: Record<string, unknown>[] = await this.dataSource
      .createQueryBuilder()
      .select(['p.id AS id', 'p.premium AS premium'])
      .from('insurance_policies', 'p')
      .where('p.premium IS NOT NULL AND p.start_date <= :today AND p.end_date >= :today', { today })
      .getRawMany();
    return new Map(rows.map((row) => [Number(row['id']), Number(row['premium'])]));
  }

  async replaceInventory(tx: Tx, cells: readonly InventoryCell[]): Promise<void> {
    await tx.createQueryBuilder().delete().from('reliability_inventory').execute();
    await bulkInsert(
      tx,
      'reliability_inventory',
      INVENTORY_COLUMNS,
      cells.map((cell) => [cell.modelId, cell.regionId, cell.supplierId, cell.terminals, cell.priced, cell.priceSum, cell.spares, cell.insured, cell.premium]),
    );
  }

  /** Up to `limit` terminals after `afterId`, with their spans and the instants of their failures. */
  async unitChunk(afterId: number, limit: number): Promise<UnitChunk> {
    const rows: Record<string, unknown>[] = await this.dataSource
      .createQueryBuilder()
      .select([
        't.id AS id',
        't.model_id AS model_id',
        't.supplier_id AS supplier_id',
        't.batch AS batch',
        't.purchase_date AS purchase_date',
        't.region_id AS region_id',
        't.firmware_version AS firmware_version',
        't.status AS status',
        't.purchase_price AS purchase_price',
        't.insurance_policy_id AS insurance_policy_id',
      ])
      .from('terminals', 't')
      .where('t.id > :afterId', { afterId })
      .orderBy('t.id', 'ASC')
      .limit(limit)
      .getRawMany();
    const terminals: TerminalDims[] = rows.map((row) => ({
      id: Number(row['id']),
      modelId: Number(row['model_id']),
      supplierId: Number(row['supplier_id']),
      batch: (row['batch'] as string | null) ?? null,
      purchaseDate: (row['purchase_date'] as string | null) ?? null,
      regionId: Number(row['region_id']),
      firmware: (row['firmware_version'] as string | null) ?? null,
      status: String(row['status']),
      purchasePrice: row['purchase_price'] === null ? null : Number(row['purchase_price']),
      insurancePolicyId: row['insurance_policy_id'] === null ? null : Number(row['insurance_policy_id']),
    }));
    const spans = new Map<number, RollupSpan[]>();
    const failures = new Map<number, number[]>();
    if (terminals.length === 0) return { terminals, spans, failures };
    const range = { lo: terminals[0]!.id, hi: terminals[terminals.length - 1]!.id };
    const spanRows: Record<string, unknown>[] = await this.dataSource
      .createQueryBuilder()
      .select(['s.terminal_id AS terminal_id', 's.started_ms AS started_ms', 's.ended_ms AS ended_ms', 's.region_id AS region_id', 's.firmware_version AS firmware_version'])
      .from('terminal_service_spans', 's')
      .where('s.terminal_id >= :lo AND s.terminal_id <= :hi', range)
      .orderBy('s.terminal_id', 'ASC')
      .addOrderBy('s.started_ms', 'ASC')
      .getRawMany();
    for (const row of spanRows) {
      const id = Number(row['terminal_id']);
      const list = spans.get(id) ?? [];
      list.push({
        from: Number(row['started_ms']),
        to: row['ended_ms'] === null ? null : Number(row['ended_ms']),
        regionId: Number(row['region_id']),
        firmware: (row['firmware_version'] as string | null) ?? null,
      });
      spans.set(id, list);
    }
    const failureRows: Record<string, unknown>[] = await this.dataSource
      .createQueryBuilder()
      .select(['i.terminal_id AS terminal_id', 'i.reported_at AS reported_at'])
      .from('incidents', 'i')
      .where('i.terminal_id >= :lo AND i.terminal_id <= :hi', range)
      .andWhere('(i.resolution IS NULL OR i.resolution NOT IN (:...excluded))', { excluded: INCIDENT_NO_FAILURE_RESOLUTIONS })
      .getRawMany();
    for (const row of failureRows) {
      const id = Number(row['terminal_id']);
      const list = failures.get(id) ?? [];
      list.push(timestampMs(row['reported_at']));
      failures.set(id, list);
    }
    for (const list of failures.values()) list.sort((a, b) => a - b);
    return { terminals, spans, failures };
  }

  /** Replaces the exposure cells of `months` (all of them when null) and all survival cells, in one transaction. */
  async replaceCells(tx: Tx, months: readonly string[] | null, exposure: readonly ExposureCell[], survival: readonly SurvivalCell[]): Promise<void> {
    const deleteExposure = tx.createQueryBuilder().delete().from('reliability_exposure');
    if (months === null) await deleteExposure.execute();
    else if (months.length > 0) await deleteExposure.where('month IN (:...months)', { months }).execute();
    await tx.createQueryBuilder().delete().from('reliability_survival').execute();
    await bulkInsert(
      tx,
      'reliability_exposure',
      EXPOSURE_COLUMNS,
      exposure.map((cell) => [cell.month, cell.dimension, cell.regionId, cell.modelId, cell.supplierId, cell.key, cell.exposureYears, cell.failures, cell.earlyExposureYears, cell.earlyFailures]),
    );
    await bulkInsert(
      tx,
      'reliability_survival',
      SURVIVAL_COLUMNS,
      survival.map((cell) => [cell.modelId, cell.regionId, cell.supplierId, cell.months, cell.events, cell.censored]),
    );
  }

  /** PostgreSQL plans by its statistics of the tables: refreshed after the rollups were rewritten whole. */
  async analyze(): Promise<void> {
    if (this.dataSource.options.type !== 'postgres') return;
    await this.dataSource.query('ANALYZE terminal_service_spans, reliability_exposure, reliability_survival, incident_facts, reliability_inventory');
  }

  getState(name: string): Promise<string | null> {
    return readJobState(this.dataSource, name);
  }

  setState(tx: Tx, name: string, value: string, now: Date): Promise<void> {
    return writeJobState(tx, name, value, now);
  }
}
