import { DAY_MS, serviceIntervals, YEAR_MS } from './exposure';
import { addMonths, ageBandOf, monthOf, monthsBetween, ReliabilityAccumulator, SERVICE_MONTH_MS, type ExposureCell, type RollupUnit } from './reliability-rollup';
import { generatePlantedFleet, PLANTED_MODELS } from './planted-fleet';
import { poissonRateInterval } from './reliability-statistics';

const t = (iso: string) => Date.parse(iso);
const NOW = t('2026-06-15T00:00:00Z');

function unit(overrides: Partial<RollupUnit>): RollupUnit {
  return { modelId: 1, supplierId: 2, batch: 'B1', purchasedAt: t('2025-01-01T00:00:00Z'), spans: [], failures: [], ...overrides };
}

function run(units: RollupUnit[], months: string[], now = NOW) {
  const accumulator = new ReliabilityAccumulator(months, now);
  units.forEach((u) => accumulator.add(u));
  return accumulator;
}

function sum(cells: ExposureCell[], where: Partial<ExposureCell>, field: keyof ExposureCell = 'exposureYears'): number {
  return cells.filter((cell) => Object.entries(where).every(([k, v]) => cell[k as keyof ExposureCell] === v)).reduce((s, cell) => s + (cell[field] as number), 0);
}

describe('months', () => {
  it.each([
    ['2026-01', 1, '2026-02'],
    ['2026-12', 1, '2027-01'],
    ['2026-01', -1, '2025-12'],
    ['2024-02', 12, '2025-02'],
  ])('%s + %p months is %s', (month, count, expected) => expect(addMonths(month, count)).toBe(expected));

  it('should list the months of a period, both ends included', () => expect(monthsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']));
  it('should name the UTC month of an instant', () => expect(monthOf(t('2026-03-31T23:59:59Z'))).toBe('2026-03'));
  it('should refuse a malformed month', () => expect(() => monthsBetween('2026-13', '2027-01')).toThrow(RangeError));
  it.each([
    [-3, 0],
    [0, 0],
    [89.9, 0],
    [90, 90],
    [364, 90],
    [400, 365],
    [5000, 1825],
  ])('age %p days is in band %p', (age, band) => expect(ageBandOf(age)).toBe(band));
});

describe(ReliabilityAccumulator.name, () => {
  it('should count a whole month deployed as its days in terminal-years, in each split', () => {
    const cells = run([unit({ purchasedAt: t('2024-01-01T00:00:00Z'), spans: [{ from: t('2025-12-20T00:00:00Z'), to: null, regionId: 7, firmware: '1.2' }] })], ['2026-01']).exposureCells();
    const january = 31 / 365.25;
    expect(sum(cells, { dimension: 'age', key: '730' })).toBeCloseTo(january, 12);
    expect(sum(cells, { dimension: 'batch', key: 'B1' })).toBeCloseTo(january, 12);
    expect(sum(cells, { dimension: 'firmware', key: '1.2', regionId: 7 })).toBeCloseTo(january, 12);
    expect(sum(cells, { dimension: 'age' }, 'earlyExposureYears')).toBe(0);
  });

  it('should split a month at an age-band limit and mark the first 90 days as early life', () => {
    // Bought 1 Jan 2026: day 90 is 1 Apr 2026.
    const u = unit({ purchasedAt: t('2026-01-01T00:00:00Z'), spans: [{ from: t('2026-01-01T00:00:00Z'), to: null, regionId: 1, firmware: null }] });
    const cells = run([u], monthsBetween('2026-01', '2026-04')).exposureCells();
    expect(sum(cells, { dimension: 'age', key: '0' })).toBeCloseTo((90 * DAY_MS) / YEAR_MS, 12);
    expect(sum(cells, { dimension: 'age', key: '90', month: '2026-04' })).toBeCloseTo((30 * DAY_MS) / YEAR_MS, 12);
    expect(sum(cells, { dimension: 'batch' }, 'earlyExposureYears')).toBeCloseTo((90 * DAY_MS) / YEAR_MS, 12);
    expect(sum(cells, { dimension: 'firmware', key: '' })).toBeCloseTo((120 * DAY_MS) / YEAR_MS, 12);
  });

  it('should measure age from the first deployment when no purchase date is recorded', () => {
    const u = unit({ purchasedAt: null, spans: [{ from: t('2026-03-01T00:00:00Z'), to: null, regionId: 1, firmware: null }] });
    const cells = run([u], ['2026-03']).exposureCells();
    expect(sum(cells, { dimension: 'age', key: '0' })).toBeCloseTo(31 / 365.25, 12);
  });

  it('should count nothing in stock, retired or in repair: only the spans', () => {
    const u = unit({
      spans: [
        { from: t('2026-01-01T00:00:00Z'), to: t('2026-01-11T00:00:00Z'), regionId: 1, firmware: null },
        // in repair 11–21 January
        { from: t('2026-01-21T00:00:00Z'), to: t('2026-01-26T00:00:00Z'), regionId: 1, firmware: null },
        // retired on 26 January
      ],
    });
    const cells = run([u], ['2026-01', '2026-02']).exposureCells();
    expect(sum(cells, { dimension: 'age' })).toBeCloseTo(15 / 365.25, 12);
    expect(sum(cells, { dimension: 'age', month: '2026-02' })).toBe(0);
  });

  it('should run an open span up to now and no further', () => {
    const u = unit({ spans: [{ from: t('2026-06-01T00:00:00Z'), to: null, regionId: 1, firmware: null }] });
    expect(sum(run([u], ['2026-06', '2026-07']).exposureCells(), { dimension: 'age' })).toBeCloseTo(14 / 365.25, 12);
  });

  it('should attribute time to the region and firmware of each span', () => {
    const u = unit({
      spans: [
        { from: t('2026-01-01T00:00:00Z'), to: t('2026-01-11T00:00:00Z'), regionId: 1, firmware: '1.0' },
        { from: t('2026-01-11T00:00:00Z'), to: t('2026-02-01T00:00:00Z'), regionId: 2, firmware: '1.1' },
      ],
    });
    const cells = run([u], ['2026-01']).exposureCells();
    expect(sum(cells, { dimension: 'age', regionId: 1 })).toBeCloseTo(10 / 365.25, 12);
    expect(sum(cells, { dimension: 'firmware', key: '1.1', regionId: 2 })).toBeCloseTo(21 / 365.25, 12);
  });

  it('should count failures in service only, in their month, age band and span', () => {
    const u = unit({
      purchasedAt: t('2026-01-01T00:00:00Z'),
      spans: [
        { from: t('2026-01-05T00:00:00Z'), to: t('2026-02-10T00:00:00Z'), regionId: 1, firmware: '1.0' },
        { from: t('2026-05-01T00:00:00Z'), to: null, regionId: 3, firmware: '1.1' },
      ],
      failures: [
        t('2026-01-02T00:00:00Z'), // on the shelf before deployment: not counted
        t('2026-02-09T00:00:00Z'), // in service, early life
        t('2026-03-01T00:00:00Z'), // in repair: not counted
        t('2026-05-20T00:00:00Z'), // in service again, age 139 days
      ],
    });
    const cells = run([u], monthsBetween('2026-01', '2026-06')).exposureCells();
    expect(sum(cells, { dimension: 'age' }, 'failures')).toBe(2);
    expect(sum(cells, { dimension: 'age', key: '0', month: '2026-02', regionId: 1 }, 'failures')).toBe(1);
    expect(sum(cells, { dimension: 'age' }, 'earlyFailures')).toBe(1);
    expect(sum(cells, { dimension: 'firmware', key: '1.1', regionId: 3, month: '2026-05' }, 'failures')).toBe(1);
    expect(sum(cells, { dimension: 'batch' }, 'failures')).toBe(2);
  });

  it('should count a spare only while lent, and its failure during the loan against its model', () => {
    const spare = unit({
      modelId: 9,
      spans: [{ from: t('2026-03-01T00:00:00Z'), to: t('2026-03-11T00:00:00Z'), regionId: 4, firmware: null }],
      failures: [t('2026-03-05T00:00:00Z'), t('2026-04-02T00:00:00Z')],
    });
    const cells = run([spare], ['2026-03', '2026-04']).exposureCells();
    expect(sum(cells, { dimension: 'age', modelId: 9 })).toBeCloseTo(10 / 365.25, 12);
    expect(sum(cells, { dimension: 'age', modelId: 9 }, 'failures')).toBe(1);
  });

  it('should compute only the months asked for', () => {
    const u = unit({ spans: [{ from: t('2025-01-01T00:00:00Z'), to: null, regionId: 1, firmware: null }], failures: [t('2025-03-03T00:00:00Z'), t('2026-03-03T00:00:00Z')] });
    const cells = run([u], ['2026-03']).exposureCells();
    expect(new Set(cells.map((cell) => cell.month))).toEqual(new Set(['2026-03']));
    expect(sum(cells, { dimension: 'age' }, 'failures')).toBe(1);
  });

  it('should record the service time to the first failure, or censor at the time served', () => {
    const failed = unit({
      spans: [
        { from: t('2026-01-01T00:00:00Z'), to: t('2026-02-01T00:00:00Z'), regionId: 1, firmware: null },
        { from: t('2026-03-01T00:00:00Z'), to: null, regionId: 2, firmware: null },
      ],
      failures: [t('2026-03-20T00:00:00Z'), t('2026-05-01T00:00:00Z')],
    });
    const working = unit({ spans: [{ from: t('2025-01-01T00:00:00Z'), to: t('2026-02-01T00:00:00Z'), regionId: 1, firmware: null }] });
    const never = unit({ spans: [] });
    const cells = run([failed, working, never], []).survivalCells();
    expect(cells).toEqual(
      expect.arrayContaining([
        { modelId: 1, regionId: 2, supplierId: 2, months: Math.floor((50 * DAY_MS) / SERVICE_MONTH_MS), events: 1, censored: 0 },
        { modelId: 1, regionId: 1, supplierId: 2, months: Math.floor((396 * DAY_MS) / SERVICE_MONTH_MS), events: 0, censored: 1 },
      ]),
    );
    expect(cells).toHaveLength(2);
  });

  it('should recover the planted rates of the generated fleet through the rollup cells', () => {
    const fleet = generatePlantedFleet({ seed: 20260107, models: PLANTED_MODELS, from: '2022-01-01', to: '2026-01-01' });
    const end = t('2026-01-01T00:00:00Z');
    const accumulator = new ReliabilityAccumulator(monthsBetween('2022-01', '2025-12'), end);
    const modelIds = new Map(PLANTED_MODELS.map((model, index) => [model.key, index + 1]));
    for (const planted of fleet) {
      const spans = serviceIntervals(planted.statusHistory, '2026-01-01T00:00:00.000Z').map((interval) => ({ from: t(interval.from), to: t(interval.to), regionId: 1, firmware: null }));
      accumulator.add({ modelId: modelIds.get(planted.model)!, supplierId: 1, batch: null, purchasedAt: t(planted.purchaseDate), spans, failures: planted.failures.map((f) => t(f.at)).sort((a, b) => a - b) });
    }
    const cells = accumulator.exposureCells();
    let covered = 0;
    for (const model of PLANTED_MODELS.filter((m) => m.units >= 1000)) {
      const id = modelIds.get(model.key)!;
      const failures = sum(cells, { dimension: 'age', modelId: id }, 'failures');
      const exposure = sum(cells, { dimension: 'age', modelId: id });
      const interval = poissonRateInterval(failures, exposure);
      const flat = model.hazard.length === 1 ? model.hazard[0]!.ratePerYear : null;
      if (flat !== null && interval.lower <= flat && flat <= interval.upper) covered++;
      if (flat === null) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(7);
  });
});
