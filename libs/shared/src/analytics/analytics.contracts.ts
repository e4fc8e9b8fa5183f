/**
 * Reliability analytics (可靠性分析): the requests and answers of
 * /api/v1/analytics. Every figure carries the sample behind it and, where it
 * is an estimate, its 95% interval, so the dashboard can say how sure it is.
 */
import type { TerminalCategory } from '../terminals/lifecycle';
import type { IsoDateTime, Ref } from '../terminals/terminals.contracts';
import type { CostPayer } from '../incidents/incidents.contracts';
import { EARLY_RESOLUTIONS, type IncidentResolution } from '../incidents/incident-workflow';
import type { HazardTrend, RankStanding, RateVerdict } from './reliability-statistics';
import type { RepairOrReplaceResult } from './repair-or-replace';

/**
 * A ticket is a failure unless it was closed as no fault found, a duplicate or
 * cancelled (the resolutions of a ticket that needed no repair); an open
 * ticket counts, since most open tickets are real faults.
 */
export const INCIDENT_NO_FAILURE_RESOLUTIONS: readonly IncidentResolution[] = EARLY_RESOLUTIONS;

/** A calendar month, `YYYY-MM`: the grain of the exposure rollups and of every analytics period. */
export type YearMonth = string;

/** Age bands of the rates by age, in days since purchase (the last band is open). The first band is early life. */
export const AGE_BANDS_DAYS = [0, 90, 365, 730, 1095, 1460, 1825] as const;
export const EARLY_LIFE_BAND_DAYS = 90;

export const FAILURE_RATE_GROUPS = ['model', 'supplier', 'batch', 'region', 'category', 'age_band', 'firmware', 'cause'] as const;
export type FailureRateGroup = (typeof FAILURE_RATE_GROUPS)[number];

export const REPAIR_TIME_GROUPS = ['model', 'supplier', 'vendor', 'region', 'technician'] as const;
export type RepairTimeGroup = (typeof REPAIR_TIME_GROUPS)[number];

export const COST_GROUPS = ['model', 'supplier'] as const;
export type CostGroup = (typeof COST_GROUPS)[number];

/** The filters every analytics figure takes. The period is whole months, `from` and `to` included. */
export interface AnalyticsQuery {
  from?: YearMonth;
  to?: YearMonth;
  /** The region and its sub-regions (a user limited to a region is always limited to it). */
  regionId?: number;
  modelId?: number;
  supplierId?: number;
  category?: TerminalCategory;
}

/** What a figure was computed over: echoed with every answer and shown beside it. */
export interface AnalyticsScope {
  from: YearMonth;
  to: YearMonth;
  /** The rollups are complete up to this instant (the current month is counted up to it). */
  asOf: IsoDateTime | null;
  region: Ref | null;
  model: Ref | null;
  supplier: Ref | null;
  category: TerminalCategory | null;
}

/** An estimate with its 95% interval; null bounds when there is nothing to estimate from. */
export interface Estimate {
  value: number | null;
  lower: number | null;
  upper: number | null;
}

/** Failures per 100 terminal-years of in-service exposure, with an exact Poisson interval. */
export interface RateFigure {
  failures: number;
  /** Terminal-years in service (deployed) within the period. */
  exposureYears: number;
  /** Null when there was no exposure at all (nothing to divide by). */
  ratePer100Years: number | null;
  lower: number | null;
  upper: number | null;
  verdict: RateVerdict;
}

/** A share (first-time fix, reopen, claim acceptance) with its Wilson 95% interval. */
export interface ProportionFigure {
  successes: number;
  total: number;
  rate: number | null;
  lower: number | null;
  upper: number | null;
}

export interface DurationFigure {
  /** How many tickets the figure is computed from. */
  count: number;
  medianHours: number | null;
  p90Hours: number | null;
}

export interface FailureRateRow extends RateFigure {
  /** The group's key: an id, a batch or firmware string, an age band's lower limit in days, a cause. */
  key: string;
  label: string;
  /** Units in service at the end of the period. Null for age bands and causes. */
  units: number | null;
  /** Early life: failures and exposure in the first 90 days after purchase. Null for age bands and causes. */
  earlyLife: RateFigure | null;
  standing: RankStanding;
}

export interface FailureRateReport {
  scope: AnalyticsScope;
  groupBy: FailureRateGroup;
  total: RateFigure;
  rows: FailureRateRow[];
}

export interface SurvivalPoint {
  /** Months in service (cumulative deployed time) since the unit was first deployed. */
  months: number;
  survival: number;
  lower: number;
  upper: number;
  atRisk: number;
  events: number;
}

export interface AgeBandRateRow extends RateFigure {
  fromDays: number;
  toDays: number | null;
}

export interface ModelSurvival {
  model: Ref;
  /** Units ever deployed, and how many of them failed at least once. */
  units: number;
  failedUnits: number;
  curve: SurvivalPoint[];
  ageBands: AgeBandRateRow[];
  trend: HazardTrend;
}

export interface SurvivalReport {
  scope: AnalyticsScope;
  models: ModelSurvival[];
}

export interface MtbfFigure {
  /** Years in service per failure; null when no failure was seen (the lower bound still says something). */
  years: number | null;
  lower: number;
  upper: number | null;
}

export interface RepairTimeRow {
  key: string;
  label: string;
  /** Tickets reported in the period and closed as a real fault. */
  tickets: number;
  /** Report → service restored (a spare lent, a fix on first response, or the repaired unit back). */
  restore: DurationFigure;
  /** Report → the unit itself repaired or replaced (the passing test, or the first response that fixed it). */
  repair: DurationFigure;
  firstTimeFix: ProportionFigure;
  reopen: ProportionFigure;
}

export interface RepairTimeReport {
  scope: AnalyticsScope;
  groupBy: RepairTimeGroup;
  rows: RepairTimeRow[];
}

export interface ClaimFigure {
  /** Claims decided (approved, paid or rejected) and of them accepted (approved or paid). */
  acceptance: ProportionFigure;
  claimed: number;
  recovered: number;
  pending: number;
}

export interface CostRow {
  key: string;
  label: string;
  exposureYears: number;
  failures: number;
  /** Repair cost in the period by who paid it. */
  byPayer: Record<CostPayer, number>;
  total: number;
  /** Total per terminal-year of exposure; the bank's share per terminal-year. */
  perTerminalYear: number | null;
  bankPerTerminalYear: number | null;
  warrantyClaims: ClaimFigure;
  insuranceClaims: ClaimFigure;
  currency: string;
}

export interface CostReport {
  scope: AnalyticsScope;
  groupBy: CostGroup;
  rows: CostRow[];
}

/** Total cost of ownership per terminal-year of one model, by component. */
export interface TcoBreakdown {
  purchase: number | null;
  repairsBank: number | null;
  repairsOthers: number | null;
  premiums: number | null;
  downtime: number | null;
  spares: number | null;
  total: number | null;
}

export interface TcoRow {
  model: Ref;
  units: number;
  exposureYears: number;
  perTerminalYear: TcoBreakdown;
  currency: string;
  /** The assumptions behind the figures, as shown in the "how is this computed" note. */
  assumptions: { serviceLifeYears: number; downtimeCostPerHour: number; averagePrice: number | null; spares: number };
}

export interface TcoReport {
  scope: AnalyticsScope;
  rows: TcoRow[];
}

export interface SupplierScore {
  supplier: Ref;
  units: number;
  failureRate: RateFigure;
  earlyLife: RateFigure;
  /** Supplier RMA turnaround: shipped → back, in days (from hours). */
  turnaround: DurationFigure;
  claimAcceptance: ProportionFigure;
  recovered: number;
  costPerTerminalYear: number | null;
  standing: RankStanding;
}

export interface SupplierScorecard {
  scope: AnalyticsScope;
  suppliers: SupplierScore[];
  currency: string;
}

export interface ModelComparisonColumn {
  model: Ref & { manufacturer: string; category: TerminalCategory; listPrice: number | null; currency: string };
  units: number;
  failureRate: RateFigure;
  earlyLife: RateFigure;
  mtbf: MtbfFigure;
  survival: ModelSurvival;
  repairs: RepairTimeRow;
  costs: CostRow;
  tco: TcoRow;
  standing: RankStanding;
  /** 1 for the best; null when the model has too little data to be ranked. */
  rank: number | null;
}

export interface ModelComparison {
  scope: AnalyticsScope;
  models: ModelComparisonColumn[];
  /** One sentence per model saying where it stands and how sure that is. */
  summary: string[];
}

/** The terminal, the inputs of repair-or-replace as they were found, and its result (repair-or-replace.ts). */
export interface RepairOrReplaceAnswer extends RepairOrReplaceResult {
  terminal: Ref & { model: Ref; purchaseDate: string | null };
  ageYears: number;
  warrantyDaysLeft: number;
  insuranceDaysLeft: number;
  /** Whether the supplier's warranty pays for this repair. */
  repairCovered: boolean;
  repairQuote: number | null;
  replacementPrice: number | null;
  /** The model's average cost of one repair to the bank, from its tickets' costs (the quote when there are none). */
  averageRepairCost: number;
  /** The model's rate by age band (failures per terminal-year) over the last 12 months, the fleet's where the model has too little data. */
  rates: AgeBandRateRow[];
  currency: string;
}

export interface SpareSizingRow {
  region: Ref;
  installedBase: number;
  /** Failures per terminal-year of the region's installed models (its own figure, or the fleet's when the region has too little data). */
  annualFailureRate: number;
  rateSource: 'region' | 'fleet';
  turnaroundDays: number;
  expectedDemand: number;
  recommended: number;
  onHand: number;
  /** onHand − recommended: negative means short. */
  gap: number;
}

export interface SpareSizingReport {
  scope: AnalyticsScope;
  serviceLevel: number;
  rows: SpareSizingRow[];
}

export interface SpareSizingQuery extends AnalyticsQuery {
  serviceLevel?: number;
  /** Overrides the measured repair turnaround, in days. */
  turnaroundDays?: number;
}

export interface ModelComparisonQuery extends Omit<AnalyticsQuery, 'modelId'> {
  /** Two to five model ids, comma-separated in the query string. */
  modelIds: number[];
}

export interface RepairOrReplaceQuery {
  repairQuote?: number;
  replacementPrice?: number;
}

export interface AnalyticsStatus {
  asOf: IsoDateTime | null;
  firstMonth: YearMonth | null;
  lastMonth: YearMonth | null;
  /** Audit entries and tickets not yet in the rollups. */
  pending: boolean;
}

/** Heartbeat trends watched for the proactive swap list (预防性更换). */
export const EARLY_WARNING_SIGNALS = ['battery_fade', 'error_rise', 'reboot_rise', 'signal_weakening', 'temperature_rise'] as const;
export type EarlyWarningSignal = (typeof EARLY_WARNING_SIGNALS)[number];

export interface EarlyWarningEvidence {
  signal: EarlyWarningSignal;
  /** The signal over the recent window and over the baseline window before it (units: % battery, errors/day, reboots/day, dBm, °C). */
  recent: number | null;
  baseline: number | null;
  /** recent − baseline, signed so that a larger value is worse. */
  change: number | null;
  /** The same change among units that failed afterwards (median), for comparison. */
  failedMedianChange: number | null;
  /**
   * How much more common a change like this one was among units that failed afterwards than among the others
   * (the nearest units of each group, shrunk towards 1 for small samples; early-warning.ts).
   */
  likelihoodRatio: number | null;
}

export interface EarlyWarningRow {
  terminal: Ref;
  model: Ref;
  region: Ref;
  /** Combined evidence, higher is more likely to fail soon; rows are sorted by it. */
  score: number;
  evidence: EarlyWarningEvidence[];
}

export interface EarlyWarningReport {
  asOf: IsoDateTime | null;
  /** What the comparison learnt from: units that failed after a window, units that did not, and the windows' length. */
  basis: { failedUnits: number; healthyUnits: number; recentDays: number; baselineDays: number };
  items: EarlyWarningRow[];
  total: number;
  page: number;
  pageSize: number;
}
