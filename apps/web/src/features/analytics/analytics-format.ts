/**
 * Pure helpers of the analytics pages: the filters and picked models read
 * from the URL, how many decimals a figure deserves, where a figure stands
 * (a rate too uncertain to show, a spare pool short), the models of a
 * comparison in ranking order, links to the terminals behind a figure, and
 * the chart data of rates with their 95% error bars, survival curves with
 * their band and costs stacked by component. The pages translate and format
 * what these return.
 */
import type { ChartData, ChartDataset } from 'chart.js';
import {
  TERMINAL_CATEGORIES,
  type AnalyticsQuery,
  type ModelComparisonColumn,
  type ModelSurvival,
  type RankStanding,
  type RateFigure,
  type SpareSizingRow,
  type SurvivalPoint,
  type TcoBreakdown,
  type TcoRow,
  type TerminalCategory,
  type TerminalStatus,
  type YearMonth,
} from '@fleet/shared';
import type { en } from '../../i18n/en';

/** A figure named in the texts (`analytics.term.*`) with its definition (`analytics.define.*`). */
export type AnalyticsTermKey = keyof typeof en.analytics.term;
/** A page's "how is this computed" note (`analytics.how.*`). */
export type AnalyticsHowKey = keyof typeof en.analytics.how;

// ---- the filters in the URL

export type RouteQuery = Record<string, unknown>;

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const id = (value: unknown): number | undefined => (typeof value === 'string' && /^\d+$/.test(value) && Number(value) > 0 ? Number(value) : undefined);
const month = (value: unknown): YearMonth | undefined => (typeof value === 'string' && MONTH.test(value) ? value : undefined);

export function oneOf<T extends string>(values: readonly T[], value: unknown, fallback: T): T {
  return typeof value === 'string' && (values as readonly string[]).includes(value) ? (value as T) : fallback;
}

/**
 * The filters every analytics page takes, as a URL holds them
 * (`?from=2025-01&to=2025-12&regionId=3`); anything malformed is left out,
 * so the API's defaults apply. A period given backwards is put right.
 */
export function analyticsFilters(query: RouteQuery): AnalyticsQuery {
  let from = month(query.from);
  let to = month(query.to);
  if (from && to && from > to) [from, to] = [to, from];
  return {
    from,
    to,
    regionId: id(query.regionId),
    modelId: id(query.modelId),
    supplierId: id(query.supplierId),
    category: typeof query.category === 'string' && (TERMINAL_CATEGORIES as readonly string[]).includes(query.category) ? (query.category as TerminalCategory) : undefined,
  };
}

/** The filters a page may offer. */
export const ANALYTICS_FILTER_KEYS = ['period', 'region', 'model', 'supplier', 'category'] as const;
export type AnalyticsFilterKey = (typeof ANALYTICS_FILTER_KEYS)[number];

/** How many models a comparison takes. */
export const COMPARED_MODELS = { min: 2, max: 5 } as const;

/** The models picked for a comparison or survival curves (`?models=3,1,7`): each once, in the order picked, at most five. */
export function modelIdsOf(query: RouteQuery): number[] {
  const ids = typeof query.models === 'string' ? query.models.split(',').flatMap((part) => id(part.trim()) ?? []) : [];
  return [...new Set(ids)].slice(0, COMPARED_MODELS.max);
}

/** The picked models with `modelId` added (at the end) or removed; adding beyond the limit changes nothing. */
export function toggleModel(ids: readonly number[], modelId: number): number[] {
  if (ids.includes(modelId)) return ids.filter((one) => one !== modelId);
  return ids.length >= COMPARED_MODELS.max ? [...ids] : [...ids, modelId];
}

// ---- figures

/** Decimals that show a figure without false precision: none from 100, one from 1, two below. */
export function decimalsFor(value: number): number {
  const size = Math.abs(value);
  if (size >= 100 || size === 0) return 0;
  return size >= 1 ? 1 : 2;
}

/** none: no exposure at all; insufficient: too few failures or terminal-years to say anything; shown: a figure worth reading. */
export type RateState = 'none' | 'insufficient' | 'shown';

export function rateState(figure: Pick<RateFigure, 'exposureYears' | 'verdict' | 'ratePer100Years'>): RateState {
  if (figure.exposureYears <= 0) return 'none';
  return figure.verdict === 'insufficient' || figure.ratePer100Years === null ? 'insufficient' : 'shown';
}

/** A p-value as it is read: "p < 0.001" below that, else rounded to what matters. */
export function pValueParts(pValue: number): { op: '<' | '='; value: number } {
  if (pValue < 0.001) return { op: '<', value: 0.001 };
  return { op: '=', value: pValue < 0.01 ? Math.round(pValue * 1000) / 1000 : Math.round(pValue * 100) / 100 };
}

/**
 * The Kaplan–Meier estimate at `months` in service: the last step at or
 * before it. Null beyond the last point, where the curve says nothing.
 */
export function survivalAt(curve: readonly SurvivalPoint[], months: number): SurvivalPoint | null {
  const last = curve[curve.length - 1];
  if (!last || months > last.months) return null;
  let found: SurvivalPoint | null = null;
  for (const point of curve) {
    if (point.months > months) break;
    found = point;
  }
  return found ?? { months: 0, survival: 1, lower: 1, upper: 1, atRisk: curve[0]?.atRisk ?? 0, events: 0 };
}

/** The models of a comparison as ranked: the ranked ones by rank, then those with too little data to rank, in the order given. */
export function rankingOrder(columns: readonly ModelComparisonColumn[]): ModelComparisonColumn[] {
  return [...columns].sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity));
}

export interface SpareTotals {
  installedBase: number;
  recommended: number;
  onHand: number;
  /** Spares missing in the regions that are short (a surplus elsewhere does not make up for it). */
  shortfall: number;
  regionsShort: number;
}

export function spareTotals(rows: readonly SpareSizingRow[]): SpareTotals {
  return rows.reduce<SpareTotals>(
    (sum, row) => ({
      installedBase: sum.installedBase + row.installedBase,
      recommended: sum.recommended + row.recommended,
      onHand: sum.onHand + row.onHand,
      shortfall: sum.shortfall + Math.max(0, -row.gap),
      regionsShort: sum.regionsShort + (row.gap < 0 ? 1 : 0),
    }),
    { installedBase: 0, recommended: 0, onHand: 0, shortfall: 0, regionsShort: 0 },
  );
}

// ---- links to the terminals behind a figure

export interface TerminalListFilters {
  modelId?: number;
  supplierId?: number;
  regionId?: number;
  category?: TerminalCategory;
  status?: TerminalStatus[];
}

/** The terminal list filtered as given (its URL takes modelId, supplierId, regionId, category and status). */
export function terminalListLink(filters: TerminalListFilters): { name: 'terminals-list'; query: Record<string, string> } {
  const query: Record<string, string> = {};
  for (const [key, value] of Object.entries(filters)) {
    if (Array.isArray(value)) {
      if (value.length) query[key] = value.join(',');
    } else if (value !== undefined && value !== null) query[key] = String(value);
  }
  return { name: 'terminals-list', query };
}

/**
 * The terminals in service behind a row grouped by model, supplier, region or
 * category, within the page's filters; null for groupings the terminal list
 * cannot filter by (batch, firmware, age band, cause, vendor, technician).
 */
export function groupTerminalFilters(groupBy: string, key: string, filters: AnalyticsQuery): TerminalListFilters | null {
  const within: TerminalListFilters = { modelId: filters.modelId, supplierId: filters.supplierId, regionId: filters.regionId, category: filters.category, status: ['deployed'] };
  const groupId = /^\d+$/.test(key) ? Number(key) : undefined;
  switch (groupBy) {
    case 'model':
      return groupId === undefined ? null : { ...within, modelId: groupId };
    case 'supplier':
      return groupId === undefined ? null : { ...within, supplierId: groupId };
    case 'region':
      return groupId === undefined ? null : { ...within, regionId: groupId };
    case 'category':
      return (TERMINAL_CATEGORIES as readonly string[]).includes(key) ? { ...within, category: key as TerminalCategory } : null;
    default:
      return null;
  }
}

// ---- charts

/** A bar's 95% interval, drawn as a whisker by the error-bars plugin. */
export interface ErrorBar {
  lower: number | null;
  upper: number | null;
}

export const STANDING_COLOURS: Readonly<Record<RankStanding | 'none', string>> = {
  best: '#1b7f3b',
  indistinguishable: '#0b5cab',
  worse: '#b3261e',
  insufficient: '#b0b7c0',
  none: '#7b8794',
};

/** One colour per model, in the order picked, distinguishable in print too (a whole catalog's curves repeat them after eight). */
export const SERIES_COLOURS = ['#0b5cab', '#c05621', '#2f855a', '#6b46c1', '#b83280', '#2c7a7b', '#975a16', '#4a5568'] as const;
export const seriesColour = (index: number): string => SERIES_COLOURS[index % SERIES_COLOURS.length]!;

/** `#rrggbb` with an alpha, for bands. */
export function withAlpha(colour: string, alpha: number): string {
  const value = Number.parseInt(colour.slice(1), 16);
  return `rgba(${(value >> 16) & 255}, ${(value >> 8) & 255}, ${value & 255}, ${alpha})`;
}

export interface RateBar {
  label: string;
  figure: RateFigure;
  standing: RankStanding | null;
}

/**
 * A bar per group at its rate per 100 terminal-years, coloured by its
 * standing, with its exact interval as an error bar; a group with too
 * little data keeps its whisker (up to the upper limit, which still says
 * something) but its bar is grey.
 */
export function rateChartData(bars: readonly RateBar[], datasetLabel: string): ChartData<'bar', (number | null)[], string> {
  const colour = (bar: RateBar) => (rateState(bar.figure) === 'shown' ? STANDING_COLOURS[bar.standing ?? 'indistinguishable'] : STANDING_COLOURS.insufficient);
  return {
    labels: bars.map((bar) => bar.label),
    datasets: [
      {
        label: datasetLabel,
        data: bars.map((bar) => bar.figure.ratePer100Years),
        backgroundColor: bars.map(colour),
        errorBars: bars.map((bar) => (bar.figure.exposureYears > 0 ? { lower: bar.figure.lower, upper: bar.figure.upper } : { lower: null, upper: null })),
      },
    ],
  };
}

export type SurvivalDataset = ChartDataset<'line', { x: number; y: number }[]>;

/**
 * Per model its step curve of the share still working by months in service,
 * starting at 100% at month 0, and its 95% band as two invisible lines with
 * the area between them filled. Band datasets have an empty label, so the
 * legend and tooltip leave them out.
 */
export function survivalChartData(models: readonly ModelSurvival[]): ChartData<'line', { x: number; y: number }[]> {
  const datasets: SurvivalDataset[] = [];
  models.forEach((model, index) => {
    const colour = seriesColour(index);
    const points = model.curve[0]?.months === 0 ? model.curve : [{ months: 0, survival: 1, lower: 1, upper: 1, atRisk: 0, events: 0 }, ...model.curve];
    const line = (pick: (point: SurvivalPoint) => number) => points.map((point) => ({ x: point.months, y: pick(point) * 100 }));
    const band = { label: '', pointRadius: 0, borderWidth: 0, stepped: 'before' as const, borderColor: 'transparent' };
    datasets.push(
      { ...band, data: line((point) => point.lower), fill: false },
      { ...band, data: line((point) => point.upper), fill: '-1', backgroundColor: withAlpha(colour, 0.15) },
      { label: model.model.name, data: line((point) => point.survival), stepped: 'before', borderColor: colour, backgroundColor: colour, borderWidth: 2, pointRadius: 0, fill: false },
    );
  });
  return { datasets };
}

/** The components of the cost of ownership, in the order they stack (the purchase at the bottom). */
export const TCO_COMPONENTS = ['purchase', 'repairsBank', 'repairsOthers', 'premiums', 'downtime', 'spares'] as const satisfies readonly (keyof TcoBreakdown)[];
export type TcoComponent = (typeof TCO_COMPONENTS)[number];
const TCO_COLOURS: Readonly<Record<TcoComponent, string>> = {
  purchase: '#0b5cab',
  repairsBank: '#b3261e',
  repairsOthers: '#e8a29c',
  premiums: '#6b46c1',
  downtime: '#c05621',
  spares: '#2f855a',
};

/** Per model a stacked bar of its cost per terminal-year by component; an unknown component counts as nothing. */
export function tcoChartData(rows: readonly TcoRow[], componentLabel: (component: TcoComponent) => string): ChartData<'bar', number[], string> {
  return {
    labels: rows.map((row) => row.model.name),
    datasets: TCO_COMPONENTS.map((component) => ({
      label: componentLabel(component),
      data: rows.map((row) => row.perTerminalYear[component] ?? 0),
      backgroundColor: TCO_COLOURS[component],
      stack: 'tco',
    })),
  };
}
