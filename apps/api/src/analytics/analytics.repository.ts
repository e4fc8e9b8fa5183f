/**
 * The reads behind the analytics pages: sums over the rollup cells (a few
 * thousand rows per month whatever the fleet size), and the period's tickets
 * and their costs. Reference data (models, suppliers, regions) is small and
 * read whole.
 */
import { Injectable } from '@nestjs/common';
import { INCIDENT_NO_FAILURE_RESOLUTIONS, type ClaimStatus, type CostPayer, type ExposureDimension, type IncidentResolution, type RepairDecision, type TerminalCategory } from '@fleet/shared';
import { DataSource, type SelectQueryBuilder } from 'typeorm';
import { regionSubtree } from '../database/ranges';
import { timestampMs } from './reliability-rollup.repository';

/** What every analytics read is limited to. Months are YYYY-MM, both included. */
export interface AnalyticsFilter {
  from: string;
  to: string;
  regionPath?: string;
  modelIds?: readonly number[];
  supplierId?: number;
  category?: TerminalCategory;
}

export type CellColumn = 'model_id' | 'supplier_id' | 'region_id' | 'group_key';

export interface CellSum {
  modelId: number | null;
  supplierId: number | null;
  regionId: number | null;
  key: string | null;
  exposureYears: number;
  failures: number;
  earlyExposureYears: number;
  earlyFailures: number;
}

export interface SurvivalSum {
  modelId: number;
  months: number;
  events: number;
  censored: number;
}

export interface AnalyticsTicket {
  id: number;
  modelId: number;
  supplierId: number;
  regionId: number;
  assigneeId: number | null;
  assigneeName: string | null;
  repairVendor: string | null;
  cause: string | null;
  decision: RepairDecision | null;
  resolution: IncidentResolution | null;
  reportedAt: number;
  restoredAt: number | null;
  resolvedAt: number | null;
  shippedAt: number | null;
  returnedAt: number | null;
  closedAt: number | null;
  reopenCount: number;
  testAttempts: number;
}

export interface AnalyticsCost {
  incidentId: number;
  modelId: number;
  supplierId: number;
  regionId: number;
  payer: CostPayer;
  amount: number;
  claimStatus: ClaimStatus | null;
  claimedAmount: number | null;
  approvedAmount: number | null;
  paidAmount: number | null;
}

export interface ModelRow {
  id: number;
  name: string;
  manufacturer: string;
  category: TerminalCategory;
  listPrice: number | null;
  currency: string;
  defaultWarrantyMonths: number;
}

export interface RegionRow {
  id: number;
  name: string;
  code: string;
  path: string;
  parentId: number | null;
  depth: number;
}

const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));
const numOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
const msOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : timestampMs(value));

@Injectable()
export class AnalyticsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Sums of the exposure cells of one split, grouped by the given columns. */
  async cellSums(filter: AnalyticsFilter, dimension: ExposureDimension, groupBy: readonly CellColumn[]): Promise<CellSum[]> {
    const qb = this.dataSource
      .createQueryBuilder()
      .select('SUM(e.exposure_years)', 'exposure')
      .addSelect('SUM(e.failures)', 'failures')
      .addSelect('SUM(e.early_exposure_years)', 'early_exposure')
      .addSelect('SUM(e.early_failures)', 'early_failures')
      .from('reliability_exposure', 'e')
      .where('e.dimension = :dimension AND e.month >= :from AND e.month <= :to', { dimension, from: filter.from, to: filter.to });
    this.filterCells(qb, filter, 'e');
    for (const column of groupBy) qb.addSelect(`e.${column}`, column).addGroupBy(`e.${column}`);
    const rows: Record<string, unknown>[] = await qb.getRawMany();
    return rows.map((row) => ({
      modelId: groupBy.includes('model_id') ? num(row['model_id']) : null,
      supplierId: groupBy.includes('supplier_id') ? num(row['supplier_id']) : null,
      regionId: groupBy.includes('region_id') ? num(row['region_id']) : null,
      key: groupBy.includes('group_key') ? String(row['group_key']) : null,
      exposureYears: num(row['exposure']),
      failures: num(row['failures']),
      earlyExposureYears: num(row['early_exposure']),
      earlyFailures: num(row['early_failures']),
    }));
  }

  /** Units ever in service (survival cells), grouped by one column. */
  async unitsBy(filter: Omit<AnalyticsFilter, 'from' | 'to'>, column: 'model_id' | 'supplier_id' | 'region_id'): Promise<Map<number, number>> {
    const qb = this.dataSource.createQueryBuilder().select(`s.${column}`, 'id').addSelect('SUM(s.events + s.censored)', 'units').from('reliability_survival', 's').where('1 = 1');
    this.filterCells(qb, filter, 's');
    const rows: Record<string, unknown>[] = await qb.groupBy(`s.${column}`).getRawMany();
    return new Map(rows.map((row) => [num(row['id']), num(row['units'])]));
  }

  async survival(filter: Omit<AnalyticsFilter, 'from' | 'to'>): Promise<SurvivalSum[]> {
    const qb = this.dataSource
      .createQueryBuilder()
      .select('s.model_id', 'model_id')
      .addSelect('s.months', 'months')
      .addSelect('SUM(s.events)', 'events')
      .addSelect('SUM(s.censored)', 'censored')
      .from('reliability_survival', 's')
      .where('1 = 1');
    this.filterCells(qb, filter, 's');
    const rows: Record<string, unknown>[] = await qb.groupBy('s.model_id').addGroupBy('s.months').getRawMany();
    return rows.map((row) => ({ modelId: num(row['model_id']), months: num(row['months']), events: num(row['events']), censored: num(row['censored']) }));
  }

  /** Failures reported in the period by diagnosed cause (null: not diagnosed). */
  async failuresByCause(filter: AnalyticsFilter, fromMs: number, toMs: number): Promise<Map<string | null, number>> {
    const qb = this.ticketsQuery(filter, fromMs, toMs).select('i.cause', 'cause').addSelect('COUNT(*)', 'count').groupBy('i.cause');
    const rows: Record<string, unknown>[] = await qb.getRawMany();
    return new Map(rows.map((row) => [(row['cause'] as string | null) ?? null, num(row['count'])]));
  }

  /** The period's tickets that are failures, with the columns the repair-time and cost figures read. */
  async tickets(filter: AnalyticsFilter, fromMs: number, toMs: number): Promise<AnalyticsTicket[]> {
    const rows: Record<string, unknown>[] = await this.ticketsQuery(filter, fromMs, toMs)
      .leftJoin('users', 'u', 'u.id = i.assignee_id')
      .select([
        'i.id AS id',
        'i.model_id AS model_id',
        'i.supplier_id AS supplier_id',
        'i.region_id AS region_id',
        'i.assignee_id AS assignee_id',
        'u.display_name AS assignee_name',
        'i.repair_vendor AS repair_vendor',
        'i.cause AS cause',
        'i.decision AS decision',
        'i.resolution AS resolution',
        'i.reported_at AS reported_at',
        'i.restored_at AS restored_at',
        'i.resolved_at AS resolved_at',
        'i.shipped_at AS shipped_at',
        'i.returned_at AS returned_at',
        'i.closed_at AS closed_at',
        'i.reopen_count AS reopen_count',
        'i.test_attempts AS test_attempts',
      ])
      .getRawMany();
    return rows.map((row) => ({
      id: num(row['id']),
      modelId: num(row['model_id']),
      supplierId: num(row['supplier_id']),
      regionId: num(row['region_id']),
      assigneeId: numOrNull(row['assignee_id']),
      assigneeName: (row['assignee_name'] as string | null) ?? null,
      repairVendor: (row['repair_vendor'] as string | null) ?? null,
      cause: (row['cause'] as string | null) ?? null,
      decision: (row['decision'] as RepairDecision | null) ?? null,
      resolution: (row['resolution'] as IncidentResolution | null) ?? null,
      reportedAt: timestampMs(row['reported_at']),
      restoredAt: msOrNull(row['restored_at']),
      resolvedAt: msOrNull(row['resolved_at']),
      shippedAt: msOrNull(row['shipped_at']),
      returnedAt: msOrNull(row['returned_at']),
      closedAt: msOrNull(row['closed_at']),
      reopenCount: num(row['reopen_count']),
      testAttempts: num(row['test_attempts']),
    }));
  }

  /** The cost lines of the period's tickets (every ticket: a no-fault-found visit costs too). */
  async costs(filter: AnalyticsFilter, fromMs: number, toMs: number): Promise<AnalyticsCost[]> {
    const qb = this.dataSource
      .createQueryBuilder()
      .from('incident_costs', 'c')
      .innerJoin('incidents', 'i', 'i.id = c.incident_id')
      .select([
        'c.incident_id AS incident_id',
        'i.model_id AS model_id',
        'i.supplier_id AS supplier_id',
        'i.region_id AS region_id',
        'c.payer AS payer',
        'c.amount AS amount',
        'c.claim_status AS claim_status',
        'c.claimed_amount AS claimed_amount',
        'c.approved_amount AS approved_amount',
        'c.paid_amount AS paid_amount',
      ])
      .where('i.reported_at >= :fromAt AND i.reported_at < :toAt', { fromAt: new Date(fromMs), toAt: new Date(toMs) });
    this.filterTickets(qb, filter);
    const rows: Record<string, unknown>[] = await qb.getRawMany();
    return rows.map((row) => ({
      incidentId: num(row['incident_id']),
      modelId: num(row['model_id']),
      supplierId: num(row['supplier_id']),
      regionId: num(row['region_id']),
      payer: row['payer'] as CostPayer,
      amount: num(row['amount']),
      claimStatus: (row['claim_status'] as ClaimStatus | null) ?? null,
      claimedAmount: numOrNull(row['claimed_amount']),
      approvedAmount: numOrNull(row['approved_amount']),
      paidAmount: numOrNull(row['paid_amount']),
    }));
  }

  /** Average purchase price of each model's terminals (those with a price). */
  async averagePrices(filter: Omit<AnalyticsFilter, 'from' | 'to'>): Promise<Map<number, number>> {
    const qb = this.dataSource.createQueryBuilder().select('t.model_id', 'model_id').addSelect('AVG(t.purchase_price)', 'price').from('terminals', 't').where('t.purchase_price IS NOT NULL');
    this.filterTerminals(qb, filter);
    const rows: Record<string, unknown>[] = await qb.groupBy('t.model_id').getRawMany();
    return new Map(rows.map((row) => [num(row['model_id']), num(row['price'])]));
  }

  /** Terminals in a status by model and by region (leaf), e.g. the spares on the shelf. */
  async countByStatus(filter: Omit<AnalyticsFilter, 'from' | 'to'>, status: string, column: 'model_id' | 'region_id'): Promise<Map<number, number>> {
    const qb = this.dataSource.createQueryBuilder().select(`t.${column}`, 'id').addSelect('COUNT(*)', 'count').from('terminals', 't').where('t.status = :status', { status });
    this.filterTerminals(qb, filter);
    const rows: Record<string, unknown>[] = await qb.groupBy(`t.${column}`).getRawMany();
    return new Map(rows.map((row) => [num(row['id']), num(row['count'])]));
  }

  /**
   * Yearly premium per insured terminal of each model: every active policy's
   * yearly premium shared equally among the terminals it covers.
   */
  async premiumsPerTerminal(filter: Omit<AnalyticsFilter, 'from' | 'to'>, today: string): Promise<Map<number, { premium: number; terminals: number }>> {
    const qb = this.dataSource
      .createQueryBuilder()
      .from('terminals', 't')
      .innerJoin('insurance_policies', 'p', 'p.id = t.insurance_policy_id')
      .select('t.model_id', 'model_id')
      .addSelect('p.id', 'policy_id')
      .addSelect('p.premium', 'premium')
      .addSelect('COUNT(*)', 'count')
      .where('p.premium IS NOT NULL AND p.start_date <= :today AND p.end_date >= :today', { today });
    this.filterTerminals(qb, filter);
    const rows: Record<string, unknown>[] = await qb.groupBy('t.model_id').addGroupBy('p.id').addGroupBy('p.premium').getRawMany();
    const covered = new Map<number, number>();
    for (const row of rows) covered.set(num(row['policy_id']), (covered.get(num(row['policy_id'])) ?? 0) + num(row['count']));
    // A policy's terminals outside the filter still share its premium.
    const policyIds = [...covered.keys()];
    const totals = new Map<number, number>();
    if (policyIds.length > 0) {
      const all: Record<string, unknown>[] = await this.dataSource
        .createQueryBuilder()
        .select('t.insurance_policy_id', 'policy_id')
        .addSelect('COUNT(*)', 'count')
        .from('terminals', 't')
        .where('t.insurance_policy_id IN (:...policyIds)', { policyIds })
        .groupBy('t.insurance_policy_id')
        .getRawMany();
      for (const row of all) totals.set(num(row['policy_id']), num(row['count']));
    }
    const byModel = new Map<number, { premium: number; terminals: number }>();
    for (const row of rows) {
      const modelId = num(row['model_id']);
      const count = num(row['count']);
      const perTerminal = num(row['premium']) / Math.max(1, totals.get(num(row['policy_id'])) ?? count);
      const entry = byModel.get(modelId) ?? { premium: 0, terminals: 0 };
      entry.premium += perTerminal * count;
      entry.terminals += count;
      byModel.set(modelId, entry);
    }
    return byModel;
  }

  async policyPeriod(policyId: number): Promise<{ startDate: string; endDate: string } | null> {
    const row = await this.dataSource
      .createQueryBuilder()
      .select(['p.start_date AS start_date', 'p.end_date AS end_date'])
      .from('insurance_policies', 'p')
      .where('p.id = :policyId', { policyId })
      .getRawOne<{ start_date: string; end_date: string }>();
    return row ? { startDate: row.start_date, endDate: row.end_date } : null;
  }

  async models(): Promise<ModelRow[]> {
    const rows: Record<string, unknown>[] = await this.dataSource
      .createQueryBuilder()
      .select(['m.id AS id', 'm.name AS name', 'm.manufacturer AS manufacturer', 'm.category AS category', 'm.list_price AS list_price', 'm.currency AS currency', 'm.default_warranty_months AS default_warranty_months'])
      .from('models', 'm')
      .orderBy('m.name')
      .getRawMany();
    return rows.map((row) => ({
      id: num(row['id']),
      name: String(row['name']),
      manufacturer: String(row['manufacturer']),
      category: row['category'] as TerminalCategory,
      listPrice: numOrNull(row['list_price']),
      currency: String(row['currency']),
      defaultWarrantyMonths: num(row['default_warranty_months']),
    }));
  }

  async suppliers(): Promise<{ id: number; name: string }[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.createQueryBuilder().select(['s.id AS id', 's.name AS name']).from('suppliers', 's').orderBy('s.name').getRawMany();
    return rows.map((row) => ({ id: num(row['id']), name: String(row['name']) }));
  }

  async regions(): Promise<RegionRow[]> {
    const rows: Record<string, unknown>[] = await this.dataSource
      .createQueryBuilder()
      .select(['r.id AS id', 'r.name AS name', 'r.code AS code', 'r.path AS path', 'r.parent_id AS parent_id', 'r.depth AS depth'])
      .from('regions', 'r')
      .orderBy('r.code')
      .getRawMany();
    return rows.map((row) => ({ id: num(row['id']), name: String(row['name']), code: String(row['code']), path: String(row['path']), parentId: numOrNull(row['parent_id']), depth: num(row['depth']) }));
  }

  private ticketsQuery(filter: AnalyticsFilter, fromMs: number, toMs: number): SelectQueryBuilder<Record<string, unknown>> {
    const qb = this.dataSource
      .createQueryBuilder()
      .from('incidents', 'i')
      .where('i.reported_at >= :fromAt AND i.reported_at < :toAt', { fromAt: new Date(fromMs), toAt: new Date(toMs) })
      .andWhere('(i.resolution IS NULL OR i.resolution NOT IN (:...excluded))', { excluded: INCIDENT_NO_FAILURE_RESOLUTIONS });
    this.filterTickets(qb, filter);
    return qb;
  }

  private filterCells<T extends object>(qb: SelectQueryBuilder<T>, filter: Omit<AnalyticsFilter, 'from' | 'to'>, alias: string): void {
    if (filter.regionPath) qb.andWhere(...regionSubtree(`${alias}.region_id`, 'scope', filter.regionPath));
    if (filter.modelIds) qb.andWhere(`${alias}.model_id IN (:...modelIds)`, { modelIds: filter.modelIds.length > 0 ? filter.modelIds : [0] });
    if (filter.supplierId) qb.andWhere(`${alias}.supplier_id = :supplierId`, { supplierId: filter.supplierId });
    if (filter.category) qb.andWhere(`${alias}.model_id IN (SELECT m.id FROM models m WHERE m.category = :category)`, { category: filter.category });
  }

  private filterTickets<T extends object>(qb: SelectQueryBuilder<T>, filter: Omit<AnalyticsFilter, 'from' | 'to'>): void {
    this.filterCells(qb, filter, 'i');
  }

  private filterTerminals<T extends object>(qb: SelectQueryBuilder<T>, filter: Omit<AnalyticsFilter, 'from' | 'to'>): void {
    if (filter.regionPath) qb.andWhere(...regionSubtree('t.region_id', 'scope', filter.regionPath));
    if (filter.modelIds) qb.andWhere('t.model_id IN (:...modelIds)', { modelIds: filter.modelIds.length > 0 ? filter.modelIds : [0] });
    if (filter.supplierId) qb.andWhere('t.supplier_id = :supplierId', { supplierId: filter.supplierId });
    if (filter.category) qb.andWhere('t.category = :category', { category: filter.category });
  }
}
