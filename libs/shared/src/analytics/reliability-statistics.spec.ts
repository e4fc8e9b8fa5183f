import { seededRandom } from '../demo/random';
import {
  chiSquareQuantile,
  expectedDemandDuringTurnaround,
  expectedFailures,
  failureRatePer100Years,
  hazardTrend,
  kaplanMeier,
  mtbf,
  poissonCdf,
  poissonRateInterval,
  quantile,
  rankByRate,
  recommendedSpares,
  type RateItem,
  type SurvivalObservation,
  wilsonInterval,
} from './reliability-statistics';

const CONFIDENCES = [0.8, 0.9, 0.95, 0.99];
const newItem = (key: string, failures: number, exposure: number): RateItem => ({ key, failures, exposure });
const band = (ageYears: number, failures: number, exposure: number) => ({ ageYears, failures, exposure });

describe(chiSquareQuantile.name, () => {
  // Reference: scipy.stats.chi2.ppf (SciPy 1.17.1, cephes igami), printed to 16 digits;
  // the first two are the textbook table entries 3.841 and 18.307.
  it.each([
    [0.95, 1, 3.841458820694124],
    [0.95, 10, 18.307038053275146],
    [0.025, 2, 0.05063561596857975],
    [0.975, 202, 243.25358758485277],
    [0.005, 1, 3.9270422220515944e-5],
    [0.5, 0.5, 0.0873476047057468],
    [1e-6, 3, 0.00024181048720124264],
    [0.999999, 40, 97.65295741497064],
    [0.3, 1000, 976.0735912577742],
  ])('should give the %p quantile with %p degrees of freedom to 1e-9 relative', (p, df, expected) => {
    expect(Math.abs(chiSquareQuantile(p, df) / expected - 1)).toBeLessThan(1e-9);
  });
});

describe(poissonRateInterval.name, () => {
  // Exact (Garwood 1936) 95% limits for an observed Poisson count, as tabulated in the
  // standard tables (e.g. Documenta Geigy / Breslow & Day 1987 vol. II appendix, and
  // epitools::pois.exact, whose documentation quotes 3.689 for a count of 0). Every value
  // below was re-derived with scipy.stats.chi2.ppf and agrees to the digits shown.
  it.each([
    [0, 0, 3.689, 3],
    [1, 0.0253, 5.572, 3],
    [5, 1.623, 11.668, 3],
    [10, 4.795, 18.39, 3],
    [50, 37.11, 65.92, 2],
    [100, 81.36, 121.63, 2],
  ])('should match the published exact limits for a count of %p', (count, lower, upper, digits) => {
    const interval = poissonRateInterval(count, 1);
    expect(interval.rate).toBe(count);
    expect(interval.lower).toBeCloseTo(lower, digits);
    expect(interval.upper).toBeCloseTo(upper, digits);
  });

  it('should divide the limits by the exposure to give a rate', () => {
    const count = poissonRateInterval(5, 1);
    const interval = poissonRateInterval(5, 200);
    expect(interval.rate).toBe(0.025);
    expect(interval.lower).toBeCloseTo(count.lower / 200, 15);
    expect(interval.upper).toBeCloseTo(count.upper / 200, 15);
  });

  it('should contain the point estimate at every count and confidence', () => {
    for (let count = 0; count <= 60; count++) {
      for (const confidence of CONFIDENCES) {
        const { rate, lower, upper } = poissonRateInterval(count, 7, confidence);
        expect(lower).toBeLessThanOrEqual(rate);
        expect(upper).toBeGreaterThan(rate);
      }
    }
  });

  it('should widen with a higher confidence', () => {
    for (const count of [1, 4, 30]) {
      const intervals = CONFIDENCES.map((confidence) => poissonRateInterval(count, 10, confidence));
      for (let i = 1; i < intervals.length; i++) {
        expect(intervals[i]!.lower).toBeLessThan(intervals[i - 1]!.lower);
        expect(intervals[i]!.upper).toBeGreaterThan(intervals[i - 1]!.upper);
      }
    }
  });

  it('should shrink relative to the rate as exposure grows at the same rate', () => {
    const widths = [1, 10, 100].map((scale) => {
      const { rate, lower, upper } = poissonRateInterval(2 * scale, 20 * scale);
      return (upper - lower) / rate;
    });
    expect(widths[1]).toBeLessThan(widths[0]!);
    expect(widths[2]).toBeLessThan(widths[1]!);
  });

  it.each([
    [-1, 10, 0.95],
    [1.5, 10, 0.95],
    [3, 0, 0.95],
    [3, 10, 1],
  ])('should refuse %p events over %p with confidence %p', (events, exposure, confidence) => {
    expect(() => poissonRateInterval(events, exposure, confidence)).toThrow(RangeError);
  });
});

describe(failureRatePer100Years.name, () => {
  it('should scale the rate and its limits to 100 terminal-years', () => {
    const rate = failureRatePer100Years(5, 200);
    expect(rate.rate).toBe(2.5);
    expect(rate.lower).toBeCloseTo(0.8117, 4);
    expect(rate.upper).toBeCloseTo(5.8342, 4);
    expect(rate.verdict).toBe('sufficient');
  });

  it('should say not enough data under 10 terminal-years however many failures', () => {
    expect(failureRatePer100Years(10, 8).verdict).toBe('insufficient');
  });

  it('should say not enough data with no failure, yet keep the upper limit to show', () => {
    const rate = failureRatePer100Years(0, 1000);
    expect(rate).toMatchObject({ rate: 0, lower: 0, verdict: 'insufficient' });
    expect(rate.upper).toBeCloseTo(0.3689, 4);
  });

  it('should need three failures at 95%, where the interval is no wider than three times the rate', () => {
    expect(failureRatePer100Years(2, 500).verdict).toBe('insufficient');
    expect(failureRatePer100Years(3, 500).verdict).toBe('sufficient');
  });
});

describe(mtbf.name, () => {
  it('should invert the exact rate interval', () => {
    const estimate = mtbf(50_000, 10);
    expect(estimate.mtbf).toBe(5_000);
    expect(estimate.lower).toBeCloseTo(50_000 / 18.3904, 0);
    expect(estimate.upper).toBeCloseTo(50_000 / 4.79539, 0);
  });

  it('should give the whole exposure for a single failure, never 0', () => {
    const estimate = mtbf(8_760, 1);
    expect(estimate.mtbf).toBe(8_760);
    expect(estimate.lower).toBeCloseTo(8_760 / 5.5716, 1);
    expect(estimate.upper).toBeCloseTo(8_760 / 0.025318, -1);
  });

  it('should have no point estimate and no upper limit without a failure', () => {
    const estimate = mtbf(50_000, 0);
    expect(estimate.mtbf).toBeNull();
    expect(estimate.upper).toBeNull();
    expect(estimate.lower).toBeCloseTo(13_554.25, 1);
  });
});

describe(expectedFailures.name, () => {
  it('should multiply the yearly rate by the years still to serve', () => {
    expect(expectedFailures(0.12, 3)).toBeCloseTo(0.36, 12);
    expect(expectedFailures(0.12, 0)).toBe(0);
  });

  it('should refuse a negative horizon', () => {
    expect(() => expectedFailures(0.12, -1)).toThrow(RangeError);
  });
});

describe(kaplanMeier.name, () => {
  // 6-MP arm of Freireich et al. (1963), the textbook example of Kleinbaum & Klein and of
  // Klein & Moeschberger (KMsurv::drug6mp); * marks a censored remission.
  // 6,6,6,6*,7,9*,10,10*,11*,13,16,17*,19*,20*,22,23,25*,32*,32*,34*,35*
  const relapses = [6, 6, 6, 7, 10, 13, 16, 22, 23];
  const censored = [6, 9, 10, 11, 17, 19, 20, 25, 32, 32, 34, 35];
  const sixMp: SurvivalObservation[] = [
    ...censored.map((time) => ({ time, event: false })),
    ...relapses.map((time) => ({ time, event: true })),
  ];

  // Survival and Greenwood standard errors: the published S(t) of Kleinbaum & Klein and the
  // std.err column of R's survfit(Surv(t2, relapse) ~ 1, data = drug6mp). Log-log 95%
  // limits: recomputed independently (Python, Kalbfleisch-Prentice formula); they agree
  // with K&M's log-transformed column as far as we could check (0.620-0.952 at week 6).
  it.each([
    [6, 21, 3, 1, 0.857, 0.0764, 0.6197, 0.9516],
    [7, 17, 1, 0, 0.807, 0.0869, 0.5631, 0.9228],
    [10, 15, 1, 1, 0.753, 0.0963, 0.5032, 0.8894],
    [13, 12, 1, 0, 0.69, 0.1068, 0.4316, 0.8491],
    [16, 11, 1, 0, 0.627, 0.1141, 0.3675, 0.8049],
    [22, 7, 1, 0, 0.538, 0.1282, 0.2678, 0.7468],
    [23, 6, 1, 0, 0.448, 0.1346, 0.1881, 0.6801],
  ])('should reproduce the 6-MP curve at week %p', (time, atRisk, events, censoredHere, survival, standardError, lower, upper) => {
    const step = kaplanMeier(sixMp).find((s) => s.time === time);
    expect(step).toMatchObject({ atRisk, events, censored: censoredHere });
    expect(step!.survival).toBeCloseTo(survival, 3);
    expect(step!.standardError).toBeCloseTo(standardError, 4);
    expect(step!.lower).toBeCloseTo(lower, 4);
    expect(step!.upper).toBeCloseTo(upper, 4);
  });

  it('should give the same curve from grouped counts as from one observation per unit', () => {
    const grouped = new Map<string, SurvivalObservation>();
    for (const observation of sixMp) {
      const key = `${observation.time}|${observation.event}`;
      const found = grouped.get(key);
      if (found) found.count = (found.count ?? 1) + 1;
      else grouped.set(key, { ...observation, count: 1 });
    }
    expect(kaplanMeier([...grouped.values()])).toEqual(kaplanMeier(sixMp));
  });

  it('should refuse a negative count', () => {
    expect(() => kaplanMeier([{ time: 1, event: true, count: -1 }])).toThrow(RangeError);
  });

  it('should keep a step at each censoring so the chart can mark it, with survival unchanged', () => {
    const steps = kaplanMeier(sixMp);
    expect(steps.map((s) => s.time)).toEqual([6, 7, 9, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 34, 35]);
    expect(steps.find((s) => s.time === 32)).toMatchObject({ atRisk: 4, events: 0, censored: 2 });
    expect(steps.at(-1)!.survival).toBeCloseTo(0.448, 3);
  });

  it('should count units censored at a failure time as still at risk then', () => {
    const [first] = kaplanMeier([
      { time: 5, event: false },
      { time: 5, event: true },
      { time: 8, event: true },
    ]);
    expect(first).toMatchObject({ atRisk: 3, events: 1, censored: 1 });
    expect(first!.survival).toBeCloseTo(2 / 3, 12);
  });

  it('should give no limits once every unit at risk has failed', () => {
    const steps = kaplanMeier([
      { time: 1, event: true },
      { time: 2, event: true },
    ]);
    expect(steps.at(-1)).toMatchObject({ survival: 0, lower: null, upper: null });
  });

  it('should give no steps without observations', () => {
    expect(kaplanMeier([])).toEqual([]);
  });

  it('should never let survival or its limits rise with time', () => {
    const random = seededRandom(7);
    for (let run = 0; run < 20; run++) {
      const observations = Array.from({ length: 40 }, () => ({ time: random.int(0, 60), event: random.next() < 0.6 }));
      const steps = kaplanMeier(observations);
      for (let i = 1; i < steps.length; i++) {
        const previous = steps[i - 1]!;
        const step = steps[i]!;
        expect(step.survival).toBeLessThanOrEqual(previous.survival);
        if (step.lower !== null && previous.lower !== null) expect(step.lower).toBeLessThanOrEqual(previous.lower + 1e-12);
        if (step.lower !== null && step.upper !== null) {
          expect(step.lower).toBeLessThanOrEqual(step.survival);
          expect(step.upper).toBeGreaterThanOrEqual(step.survival);
        }
      }
    }
  });
});

describe(hazardTrend.name, () => {
  const ages = [0.5, 1.5, 2.5, 3.5];
  const bands = (failures: number[], exposures: number[]) => ages.map((age, i) => band(age, failures[i]!, exposures[i]!));

  // Constructed data; chi-square and p-values recomputed with scipy.stats.chi2.sf.
  it('should find a rate that doubles every year of age rising', () => {
    const trend = hazardTrend(bands([5, 10, 20, 40], [100, 100, 100, 100]));
    expect(trend.direction).toBe('rising');
    expect(trend.chiSquare).toBeCloseTo(35.2667, 4);
    expect(trend.pValue).toBeCloseTo(2.8751e-9, 12);
  });

  it('should find the mirror image falling with the same evidence', () => {
    const trend = hazardTrend(bands([40, 20, 10, 5], [100, 100, 100, 100]));
    expect(trend.direction).toBe('falling');
    expect(trend.chiSquare).toBeCloseTo(35.2667, 4);
  });

  it('should not mistake more failures from more terminals for ageing', () => {
    const trend = hazardTrend(bands([5, 10, 15, 20], [100, 200, 300, 400]));
    expect(trend).toMatchObject({ direction: 'flat', chiSquare: 0, pValue: 1 });
  });

  it('should call a small drift flat when chance explains it', () => {
    const trend = hazardTrend(bands([12, 14, 15, 17], [100, 100, 100, 100]));
    expect(trend.direction).toBe('flat');
    expect(trend.pValue).toBeCloseTo(0.34745, 4);
  });

  it('should see a rising rate behind falling exposure', () => {
    const trend = hazardTrend(bands([8, 12, 16, 20], [400, 300, 200, 100]));
    expect(trend.direction).toBe('rising');
    expect(trend.chiSquare).toBeCloseTo(41.1429, 4);
  });

  it('should give each band its rate per 100 terminal-years and verdict', () => {
    const trend = hazardTrend([band(0.5, 2, 50), band(1.5, 30, 300)]);
    expect(trend.bands.map((b) => [b.rate.rate, b.rate.verdict])).toEqual([
      [4, 'insufficient'],
      [10, 'sufficient'],
    ]);
  });

  it('should have nothing to test without failures or with a single band', () => {
    expect(hazardTrend(bands([0, 0, 0, 0], [100, 100, 100, 100]))).toMatchObject({ direction: 'flat', pValue: 1 });
    expect(hazardTrend([band(2, 9, 100)])).toMatchObject({ direction: 'flat', pValue: 1 });
  });
});

describe(quantile.name, () => {
  // R type 7 (R's default, numpy's default, Excel PERCENTILE.INC): quantile(1:10, c(.1, .5, .9))
  // is 1.9, 5.5, 9.1; the 40th percentile of 15, 20, 35, 40, 50 is 29 (Wikipedia, "Percentile",
  // the C = 1 variant); both rechecked with numpy.quantile.
  it.each([
    [0.1, 1.9],
    [0.5, 5.5],
    [0.9, 9.1],
    [0, 1],
    [1, 10],
  ])('should interpolate the %p quantile of 1..10 as R does', (q, expected) => {
    expect(quantile([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], q)).toBeCloseTo(expected, 12);
  });

  it('should give the 40th percentile of the Wikipedia example', () => {
    expect(quantile([15, 20, 35, 40, 50], 0.4)).toBeCloseTo(29, 12);
  });

  it('should give the only value of a single observation and null without any', () => {
    expect(quantile([42], 0.9)).toBe(42);
    expect(quantile([], 0.5)).toBeNull();
  });
});

describe(recommendedSpares.name, () => {
  // Hand-computed: P(X ≤ 3; 2) = 19/3·e⁻² = 0.857, P(X ≤ 4; 2) = 7e⁻² = 0.947,
  // P(X ≤ 5; 2) = 109/15·e⁻² = 0.983.
  it('should compute the Poisson CDF', () => {
    expect(poissonCdf(3, 2)).toBeCloseTo((19 / 3) * Math.exp(-2), 12);
    expect(poissonCdf(4, 2)).toBeCloseTo(7 * Math.exp(-2), 12);
    expect(poissonCdf(5, 2)).toBeCloseTo((109 / 15) * Math.exp(-2), 12);
  });

  it.each([
    [2, 0.95, 5],
    [2, 0.9, 4],
    [2, 0.99, 6],
    [0.05, 0.95, 0],
    [0, 0.99, 0],
    [10, 0.95, 15],
  ])('should keep %p expected failures covered at %p with %p spares', (lambda, serviceLevel, spares) => {
    expect(recommendedSpares(lambda, serviceLevel)).toBe(spares);
  });

  it('should derive the demand from the installed base, the rate and the turnaround', () => {
    expect(expectedDemandDuringTurnaround({ installedBase: 1_000, annualFailureRate: 0.073, turnaroundDays: 10 })).toBeCloseTo(2, 12);
    const lambda = expectedDemandDuringTurnaround({ installedBase: 2_000, annualFailureRate: 0.12, turnaroundDays: 14 });
    expect(lambda).toBeCloseTo(9.2055, 4);
    expect(recommendedSpares(lambda, 0.95)).toBe(14);
  });

  it('should refuse a service level of 100%, which no finite pool reaches', () => {
    expect(() => recommendedSpares(2, 1)).toThrow(RangeError);
  });
});

describe(rankByRate.name, () => {
  it('should rank a model failing half as often first when there is enough exposure', () => {
    const ranked = rankByRate([newItem('B', 100, 1_000), newItem('A', 50, 1_000)]);
    expect(ranked.map((r) => [r.key, r.rank, r.standing])).toEqual([
      ['A', 1, 'best'],
      ['B', 2, 'worse'],
    ]);
  });

  it('should flag 40 units without a failure instead of ranking them first', () => {
    const ranked = rankByRate([newItem('B', 100, 1_000), newItem('new', 0, 40), newItem('A', 50, 1_000)]);
    expect(ranked.map((r) => [r.key, r.rank, r.standing])).toEqual([
      ['A', 1, 'best'],
      ['B', 2, 'worse'],
      ['new', null, 'insufficient'],
    ]);
  });

  it('should call a model whose interval overlaps the best one not distinguishable', () => {
    const ranked = rankByRate([newItem('A', 50, 1_000), newItem('C', 60, 1_000)]);
    expect(ranked.map((r) => [r.key, r.standing])).toEqual([
      ['A', 'best'],
      ['C', 'indistinguishable'],
    ]);
  });

  it('should let equal rates share a rank', () => {
    const ranked = rankByRate([newItem('Y', 20, 400), newItem('X', 10, 200), newItem('Z', 60, 400)]);
    expect(ranked.map((r) => [r.key, r.rank, r.standing])).toEqual([
      ['X', 1, 'best'],
      ['Y', 1, 'best'],
      ['Z', 3, 'worse'],
    ]);
  });

  it('should keep the caller’s fields on each item', () => {
    const [first] = rankByRate([{ ...newItem('A', 50, 1_000), supplier: 'Acme' }]);
    expect(first).toMatchObject({ key: 'A', supplier: 'Acme', failures: 50, exposure: 1_000 });
    expect(first!.rate.rate).toBe(5);
  });
});

describe(wilsonInterval.name, () => {
  // Newcombe (1998), Statistics in Medicine 17:857–872, table I, method 3 (Wilson score, no continuity correction).
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('should give Newcombe’s limits for %p of %p', (successes, total, lower, upper) => {
    const interval = wilsonInterval(successes, total);
    expect(interval.rate).toBeCloseTo(successes / total, 12);
    expect(interval.lower).toBeCloseTo(lower, 4);
    expect(interval.upper).toBeCloseTo(upper, 4);
  });

  it('should say nothing about an empty sample', () => expect(wilsonInterval(0, 0)).toEqual({ rate: null, lower: null, upper: null }));
  it('should reach 1 when every case succeeded', () => expect(wilsonInterval(12, 12).upper).toBe(1));
  it('should refuse more successes than cases', () => expect(() => wilsonInterval(3, 2)).toThrow(RangeError));
});
