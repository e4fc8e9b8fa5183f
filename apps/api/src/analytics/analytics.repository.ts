/**
 * The reads behind the analytics pages: sums over the rollup cells (a few
 * thousand rows per month whatever the fleet size), and the period's tickets
 * and their costs. Reference data (models, suppliers, regions) is small and
 * read whole.
 */
import { Injectable } from '@nestjs/common';
import { COST_PAYERS, type CostPayer, type ExposureDimension, type TerminalCategory } from '@fleet/shared';
import { DataSource, type SelectQueryBuilder } from 'typeorm';
import { regionSubtree } from '../database/ranges';
import { claimsFrom, TICKET_CLAIM_FIELDS, type TicketClaims } from './ticket-facts';

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

/** What the period's tickets can be grouped by. */
export type FactGroup = 'model_id' | 'supplier_id' | 'region_id' | 'repair_vendor' | 'assignee_id';
export type DurationMeasure = 'restore_hours' | 'repair_hours' | 'rma_hours';
/** What factTotals sums besides the ticket and failure counts: first-time fixes and reopenings, costs (with downtime), claims. */
export type FactPart = 'fixes' | 'costs' | 'claims';

/** The period's tickets of one group, summed. */
export interface FactTotals {
  /** The group's value (an id or a vendor); null for the whole scope, or for tickets without one (no vendor, unassigned). */
  key: string | null;
  /** The technician's name when grouped by assignee. */
  label: string | null;
  tickets: number;
  failures: number;
  fixed: number;
  firstTimeFix: number;
  reopened: number;
  /** Tickets the bank paid something for, for the average cost of a repair to the bank. */
  bankPaidTickets: number;
  /** Failures' hours from report to service restored, or to the end of the period while still down. */
  downtimeHours: number;
  costs: Record<CostPayer, number>;
  warranty: TicketClaims;
  insurance: TicketClaims;
}

/** The fleet as it stands for one group (reliability_inventory, as of the last rollup). */
export interface InventorySum {
  terminals: number;
  priced: number;
  priceSum: number;
  spares: number;
  insured: number;
  premium: number;
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
    const qb = this.factsQuery(filter, fromMs, toMs).select('f.cause', 'cause').addSelect('COUNT(*)', 'count').andWhere('f.failure = 1').groupBy('f.cause');
    const rows: Record<string, unknown>[] = await qb.getRawMany();
    return new Map(rows.map((row) => [(row['cause'] as string | null) ?? null, num(row['count'])]));
  }

  /**
   * Totals of the period's tickets (failures or not: a visit that found
   * nothing costs too), for the whole scope or per group, summed by the
   * database: costs by payer, claims, first-time fixes, downtime.
   */
  async factTotals(filter: AnalyticsFilter, fromMs: number, toMs: number, groupBy: FactGroup | null, parts: readonly FactPart[]): Promise<FactTotals[]> {
    // Each summed column costs a pass over every ticket of the period: only the parts asked for are summed (the others are 0).
    const qb = this.factsQuery(filter, fromMs, toMs).select('COUNT(*)', 'tickets').addSelect('SUM(f.failure)', 'failures');
    if (parts.includes('fixes')) qb.addSelect('SUM(f.fixed)', 'fixed').addSelect('SUM(f.first_time_fix)', 'first_time_fix').addSelect('SUM(f.reopened)', 'reopened');
    if (parts.includes('costs')) {
      qb.addSelect('SUM(CASE WHEN f.cost_bank > 0 THEN 1 ELSE 0 END)', 'bank_paid');
      qb.addSelect('SUM(CASE WHEN f.failure = 1 THEN COALESCE(f.restore_hours, (:toMs - f.reported_ms) / 3600000.0) ELSE 0 END)', 'downtime_hours');
      for (const payer of COST_PAYERS) qb.addSelect(`SUM(f.cost_${payer})`, `cost_${payer}`);
    }
    if (parts.includes('claims')) {
      for (const kind of ['warranty', 'insurance']) {
        for (const field of TICKET_CLAIM_FIELDS) qb.addSelect(`SUM(f.${kind}_${field})`, `${kind}_${field}`);
      }
    }
    if (groupBy) {
      qb.addSelect(`f.${groupBy}`, 'group_key').groupBy(`f.${groupBy}`);
      if (groupBy === 'assignee_id') qb.addSelect('MAX(f.assignee_name)', 'group_label');
    }
    const rows: Record<string, unknown>[] = await qb.getRawMany();
    const claims = (row: Record<string, unknown>, kind: string): TicketClaims => claimsFrom((field) => num(row[`${kind}_${field}`]));
    return rows
      .filter((row) => num(row['tickets']) > 0)
      .map((row) => ({
        key: groupBy === null || row['group_key'] === null || row['group_key'] === undefined ? null : String(row['group_key']),
        label: (row['group_label'] as string | null | undefined) ?? null,
        tickets: num(row['tickets']),
        failures: num(row['failures']),
        fixed: num(row['fixed']),
        firstTimeFix: num(row['first_time_fix']),
        reopened: num(row['reopened']),
        bankPaidTickets: num(row['bank_paid']),
        downtimeHours: num(row['downtime_hours']),
        costs: Object.fromEntries(COST_PAYERS.map((payer) => [payer, num(row[`cost_${payer}`])])) as Record<CostPayer, number>,
        warranty: claims(row, 'warranty'),
        insurance: claims(row, 'insurance'),
      }));
  }

  /**
   * The durations (hours) of the period's failures, per group and measure, each
   * list holding the failures that reached that measure: what medians and p90s
   * are taken over. One pass over the covering index for all the measures.
   */
  async durations<M extends DurationMeasure>(
    filter: AnalyticsFilter,
    fromMs: number,
    toMs: number,
    groupBy: FactGroup | null,
    measures: readonly M[],
    decidedOnly = false,
  ): Promise<Map<string | null, Record<M, number[]>>> {
    const qb = this.factsQuery(filter, fromMs, toMs).select(measures.map((measure) => `f.${measure} AS ${measure}`)).andWhere('f.failure = 1');
    qb.andWhere(`(${measures.map((measure) => `f.${measure} IS NOT NULL`).join(' OR ')})`);
    if (decidedOnly) qb.andWhere('f.decided = 1');
    if (groupBy) qb.addSelect(`f.${groupBy}`, 'group_key');
    const rows: Record<string, unknown>[] = await qb.getRawMany();
    const byGroup = new Map<string | null, Record<M, number[]>>();
    for (const row of rows) {
      const key = groupBy === null || row['group_key'] === null || row['group_key'] === undefined ? null : String(row['group_key']);
      let lists = byGroup.get(key);
      if (!lists) {
        lists = Object.fromEntries(measures.map((measure) => [measure, []])) as unknown as Record<M, number[]>;
        byGroup.set(key, lists);
      }
      for (const measure of measures) if (row[measure] !== null && row[measure] !== undefined) lists[measure].push(num(row[measure]));
    }
    return byGroup;
  }

  /** The fleet as it stands (prices, spares, insurance), grouped by model or by region. */
  async inventory(filter: Omit<AnalyticsFilter, 'from' | 'to'>, column: 'model_id' | 'region_id'): Promise<Map<number, InventorySum>> {
    const qb = this.dataSource
      .createQueryBuilder()
      .select(`v.${column}`, 'id')
      .addSelect('SUM(v.terminals)', 'terminals')
      .addSelect('SUM(v.priced)', 'priced')
      .addSelect('SUM(v.price_sum)', 'price_sum')
      .addSelect('SUM(v.spares)', 'spares')
      .addSelect('SUM(v.insured)', 'insured')
      .addSelect('SUM(v.premium)', 'premium')
      .from('reliability_inventory', 'v')
      .where('1 = 1');
    this.filterCells(qb, filter, 'v');
    const rows: Record<string, unknown>[] = await qb.groupBy(`v.${column}`).getRawMany();
    return new Map(
      rows.map((row) => [
        num(row['id']),
        { terminals: num(row['terminals']), priced: num(row['priced']), priceSum: num(row['price_sum']), spares: num(row['spares']), insured: num(row['insured']), premium: num(row['premium']) },
      ]),
    );
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

  private factsQuery(filter: AnalyticsFilter, fromMs: number, toMs: number): SelectQueryBuilder<Record<string, unknown>> {
    const qb = this.dataSource.createQueryBuilder().from('incident_facts', 'f').where('f.reported_ms >= :fromMs AND f.reported_ms < :toMs', { fromMs, toMs });
    this.filterCells(qb, filter, 'f');
    return qb;
  }

  private filterCells<T extends object>(qb: SelectQueryBuilder<T>, filter: Omit<AnalyticsFilter, 'from' | 'to'>, alias: string): void {
    if (filter.regionPath) qb.andWhere(...regionSubtree(`${alias}.region_id`, 'scope', filter.regionPath));
    if (filter.modelIds) qb.andWhere(`${alias}.model_id IN (:...modelIds)`, { modelIds: filter.modelIds.length > 0 ? filter.modelIds : [0] });
    if (filter.supplierId) qb.andWhere(`${alias}.supplier_id = :supplierId`, { supplierId: filter.supplierId });
    if (filter.category) qb.andWhere(`${alias}.model_id IN (SELECT m.id FROM models m WHERE m.category = :category)`, { category: filter.category });
  }
}
