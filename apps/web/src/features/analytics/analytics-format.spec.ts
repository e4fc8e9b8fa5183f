import type { ModelComparisonColumn, ModelSurvival, RateFigure, SpareSizingRow, SurvivalPoint, TcoRow } from '@fleet/shared';
import {
  analyticsFilters,
  decimalsFor,
  groupTerminalFilters,
  modelIdsOf,
  pValueParts,
  rankingOrder,
  rateChartData,
  rateState,
  spareTotals,
  survivalAt,
  survivalChartData,
  tcoChartData,
  terminalListLink,
  toggleModel,
  withAlpha,
} from './analytics-format';

const rate = (fields: Partial<RateFigure> = {}): RateFigure => ({ failures: 12, exposureYears: 100, ratePer100Years: 12, lower: 6.2, upper: 21, verdict: 'sufficient', ...fields });
const point = (months: number, survival: number, fields: Partial<SurvivalPoint> = {}): SurvivalPoint => ({ months, survival, lower: survival - 0.05, upper: Math.min(1, survival + 0.05), atRisk: 100, events: 1, ...fields });

describe(analyticsFilters.name, () => {
  it('should read the period and filters from the URL and drop what is malformed', () => {
    expect(analyticsFilters({ from: '2025-01', to: '2025-13', regionId: '3', modelId: 'x', supplierId: '0', category: 'smart' })).toEqual({
      from: '2025-01',
      to: undefined,
      regionId: 3,
      modelId: undefined,
      supplierId: undefined,
      category: 'smart',
    });
    expect(analyticsFilters({ category: 'toaster', from: '2025-1' })).toMatchObject({ category: undefined, from: undefined });
  });

  it('should put a period given backwards right', () => {
    expect(analyticsFilters({ from: '2025-12', to: '2025-01' })).toMatchObject({ from: '2025-01', to: '2025-12' });
  });
});

describe(modelIdsOf.name, () => {
  it('should read each picked model once, in the order picked, at most five', () => {
    expect(modelIdsOf({ models: '3,1,3,x,0,7' })).toEqual([3, 1, 7]);
    expect(modelIdsOf({ models: '1,2,3,4,5,6' })).toEqual([1, 2, 3, 4, 5]);
    expect(modelIdsOf({})).toEqual([]);
  });

  it('should add a model at the end, remove it again, and refuse a sixth', () => {
    expect(toggleModel([3, 1], 7)).toEqual([3, 1, 7]);
    expect(toggleModel([3, 1, 7], 1)).toEqual([3, 7]);
    expect(toggleModel([1, 2, 3, 4, 5], 6)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('figures', () => {
  it('should give a figure the decimals it deserves', () => {
    expect([0, 0.034, 0.5, 1, 12.34, 99.9, 100, 2400, -3.5].map(decimalsFor)).toEqual([0, 2, 2, 1, 1, 1, 0, 0, 1]);
  });

  it('should show a rate only when there is enough data behind it', () => {
    expect(rateState(rate())).toBe('shown');
    expect(rateState(rate({ failures: 0, ratePer100Years: 0, lower: 0, upper: 9.2, verdict: 'insufficient' }))).toBe('insufficient');
    expect(rateState(rate({ failures: 0, exposureYears: 0, ratePer100Years: null, lower: 0, upper: 0, verdict: 'insufficient' }))).toBe('none');
  });

  it('should say a p-value as it is read', () => {
    expect(pValueParts(0.0002)).toEqual({ op: '<', value: 0.001 });
    expect(pValueParts(0.0034)).toEqual({ op: '=', value: 0.003 });
    expect(pValueParts(0.2871)).toEqual({ op: '=', value: 0.29 });
  });

  it('should read the survival curve at an age as its last step, and not beyond its end', () => {
    const curve = [point(0, 1), point(5, 0.98), point(14, 0.95), point(30, 0.9)];
    expect(survivalAt(curve, 12)?.survival).toBe(0.98);
    expect(survivalAt(curve, 14)?.survival).toBe(0.95);
    expect(survivalAt(curve, 30)?.survival).toBe(0.9);
    expect(survivalAt(curve, 36)).toBeNull();
    expect(survivalAt([point(6, 0.97)], 3)).toMatchObject({ months: 0, survival: 1 });
    expect(survivalAt([], 12)).toBeNull();
  });

  it('should rank a model with few units and no failure after the ranked ones, never first', () => {
    const column = (name: string, rank: number | null) => ({ model: { id: name.length, name }, rank }) as unknown as ModelComparisonColumn;
    expect(rankingOrder([column('tiny', null), column('B', 2), column('A', 1)]).map((c) => c.model.name)).toEqual(['A', 'B', 'tiny']);
  });

  it('should count what the short regions miss, which a surplus elsewhere does not make up', () => {
    const row = (gap: number, recommended: number) => ({ installedBase: 100, recommended, onHand: recommended + gap, gap }) as SpareSizingRow;
    expect(spareTotals([row(-2, 5), row(3, 4), row(0, 2), row(-1, 1)])).toEqual({ installedBase: 400, recommended: 12, onHand: 12, shortfall: 3, regionsShort: 2 });
  });
});

describe(terminalListLink.name, () => {
  it('should link to the terminal list filtered as its URL reads them', () => {
    expect(terminalListLink({ modelId: 4, regionId: undefined, status: ['deployed', 'spare'] })).toEqual({ name: 'terminals-list', query: { modelId: '4', status: 'deployed,spare' } });
    expect(terminalListLink({ status: [] })).toEqual({ name: 'terminals-list', query: {} });
  });
});

describe(groupTerminalFilters.name, () => {
  it('should find the terminals in service behind a row, within the filters of the page', () => {
    expect(groupTerminalFilters('model', '7', { regionId: 3, from: '2025-01' })).toEqual({ modelId: 7, supplierId: undefined, regionId: 3, category: undefined, status: ['deployed'] });
    expect(groupTerminalFilters('region', '5', { regionId: 3 })).toMatchObject({ regionId: 5 });
    expect(groupTerminalFilters('category', 'smart', {})).toMatchObject({ category: 'smart' });
  });

  it('should not link what the terminal list cannot filter by', () => {
    expect(groupTerminalFilters('batch', 'B-2024-03', {})).toBeNull();
    expect(groupTerminalFilters('cause', 'quality', {})).toBeNull();
    expect(groupTerminalFilters('model', 'other', {})).toBeNull();
    expect(groupTerminalFilters('category', 'toaster', {})).toBeNull();
  });
});

describe('chart data', () => {
  it('should draw each rate with its interval, and a rate without enough data in grey with its upper limit only', () => {
    const data = rateChartData(
      [
        { label: 'A', figure: rate(), standing: 'best' },
        { label: 'tiny', figure: rate({ failures: 0, exposureYears: 4, ratePer100Years: 0, lower: 0, upper: 92, verdict: 'insufficient' }), standing: 'insufficient' },
        { label: 'new', figure: rate({ failures: 0, exposureYears: 0, ratePer100Years: null, lower: 0, upper: 0, verdict: 'insufficient' }), standing: 'insufficient' },
      ],
      'Failures per 100 terminal-years',
    );
    const [dataset] = data.datasets;
    expect(data.labels).toEqual(['A', 'tiny', 'new']);
    expect(dataset?.data).toEqual([12, 0, null]);
    expect(dataset?.errorBars).toEqual([{ lower: 6.2, upper: 21 }, { lower: 0, upper: 92 }, { lower: null, upper: null }]);
    expect(dataset?.backgroundColor).toEqual(['#1b7f3b', '#b0b7c0', '#b0b7c0']);
  });

  it('should draw each survival curve from 100% at month 0 with its band, the band out of the legend', () => {
    const model = (id: number, curve: SurvivalPoint[]) => ({ model: { id, name: `M${id}` }, curve }) as ModelSurvival;
    const data = survivalChartData([model(1, [point(6, 0.9)]), model(2, [point(0, 1), point(3, 0.8)])]);
    expect(data.datasets).toHaveLength(6);
    expect(data.datasets.map((dataset) => dataset.label)).toEqual(['', '', 'M1', '', '', 'M2']);
    expect(data.datasets[2]?.data).toEqual([{ x: 0, y: 100 }, { x: 6, y: 90 }]);
    expect(data.datasets[0]?.data[1]).toEqual({ x: 6, y: 85 });
    expect(data.datasets[1]).toMatchObject({ fill: '-1' });
    expect(data.datasets[5]?.data).toEqual([{ x: 0, y: 100 }, { x: 3, y: 80 }]);
  });

  it('should stack the cost of ownership by component, an unknown part counting as nothing', () => {
    const row = (name: string, purchase: number | null) =>
      ({ model: { id: 1, name }, perTerminalYear: { purchase, repairsBank: 10, repairsOthers: 5, premiums: 2, downtime: 1, spares: 3, total: null } }) as TcoRow;
    const data = tcoChartData([row('A', 400), row('B', null)], (component) => component.toUpperCase());
    expect(data.labels).toEqual(['A', 'B']);
    expect(data.datasets.map((dataset) => dataset.label)).toEqual(['PURCHASE', 'REPAIRSBANK', 'REPAIRSOTHERS', 'PREMIUMS', 'DOWNTIME', 'SPARES']);
    expect(data.datasets[0]?.data).toEqual([400, 0]);
    expect(new Set(data.datasets.map((dataset) => dataset.stack))).toEqual(new Set(['tco']));
  });

  it('should lighten a colour for a band', () => {
    expect(withAlpha('#0b5cab', 0.15)).toBe('rgba(11, 92, 171, 0.15)');
  });
});
