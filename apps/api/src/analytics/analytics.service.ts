/**
 * Reliability analytics for procurement (issue 7): failure rates with exact
 * intervals, survival, repair times, costs and cost of ownership, the
 * supplier scorecard, the model comparison, spare-pool sizing and repair or
 * replace. Every answer is computed from the rollups and the period's
 * tickets, within the user's region scope, and echoes its scope.
 */
import { Inject, Injectable } from '@nestjs/common';
import {
  addMonths,
  AGE_BANDS_DAYS,
  COST_PAYERS,
  expectedDemandDuringTurnaround,
  hazardTrend,
  monthOf,
  monthStart,
  mtbf,
  rankByRate,
  recommendedSpares,
  repairOrReplace,
  type AgeBandRateRow,
  type AnalyticsScope,
  type AnalyticsStatus,
  type CostGroup,
  type CostReport,
  type CostRow,
  type FailureRateGroup,
  type FailureRateReport,
  type FailureRateRow,
  type ModelComparison,
  type ModelComparisonColumn,
  type ModelSurvival,
  type RankStanding,
  type RateFigure,
  type RepairOrReplaceAnswer,
  type RepairTimeGroup,
  type RepairTimeRow,
  type RepairTimeReport,
  type SpareSizingReport,
  type SpareSizingRow,
  type SupplierScorecard,
  type SurvivalReport,
  type TcoReport,
  type TcoRow,
} from '@fleet/shared';
import { Clock } from '../common/clock';
import { DomainException } from '../common/domain.exception';
import { requestScope, withinScope } from '../common/request-scope';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { roundTo } from '../incidents/incident-statistics';
import { TerminalsService } from '../terminals/terminals.service';
import { addTotals, claimFigure, costsByPayer, durationFigure, NO_TICKETS, perYear, rateFigure, repairTimeRow, survivalCurve } from './analytics-figures';
import type { AnalyticsQueryDto, CostQueryDto, FailureRateQueryDto, ModelComparisonQueryDto, ModelsQueryDto, RepairOrReplaceQueryDto, RepairTimeQueryDto, SpareSizingQueryDto } from './analytics.dto';
import { AnalyticsRepository, type AnalyticsFilter, type CellSum, type FactGroup, type FactTotals, type ModelRow, type RegionRow } from './analytics.repository';
import { ReliabilityRollupService } from './reliability-rollup.service';

const YEAR_DAYS = 365.25;
const DAY_MS = 86_400_000;
const MAX_PERIOD_MONTHS = 120;
const UNKNOWN = '';
/** The ticket-facts column each repair-time grouping reads (regions are rolled up afterwards). */
const FACT_GROUP: Record<RepairTimeGroup, FactGroup> = { model: 'model_id', supplier: 'supplier_id', vendor: 'repair_vendor', region: 'region_id', technician: 'assignee_id' };

interface Context {
  filter: AnalyticsFilter;
  scope: AnalyticsScope;
  /** The period as instants: tickets reported in [fromMs, toMs). */
  fromMs: number;
  toMs: number;
  /** Years the period covers (up to now), for yearly amounts such as premiums. */
  periodYears: number;
  models: Map<number, ModelRow>;
  suppliers: Map<number, string>;
  regions: RegionRow[];
  /** The region the figures are limited to (the query's, or the user's scope), null for the whole fleet. */
  region: RegionRow | null;
  currency: string;
}

@Injectable()
export class AnalyticsService {
  constructor(
    private readonly repository: AnalyticsRepository,
    private readonly rollups: ReliabilityRollupService,
    private readonly terminals: TerminalsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async status(): Promise<AnalyticsStatus> {
    return this.rollups.status();
  }

  // ---- failure rates

  async failureRates(query: FailureRateQueryDto): Promise<FailureRateReport> {
    const context = await this.context(query);
    const rows = await this.failureRateRows(context, query.groupBy);
    const totalCells = await this.repository.cellSums(context.filter, 'age', []);
    const total = rateFigure(totalCells[0]?.failures ?? 0, totalCells[0]?.exposureYears ?? 0);
    return { scope: context.scope, groupBy: query.groupBy, total, rows };
  }

  private async failureRateRows(context: Context, groupBy: FailureRateGroup): Promise<FailureRateRow[]> {
    const { filter } = context;
    switch (groupBy) {
      case 'model': {
        const units = await this.repository.unitsBy(filter, 'model_id');
        const cells = await this.repository.cellSums(filter, 'age', ['model_id']);
        return ranked(cells.map((cell) => row(String(cell.modelId), context.models.get(cell.modelId!)?.name ?? `#${cell.modelId}`, cell, units.get(cell.modelId!) ?? 0)));
      }
      case 'supplier': {
        const units = await this.repository.unitsBy(filter, 'supplier_id');
        const cells = await this.repository.cellSums(filter, 'age', ['supplier_id']);
        return ranked(cells.map((cell) => row(String(cell.supplierId), context.suppliers.get(cell.supplierId!) ?? `#${cell.supplierId}`, cell, units.get(cell.supplierId!) ?? 0)));
      }
      case 'category': {
        const units = await this.repository.unitsBy(filter, 'model_id');
        const cells = await this.repository.cellSums(filter, 'age', ['model_id']);
        const byCategory = new Map<string, { cell: CellSum; units: number }>();
        for (const cell of cells) {
          const category = context.models.get(cell.modelId!)?.category ?? UNKNOWN;
          const entry = byCategory.get(category) ?? { cell: emptyCell(), units: 0 };
          addCell(entry.cell, cell);
          entry.units += units.get(cell.modelId!) ?? 0;
          byCategory.set(category, entry);
        }
        return ranked([...byCategory].map(([category, { cell, units: count }]) => row(category, category, cell, count)));
      }
      case 'region': {
        const units = await this.repository.unitsBy(filter, 'region_id');
        const cells = await this.repository.cellSums(filter, 'age', ['region_id']);
        const children = childRegions(context);
        const byChild = new Map<number, { cell: CellSum; units: number }>();
        const childOf = (regionId: number) => {
          const path = context.regions.find((region) => region.id === regionId)?.path;
          return path === undefined ? undefined : children.find((child) => path.startsWith(child.path));
        };
        for (const cell of cells) {
          const child = childOf(cell.regionId!);
          if (!child) continue;
          const entry = byChild.get(child.id) ?? { cell: emptyCell(), units: 0 };
          addCell(entry.cell, cell);
          byChild.set(child.id, entry);
        }
        for (const [regionId, count] of units) {
          const child = childOf(regionId);
          const entry = child ? byChild.get(child.id) : undefined;
          if (entry) entry.units += count;
        }
        return ranked(children.filter((child) => byChild.has(child.id)).map((child) => row(String(child.id), child.name, byChild.get(child.id)!.cell, byChild.get(child.id)!.units)));
      }
      case 'age_band': {
        const cells = await this.repository.cellSums(filter, 'age', ['group_key']);
        const byBand = new Map(cells.map((cell) => [Number(cell.key), cell]));
        return AGE_BANDS_DAYS.map((band, index) => {
          const cell = byBand.get(band) ?? emptyCell();
          const next = AGE_BANDS_DAYS[index + 1];
          return { ...row(String(band), next === undefined ? `${band}+` : `${band}–${next}`, cell, null), earlyLife: null, standing: standingOf(rateFigure(cell.failures, cell.exposureYears)) };
        });
      }
      case 'batch':
      case 'firmware': {
        const cells = await this.repository.cellSums(filter, groupBy, ['group_key']);
        return ranked(cells.map((cell) => row(cell.key ?? UNKNOWN, cell.key || UNKNOWN, cell, null)));
      }
      case 'cause': {
        const [total] = await this.repository.cellSums(filter, 'age', []);
        const exposure = total?.exposureYears ?? 0;
        const causes = await this.repository.failuresByCause(filter, context.fromMs, context.toMs);
        return [...causes]
          .sort((a, b) => b[1] - a[1])
          .map(([cause, failures]) => {
            const rate = rateFigure(failures, exposure);
            return { ...rate, key: cause ?? UNKNOWN, label: cause ?? UNKNOWN, units: null, earlyLife: null, standing: standingOf(rate) };
          });
      }
    }
  }

  // ---- survival

  async survival(query: ModelsQueryDto): Promise<SurvivalReport> {
    const context = await this.context(query, query.modelIds);
    const modelIds = query.modelIds ?? [...context.models.keys()];
    return { scope: context.scope, models: await this.modelSurvivals(context, modelIds) };
  }

  private async modelSurvivals(context: Context, modelIds: readonly number[]): Promise<ModelSurvival[]> {
    const filter = { ...context.filter, modelIds };
    const [cells, bands] = await Promise.all([this.repository.survival(filter), this.repository.cellSums(filter, 'age', ['model_id', 'group_key'])]);
    return modelIds
      .filter((id) => context.models.has(id))
      .map((id) => {
        const model = context.models.get(id)!;
        const own = cells.filter((cell) => cell.modelId === id);
        const ageBands = ageBandRows(bands.filter((cell) => cell.modelId === id));
        return {
          model: { id, name: model.name },
          units: own.reduce((sum, cell) => sum + cell.events + cell.censored, 0),
          failedUnits: own.reduce((sum, cell) => sum + cell.events, 0),
          curve: survivalCurve(own),
          ageBands,
          trend: hazardTrend(
            ageBands.filter((band) => band.exposureYears > 0).map((band) => ({ ageYears: bandMidYears(band.fromDays, band.toDays), failures: band.failures, exposure: band.exposureYears })),
          ),
        };
      });
  }

  // ---- repair times

  async repairTimes(query: RepairTimeQueryDto): Promise<RepairTimeReport> {
    const context = await this.context(query);
    return { scope: context.scope, groupBy: query.groupBy, rows: await this.repairTimeRows(context, query.groupBy) };
  }

  /** Repair-time rows by group; regions are rolled up to the children of the chosen region. */
  private async repairTimeRows(context: Context, groupBy: RepairTimeGroup): Promise<RepairTimeRow[]> {
    const column = FACT_GROUP[groupBy];
    const [totals, durations] = await Promise.all([
      this.repository.factTotals(context.filter, context.fromMs, context.toMs, column, ['fixes']),
      this.repository.durations(context.filter, context.fromMs, context.toMs, column, ['restore_hours', 'repair_hours']),
    ]);
    const groups = new Map<string, { label: string; totals: FactTotals; restore: number[]; repair: number[] }>();
    const children = childRegions(context);
    const pathOf = new Map(context.regions.map((region) => [region.id, region.path]));
    const groupOf = (key: string | null, label: string | null): { key: string; label: string } | null => {
      switch (groupBy) {
        case 'model':
          return { key: key!, label: context.models.get(Number(key))?.name ?? `#${key}` };
        case 'supplier':
          return { key: key!, label: context.suppliers.get(Number(key)) ?? `#${key}` };
        case 'vendor':
          return key === null ? null : { key, label: key };
        case 'technician':
          return key === null ? { key: 'unassigned', label: 'unassigned' } : { key, label: label ?? key };
        case 'region': {
          const path = pathOf.get(Number(key)) ?? '';
          const child = children.find((candidate) => path.startsWith(candidate.path));
          return child ? { key: String(child.id), label: child.name } : null;
        }
      }
    };
    const entry = (key: string | null, label: string | null) => {
      const group = groupOf(key, label);
      if (!group) return null;
      let found = groups.get(group.key);
      if (!found) {
        found = { label: group.label, totals: NO_TICKETS, restore: [], repair: [] };
        groups.set(group.key, found);
      }
      return found;
    };
    for (const row of totals) {
      const found = entry(row.key, row.label);
      if (found && row.failures > 0) found.totals = addTotals(found.totals, row);
    }
    for (const [key, hours] of durations) {
      const found = entry(key, null);
      found?.restore.push(...hours.restore_hours);
      found?.repair.push(...hours.repair_hours);
    }
    return [...groups]
      .filter(([, group]) => group.totals.failures > 0)
      .map(([key, group]) => repairTimeRow(key, group.label, group.totals, group.restore, group.repair))
      .sort((a, b) => b.tickets - a.tickets || a.label.localeCompare(b.label));
  }

  // ---- costs and cost of ownership

  async costs(query: CostQueryDto): Promise<CostReport> {
    const context = await this.context(query);
    return { scope: context.scope, groupBy: query.groupBy, rows: await this.costRows(context, query.groupBy) };
  }

  private async costRows(context: Context, groupBy: CostGroup): Promise<CostRow[]> {
    const column = groupBy === 'model' ? 'model_id' : 'supplier_id';
    const [cells, totals] = await Promise.all([this.repository.cellSums(context.filter, 'age', [column]), this.repository.factTotals(context.filter, context.fromMs, context.toMs, column, ['costs', 'claims'])]);
    const idOf = (cell: CellSum) => (groupBy === 'model' ? cell.modelId! : cell.supplierId!);
    const labelOf = (id: number) => (groupBy === 'model' ? (context.models.get(id)?.name ?? `#${id}`) : (context.suppliers.get(id) ?? `#${id}`));
    const ids = new Set([...cells.map(idOf), ...totals.map((row) => Number(row.key))]);
    return [...ids]
      .map((id) =>
        costRow(String(id), labelOf(id), cells.find((cell) => idOf(cell) === id) ?? emptyCell(), totals.find((row) => Number(row.key) === id) ?? NO_TICKETS, context.currency),
      )
      .sort((a, b) => a.label.localeCompare(b.label));
  }

  async tco(query: ModelsQueryDto): Promise<TcoReport> {
    const context = await this.context(query, query.modelIds);
    return { scope: context.scope, rows: await this.tcoRows(context, query.modelIds ?? [...context.models.keys()]) };
  }

  /**
   * Cost of ownership per terminal-year of each model: the price spread over
   * the planned service life, the period's repair costs (the bank's and the
   * others'), insurance premiums, downtime (hours from report to service
   * restored × the cost of an hour) and the spares the model keeps on the
   * shelf (their price spread the same way), all over the model's exposure.
   */
  private async tcoRows(context: Context, modelIds: readonly number[]): Promise<TcoRow[]> {
    const filter = { ...context.filter, modelIds };
    const { serviceLifeYears, downtimeCostPerHour } = this.config.analytics;
    const [cells, totals, stock, units] = await Promise.all([
      this.repository.cellSums(filter, 'age', ['model_id']),
      this.repository.factTotals(filter, context.fromMs, context.toMs, 'model_id', ['costs']),
      this.repository.inventory(filter, 'model_id'),
      this.repository.unitsBy(filter, 'model_id'),
    ]);
    return modelIds
      .filter((id) => context.models.has(id))
      .map((id) => {
        const model = context.models.get(id)!;
        const exposure = cells.find((cell) => cell.modelId === id)?.exposureYears ?? 0;
        const own = totals.find((row) => Number(row.key) === id) ?? NO_TICKETS;
        const bank = own.costs.bank;
        const others = COST_PAYERS.reduce((sum, payer) => sum + (payer === 'bank' ? 0 : own.costs[payer]), 0);
        const inventory = stock.get(id);
        const price = inventory && inventory.priced > 0 ? inventory.priceSum / inventory.priced : model.listPrice;
        // Hours without a working terminal: report → service restored, or → the end of the period while still down.
        const downtimeHours = own.downtimeHours;
        const spareCount = inventory?.spares ?? 0;
        const purchase = price === null ? null : roundTo(price / serviceLifeYears, 2);
        const repairsBank = perYear(bank, exposure);
        const repairsOthers = perYear(others, exposure);
        // The model's yearly premiums spread over all its terminals.
        const premiumsPerYear = exposure > 0 ? roundTo((inventory?.premium ?? 0) / Math.max(1, inventory?.terminals ?? 0), 2) : null;
        const downtime = perYear(downtimeHours * downtimeCostPerHour, exposure);
        const sparesPerYear = price === null || exposure <= 0 ? null : roundTo((spareCount * (price / serviceLifeYears) * context.periodYears) / exposure, 2);
        const parts = [purchase, repairsBank, repairsOthers, premiumsPerYear, downtime, sparesPerYear];
        return {
          model: { id, name: model.name },
          units: units.get(id) ?? 0,
          exposureYears: roundTo(exposure, 3),
          perTerminalYear: {
            purchase,
            repairsBank,
            repairsOthers,
            premiums: premiumsPerYear,
            downtime,
            spares: sparesPerYear,
            total: parts.every((part) => part === null) ? null : roundTo(parts.reduce<number>((sum, part) => sum + (part ?? 0), 0), 2),
          },
          currency: model.currency,
          assumptions: { serviceLifeYears, downtimeCostPerHour, averagePrice: price === null ? null : roundTo(price, 2), spares: spareCount },
        };
      });
  }

  // ---- supplier scorecard

  async supplierScorecard(query: AnalyticsQueryDto): Promise<SupplierScorecard> {
    const context = await this.context(query);
    const [cells, units, totals, rma] = await Promise.all([
      this.repository.cellSums(context.filter, 'age', ['supplier_id']),
      this.repository.unitsBy(context.filter, 'supplier_id'),
      this.repository.factTotals(context.filter, context.fromMs, context.toMs, 'supplier_id', ['costs', 'claims']),
      this.repository.durations(context.filter, context.fromMs, context.toMs, 'supplier_id', ['rma_hours']),
    ]);
    const standings = new Map(
      rankByRate(cells.map((cell) => ({ key: String(cell.supplierId), failures: cell.failures, exposure: cell.exposureYears })).filter((item) => item.exposure > 0)).map((item) => [item.key, item.standing]),
    );
    const suppliers = cells
      .map((cell) => {
        const id = cell.supplierId!;
        const own = totals.find((row) => Number(row.key) === id) ?? NO_TICKETS;
        const claims = claimFigure(own.warranty);
        return {
          supplier: { id, name: context.suppliers.get(id) ?? `#${id}` },
          units: units.get(id) ?? 0,
          failureRate: rateFigure(cell.failures, cell.exposureYears),
          earlyLife: rateFigure(cell.earlyFailures, cell.earlyExposureYears),
          turnaround: durationFigure(rma.get(String(id))?.rma_hours ?? []),
          claimAcceptance: claims.acceptance,
          recovered: claims.recovered,
          costPerTerminalYear: perYear(
            COST_PAYERS.reduce((sum, payer) => sum + own.costs[payer], 0),
            cell.exposureYears,
          ),
          standing: standings.get(String(id)) ?? ('insufficient' as RankStanding),
        };
      })
      .sort((a, b) => standingOrder(a.standing) - standingOrder(b.standing) || (a.failureRate.ratePer100Years ?? Infinity) - (b.failureRate.ratePer100Years ?? Infinity));
    return { scope: context.scope, suppliers, currency: context.currency };
  }

  // ---- model comparison

  async compareModels(query: ModelComparisonQueryDto): Promise<ModelComparison> {
    const modelIds = [...new Set(query.modelIds)];
    if (modelIds.length < 2) throw DomainException.invalidField('modelIds', 'tooFew', 'name 2 to 5 different models');
    const context = await this.context(query, modelIds);
    for (const id of modelIds) if (!context.models.has(id)) throw DomainException.invalidField('modelIds', 'notFound', `no model ${id}`);
    const filter = { ...context.filter, modelIds };
    const [cells, units, survivals, totals, durations, tco] = await Promise.all([
      this.repository.cellSums(filter, 'age', ['model_id']),
      this.repository.unitsBy(filter, 'model_id'),
      this.modelSurvivals(context, modelIds),
      this.repository.factTotals(filter, context.fromMs, context.toMs, 'model_id', ['fixes', 'costs', 'claims']),
      this.repository.durations(filter, context.fromMs, context.toMs, 'model_id', ['restore_hours', 'repair_hours']),
      this.tcoRows(context, modelIds),
    ]);
    const cellOf = (id: number) => cells.find((cell) => cell.modelId === id) ?? emptyCell();
    const ranking = rankByRate(modelIds.map((id) => ({ key: String(id), failures: cellOf(id).failures, exposure: Math.max(cellOf(id).exposureYears, Number.MIN_VALUE) })));
    const columns: ModelComparisonColumn[] = modelIds.map((id) => {
      const model = context.models.get(id)!;
      const cell = cellOf(id);
      const rank = ranking.find((item) => item.key === String(id))!;
      const ownTotals = totals.find((row) => Number(row.key) === id) ?? NO_TICKETS;
      const estimate = mtbf(Math.max(cell.exposureYears, Number.MIN_VALUE), cell.failures);
      return {
        model: { id, name: model.name, manufacturer: model.manufacturer, category: model.category, listPrice: model.listPrice, currency: model.currency },
        units: units.get(id) ?? 0,
        failureRate: rateFigure(cell.failures, cell.exposureYears),
        earlyLife: rateFigure(cell.earlyFailures, cell.earlyExposureYears),
        mtbf: cell.exposureYears > 0 ? { years: estimate.mtbf === null ? null : roundTo(estimate.mtbf, 2), lower: roundTo(estimate.lower, 2), upper: estimate.upper === null ? null : roundTo(estimate.upper, 2) } : { years: null, lower: 0, upper: null },
        survival: survivals.find((survival) => survival.model.id === id)!,
        repairs: repairTimeRow(String(id), model.name, ownTotals, durations.get(String(id))?.restore_hours ?? [], durations.get(String(id))?.repair_hours ?? []),
        costs: costRow(String(id), model.name, cell, ownTotals, model.currency),
        tco: tco.find((row) => row.model.id === id)!,
        standing: rank.standing,
        rank: rank.rank,
      };
    });
    columns.sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity));
    return { scope: context.scope, models: columns, summary: columns.map(comparisonSentence) };
  }

  // ---- spare pool sizing

  /**
   * Per region (the children of the chosen region, or the top-level regions):
   * the installed base as the units in service on average over the period
   * (exposure / period length), the failure rate of the region (the fleet's
   * when the region has too little data), the turnaround (the measured median
   * report → repaired time of the region's tickets, the fleet's when it has
   * none, or the one asked for), and the spares that cover the Poisson demand
   * during one turnaround at the service level, against the spares on hand.
   */
  async spares(query: SpareSizingQueryDto): Promise<SpareSizingReport> {
    const context = await this.context(query);
    const serviceLevel = query.serviceLevel ?? 0.95;
    // Only a fault that needed a repair decision takes the unit away (a fix on first response does not).
    const [cells, total, repairs, stock] = await Promise.all([
      this.repository.cellSums(context.filter, 'age', ['region_id']),
      this.repository.cellSums(context.filter, 'age', []),
      this.repository.durations(context.filter, context.fromMs, context.toMs, 'region_id', ['repair_hours'], true),
      this.repository.inventory(context.filter, 'region_id'),
    ]);
    const fleetCell = total[0] ?? emptyCell();
    const fleetRate = fleetCell.exposureYears > 0 ? fleetCell.failures / fleetCell.exposureYears : 0;
    const repairDays = (hours: readonly number[]) => {
      const figure = durationFigure(hours);
      return figure.medianHours === null ? null : figure.medianHours / 24;
    };
    const fleetTurnaround = repairDays([...repairs.values()].flatMap((hours) => hours.repair_hours)) ?? 7;
    const pathOf = new Map(context.regions.map((region) => [region.id, region.path]));
    const rows: SpareSizingRow[] = childRegions(context).map((region) => {
      const inside = (regionId: number) => (pathOf.get(regionId) ?? '').startsWith(region.path);
      const cell = cells.filter((c) => inside(c.regionId!)).reduce((sum, c) => addCell(sum, c), emptyCell());
      const own = rateFigure(cell.failures, cell.exposureYears);
      const useOwn = own.verdict === 'sufficient';
      const annualFailureRate = useOwn ? cell.failures / cell.exposureYears : fleetRate;
      const installedBase = Math.round(cell.exposureYears / context.periodYears);
      const turnaroundDays = query.turnaroundDays ?? repairDays([...repairs].filter(([regionId]) => inside(Number(regionId))).flatMap(([, hours]) => hours.repair_hours)) ?? fleetTurnaround;
      const expectedDemand = expectedDemandDuringTurnaround({ installedBase, annualFailureRate, turnaroundDays });
      const recommended = recommendedSpares(expectedDemand, serviceLevel);
      const spares = [...stock].filter(([regionId]) => inside(regionId)).reduce((sum, [, inventory]) => sum + inventory.spares, 0);
      return {
        region: { id: region.id, name: region.name },
        installedBase,
        annualFailureRate: roundTo(annualFailureRate, 4),
        rateSource: useOwn ? 'region' : 'fleet',
        turnaroundDays: roundTo(turnaroundDays, 1),
        expectedDemand: roundTo(expectedDemand, 2),
        recommended,
        onHand: spares,
        gap: spares - recommended,
      };
    });
    return { scope: context.scope, serviceLevel, rows: rows.filter((row) => row.installedBase > 0 || row.onHand > 0) };
  }

  // ---- repair or replace

  async repairOrReplace(terminalId: number, query: RepairOrReplaceQueryDto): Promise<RepairOrReplaceAnswer> {
    const terminal = await this.terminals.getTerminal(terminalId);
    const today = this.clock.today();
    const to = monthOf(this.clock.now().getTime());
    const context = await this.context({ from: addMonths(to, -11), to });
    const model = context.models.get(terminal.modelId)!;
    const { serviceLifeYears } = this.config.analytics;
    const ownFilter = { ...context.filter, regionPath: undefined, modelIds: [terminal.modelId] };
    const [ownBands, fleetBands, [history], policy] = await Promise.all([
      this.repository.cellSums(ownFilter, 'age', ['group_key']),
      this.repository.cellSums({ ...context.filter, regionPath: undefined }, 'age', ['group_key']),
      this.repository.factTotals({ ...ownFilter, from: addMonths(to, -35) }, monthStart(addMonths(to, -35)), context.toMs, null, ['costs']),
      terminal.insurancePolicyId === null ? Promise.resolve(null) : this.repository.policyPeriod(terminal.insurancePolicyId),
    ]);
    const ownRows = ageBandRows(ownBands.map((cell) => ({ ...cell, modelId: terminal.modelId })));
    const fleetRows = ageBandRows(fleetBands.map((cell) => ({ ...cell, modelId: terminal.modelId })));
    // A band where the model has too little data takes the fleet's rate for that age.
    const rates = ownRows.map((band, index) => (band.verdict === 'sufficient' ? band : fleetRows[index]!));
    const purchase = terminal.purchaseDate ?? today;
    const ageYears = Math.max(0, (Date.parse(`${today}T00:00:00Z`) - Date.parse(`${purchase}T00:00:00Z`)) / (YEAR_DAYS * DAY_MS));
    const daysUntil = (end: string | null) => (end === null ? 0 : Math.max(0, Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS)));
    // What a repair the bank paid for cost it on average, over the model's last three years of tickets.
    const averageRepairCost = history && history.bankPaidTickets > 0 ? roundTo(history.costs.bank / history.bankPaidTickets, 2) : (query.repairQuote ?? 0);
    const warrantyDaysLeft = terminal.warrantyStart !== null && terminal.warrantyStart > today ? 0 : daysUntil(terminal.warrantyEnd);
    const replacementPrice = query.replacementPrice ?? model.listPrice ?? terminal.purchasePrice;
    if (replacementPrice === null) throw DomainException.invalidField('replacementPrice', 'required', 'the model has no list price; give the price of a new unit');
    const result = repairOrReplace({
      ageYears,
      serviceLifeYears,
      warrantyDaysLeft,
      repairCovered: warrantyDaysLeft > 0,
      repairQuote: query.repairQuote ?? null,
      replacementPrice,
      newWarrantyDays: model.defaultWarrantyMonths * (YEAR_DAYS / 12),
      averageRepairCost,
      rates: rates.map((band) => ({ fromDays: band.fromDays, ratePerYear: (band.ratePer100Years ?? 0) / 100 })),
    });
    return {
      terminal: { id: terminal.id, name: terminal.assetNumber, model: { id: model.id, name: model.name }, purchaseDate: terminal.purchaseDate },
      ageYears: roundTo(ageYears, 2),
      warrantyDaysLeft,
      insuranceDaysLeft: policy && policy.startDate <= today ? daysUntil(policy.endDate) : 0,
      repairCovered: warrantyDaysLeft > 0,
      repairQuote: query.repairQuote ?? null,
      replacementPrice,
      averageRepairCost,
      rates,
      remainingYears: roundTo(result.remainingYears, 2),
      expectedFailuresIfRepaired: roundTo(result.expectedFailuresIfRepaired, 3),
      expectedFailuresIfReplaced: roundTo(result.expectedFailuresIfReplaced, 3),
      costIfRepaired: roundTo(result.costIfRepaired, 2),
      costIfReplaced: roundTo(result.costIfReplaced, 2),
      recommendation: result.recommendation,
      reasons: result.reasons.map((reason) => ({ ...reason, value: roundTo(reason.value, 3) })),
      currency: model.currency,
    };
  }

  // ---- the period, the filters and the reference data

  private async context(query: AnalyticsQueryDto, modelIds?: readonly number[]): Promise<Context> {
    const now = this.clock.now().getTime();
    const to = query.to ?? monthOf(now);
    const from = query.from ?? addMonths(to, -11);
    if (from > to) throw DomainException.invalidField('from', 'afterTo', `from (${from}) must not be after to (${to})`);
    if (addMonths(from, MAX_PERIOD_MONTHS - 1) < to) throw DomainException.invalidField('from', 'periodTooLong', `a period is at most ${MAX_PERIOD_MONTHS} months`);
    const [models, suppliers, regions] = await Promise.all([this.repository.models(), this.repository.suppliers(), this.repository.regions()]);
    const scope = requestScope();
    let region: RegionRow | null = null;
    if (query.regionId !== undefined) {
      region = regions.find((candidate) => candidate.id === query.regionId) ?? null;
      if (!region) throw DomainException.invalidField('regionId', 'notFound', `no region ${query.regionId}`);
      if (!withinScope(scope, region.path)) throw DomainException.invalidField('regionId', 'outsideScope', 'outside the region you are limited to');
    } else if (scope) {
      region = regions.find((candidate) => candidate.id === scope.regionId) ?? null;
    }
    const modelMap = new Map(models.map((model) => [model.id, model]));
    if (query.modelId !== undefined && !modelMap.has(query.modelId)) throw DomainException.invalidField('modelId', 'notFound', `no model ${query.modelId}`);
    const supplierMap = new Map(suppliers.map((supplier) => [supplier.id, supplier.name]));
    if (query.supplierId !== undefined && !supplierMap.has(query.supplierId)) throw DomainException.invalidField('supplierId', 'notFound', `no supplier ${query.supplierId}`);
    const fromMs = monthStart(from);
    const toMs = Math.min(monthStart(addMonths(to, 1)), now);
    const asOf = await this.rollups.asOf();
    const ids = modelIds ?? (query.modelId !== undefined ? [query.modelId] : undefined);
    const model = query.modelId !== undefined ? modelMap.get(query.modelId)! : null;
    return {
      filter: { from, to, regionPath: region?.path ?? scope?.path, modelIds: ids, supplierId: query.supplierId, category: query.category },
      scope: {
        from,
        to,
        asOf: asOf?.toISOString() ?? null,
        region: region ? { id: region.id, name: region.name } : null,
        model: model ? { id: model.id, name: model.name } : null,
        supplier: query.supplierId !== undefined ? { id: query.supplierId, name: supplierMap.get(query.supplierId)! } : null,
        category: query.category ?? null,
      },
      fromMs,
      toMs,
      periodYears: Math.max(toMs - fromMs, DAY_MS) / (YEAR_DAYS * DAY_MS),
      models: modelMap,
      suppliers: supplierMap,
      regions,
      region,
      currency: models[0]?.currency ?? 'CNY',
    };
  }
}

// ---- helpers

function emptyCell(): CellSum {
  return { modelId: null, supplierId: null, regionId: null, key: null, exposureYears: 0, failures: 0, earlyExposureYears: 0, earlyFailures: 0 };
}

function addCell(target: CellSum, cell: CellSum): CellSum {
  target.exposureYears += cell.exposureYears;
  target.failures += cell.failures;
  target.earlyExposureYears += cell.earlyExposureYears;
  target.earlyFailures += cell.earlyFailures;
  return target;
}

function row(key: string, label: string, cell: CellSum, units: number | null): FailureRateRow {
  return { ...rateFigure(cell.failures, cell.exposureYears), key, label, units, earlyLife: rateFigure(cell.earlyFailures, cell.earlyExposureYears), standing: 'insufficient' };
}

function standingOf(rate: RateFigure): RankStanding {
  return rate.verdict === 'sufficient' ? 'indistinguishable' : 'insufficient';
}

/** Rows ordered and marked as rankByRate does: best first, small samples last and flagged. */
function ranked(rows: FailureRateRow[]): FailureRateRow[] {
  const order = rankByRate(rows.map((r) => ({ key: r.key, failures: r.failures, exposure: Math.max(r.exposureYears, Number.MIN_VALUE) })));
  return order.map((item) => ({ ...rows.find((r) => r.key === item.key)!, standing: item.standing }));
}

function standingOrder(standing: RankStanding): number {
  return ['best', 'indistinguishable', 'worse', 'insufficient'].indexOf(standing);
}

function ageBandRows(cells: readonly CellSum[]): AgeBandRateRow[] {
  return AGE_BANDS_DAYS.map((fromDays, index) => {
    const cell = cells.find((c) => Number(c.key) === fromDays) ?? emptyCell();
    return { ...rateFigure(cell.failures, cell.exposureYears), fromDays, toDays: AGE_BANDS_DAYS[index + 1] ?? null };
  });
}

/** A band's representative age for the trend test; the open last band counts one year past its start. */
function bandMidYears(fromDays: number, toDays: number | null): number {
  return ((toDays === null ? fromDays + YEAR_DAYS : (fromDays + toDays) / 2) as number) / YEAR_DAYS;
}

/** The regions a breakdown by region shows: the children of the chosen region, or the top-level ones (a leaf shows itself). */
function childRegions(context: Context): RegionRow[] {
  const parent = context.region;
  const children = context.regions.filter((region) => (parent ? region.parentId === parent.id : region.parentId === null));
  return children.length === 0 && parent ? [parent] : children;
}

function costRow(key: string, label: string, cell: CellSum, totals: FactTotals, currency: string): CostRow {
  const byPayer = costsByPayer(totals);
  const total = roundTo(
    COST_PAYERS.reduce((sum, payer) => sum + byPayer[payer], 0),
    2,
  );
  return {
    key,
    label,
    exposureYears: roundTo(cell.exposureYears, 3),
    failures: cell.failures,
    byPayer,
    total,
    perTerminalYear: perYear(total, cell.exposureYears),
    bankPerTerminalYear: perYear(byPayer.bank, cell.exposureYears),
    warrantyClaims: claimFigure(totals.warranty),
    insuranceClaims: claimFigure(totals.insurance),
    currency,
  };
}

function comparisonSentence(column: ModelComparisonColumn): string {
  const rate = column.failureRate;
  const name = column.model.name;
  if (rate.verdict === 'insufficient') {
    return rate.upper === null
      ? `${name}: no time in service in the period, so nothing can be said.`
      : `${name}: not enough data to rank (${rate.failures} failures in ${rate.exposureYears} terminal-years); the rate could be as high as ${rate.upper} per 100 terminal-years.`;
  }
  const where = column.standing === 'best' ? 'the most reliable' : column.standing === 'worse' ? 'clearly less reliable than the best' : 'not distinguishable from the best';
  return `${name}: ${rate.ratePer100Years} failures per 100 terminal-years (95% interval ${rate.lower}–${rate.upper}), ${where}${column.survival.trend.direction === 'rising' ? '; failures rise with age' : ''}.`;
}
