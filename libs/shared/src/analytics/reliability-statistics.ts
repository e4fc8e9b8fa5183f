/**
 * Reliability statistics for the managers' questions of issue 7: failure rates
 * with their uncertainty, MTBF, survival of a batch, whether a model gets worse
 * with age, how many spares a region needs, which model to buy next and how many
 * failures a unit still has ahead. Pure functions with no I/O, so the API's
 * reports and the dashboard's charts compute the same figures, and a figure
 * built on too little data says so instead of looking precise.
 *
 * Exposure is in terminal-years (one terminal in service for one year) unless a
 * function says otherwise; rates are failures per terminal-year, or per 100
 * terminal-years where the name says so, because that is the figure a manager
 * reads ("12 failures per 100 terminals a year").
 */

export interface RateInterval {
  rate: number;
  lower: number;
  upper: number;
}

/** 'insufficient' is the UI's "not enough data": see failureRatePer100Years. */
export type RateVerdict = 'sufficient' | 'insufficient';

export interface FailureRate extends RateInterval {
  verdict: RateVerdict;
}

/** Below this exposure a rate says more about luck than about the model. */
export const MIN_EXPOSURE_TERMINAL_YEARS = 10;
/**
 * A rate whose interval is wider than this many times the rate itself is not
 * shown as a figure. The relative width of the exact interval depends only on
 * the failure count: at 95% it is 5.5 for 1 failure, 3.5 for 2 and 2.7 for 3,
 * so this rule asks for at least 3 failures; zero failures never qualify,
 * because the estimate is 0 whatever the exposure and only the upper limit
 * carries information.
 */
export const MAX_RELATIVE_INTERVAL_WIDTH = 3;

// ---------------------------------------------------------------------------
// Numerics: log-gamma, regularized incomplete gamma and its inverse, after
// Numerical Recipes (3rd ed., §6.1-6.2). Written out rather than taken from a
// package because they are short, and the only consumer is this module.

const LANCZOS_G = 7;
const LANCZOS_COEFFICIENTS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
] as const;
const MAX_ITERATIONS = 100_000;
const SERIES_EPSILON = 1e-16;
const TINY = 1e-300;

/** ln Γ(x) for x > 0 by the Lanczos approximation (relative error about 1e-15). */
function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS_COEFFICIENTS[0];
  for (let i = 1; i < LANCZOS_COEFFICIENTS.length; i++) sum += (LANCZOS_COEFFICIENTS[i] ?? 0) / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** e^-x x^a / Γ(a), the common factor of the series and the continued fraction. */
function gammaPrefactor(a: number, x: number): number {
  return Math.exp(-x + a * Math.log(x) - lnGamma(a));
}

function lowerGammaSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < MAX_ITERATIONS; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * SERIES_EPSILON) return sum * gammaPrefactor(a, x);
  }
  throw new RangeError(`incomplete gamma series did not converge for a=${a}, x=${x}`);
}

/** Lentz's method for the continued fraction of Q(a, x); converges fast where x > a + 1. */
function upperGammaContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < SERIES_EPSILON) return h * gammaPrefactor(a, x);
  }
  throw new RangeError(`incomplete gamma continued fraction did not converge for a=${a}, x=${x}`);
}

/** P(a, x), the regularized lower incomplete gamma function. */
function regularizedGammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  return x < a + 1 ? lowerGammaSeries(a, x) : 1 - upperGammaContinuedFraction(a, x);
}

/** Q(a, x) = 1 - P(a, x), computed directly so small upper tails keep their precision. */
function regularizedGammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  return x < a + 1 ? 1 - lowerGammaSeries(a, x) : upperGammaContinuedFraction(a, x);
}

/**
 * The x with P(a, x) = p: Numerical Recipes' starting guess (Wilson-Hilferty
 * for a > 1) refined by Halley steps, which converge cubically, so a relative
 * step of 1e-12 leaves the answer far below the 1e-8 the intervals need.
 */
function inverseRegularizedGammaP(p: number, a: number): number {
  if (p <= 0) return 0;
  if (p >= 1) return Infinity;
  const gln = lnGamma(a);
  const a1 = a - 1;
  const lnA1 = a > 1 ? Math.log(a1) : 0;
  const aFactor = a > 1 ? Math.exp(a1 * (lnA1 - 1) - gln) : 0;
  let x: number;
  if (a > 1) {
    const pp = p < 0.5 ? p : 1 - p;
    const t = Math.sqrt(-2 * Math.log(pp));
    let z = (2.30753 + t * 0.27061) / (1 + t * (0.99229 + t * 0.04481)) - t;
    if (p < 0.5) z = -z;
    x = Math.max(1e-3, a * Math.pow(1 - 1 / (9 * a) - z / (3 * Math.sqrt(a)), 3));
  } else {
    const t = 1 - a * (0.253 + a * 0.12);
    x = p < t ? Math.pow(p / t, 1 / a) : 1 - Math.log(1 - (p - t) / (1 - t));
  }
  for (let i = 0; i < 100; i++) {
    if (x <= 0) return 0;
    const error = regularizedGammaP(a, x) - p;
    const density = a > 1 ? aFactor * Math.exp(-(x - a1) + a1 * (Math.log(x) - lnA1)) : Math.exp(-x + a1 * Math.log(x) - gln);
    const newton = error / density;
    const step = newton / (1 - 0.5 * Math.min(1, newton * (a1 / x - 1)));
    x -= step;
    if (x <= 0) x = 0.5 * (x + step);
    if (Math.abs(step) < 1e-12 * x) return x;
  }
  return x;
}

/** The p-quantile of the chi-square distribution with df degrees of freedom. */
export function chiSquareQuantile(p: number, df: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`probability must be in [0, 1], got ${p}`);
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be positive, got ${df}`);
  return 2 * inverseRegularizedGammaP(p, df / 2);
}

/** P(X ≥ x) for X chi-square with df degrees of freedom: the p-value of a chi-square statistic. */
function chiSquareUpperTail(x: number, df: number): number {
  return regularizedGammaQ(df / 2, x / 2);
}

/** P(X ≤ k) for X ~ Poisson(λ), through the identity P(X ≤ k) = Q(k + 1, λ). */
export function poissonCdf(k: number, lambda: number): number {
  assertCount(k, 'k');
  if (!(lambda >= 0 && Number.isFinite(lambda))) throw new RangeError(`lambda must be a finite non-negative number, got ${lambda}`);
  return lambda === 0 ? 1 : regularizedGammaQ(k + 1, lambda);
}

/** The two-sided standard normal quantile, from χ²₁ = Z² so no second inverse is needed. */
function normalQuantileTwoSided(confidence: number): number {
  return Math.sqrt(chiSquareQuantile(confidence, 1));
}

function assertCount(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
}

function assertPositive(value: number, name: string): void {
  if (!(value > 0 && Number.isFinite(value))) throw new RangeError(`${name} must be a positive finite number, got ${value}`);
}

function assertNonNegative(value: number, name: string): void {
  if (!(value >= 0 && Number.isFinite(value))) throw new RangeError(`${name} must be a non-negative finite number, got ${value}`);
}

function assertProbability(value: number, name: string): void {
  if (!(value > 0 && value < 1)) throw new RangeError(`${name} must be strictly between 0 and 1, got ${value}`);
}

// ---------------------------------------------------------------------------
// Rates

/**
 * A failure rate with its exact (Garwood 1936) confidence interval: the
 * limits are the Poisson means under which the observed count sits in the
 * α/2 tail, lower = χ²(α/2; 2k)/2 and upper = χ²(1-α/2; 2k+2)/2, divided by
 * the exposure. Exact rather than normal-approximate because fleet counts per
 * model or per age band are small, where the normal interval goes negative or
 * is far too narrow; with no failure the lower limit is 0.
 */
export function poissonRateInterval(events: number, exposure: number, confidence = 0.95): RateInterval {
  assertCount(events, 'events');
  assertPositive(exposure, 'exposure');
  assertProbability(confidence, 'confidence');
  const alpha = 1 - confidence;
  const lowerCount = events === 0 ? 0 : chiSquareQuantile(alpha / 2, 2 * events) / 2;
  const upperCount = chiSquareQuantile(1 - alpha / 2, 2 * events + 2) / 2;
  return { rate: events / exposure, lower: lowerCount / exposure, upper: upperCount / exposure };
}

/**
 * Failures per 100 terminal-years with its interval, and whether there is
 * enough data to show it as a figure: 'insufficient' when the exposure is
 * under MIN_EXPOSURE_TERMINAL_YEARS or the interval is wider than
 * MAX_RELATIVE_INTERVAL_WIDTH times the rate (which includes every zero
 * count). The limits are returned either way so the UI can still say
 * "at most 7 per 100 terminal-years".
 */
export function failureRatePer100Years(failures: number, terminalYears: number, confidence = 0.95): FailureRate {
  const { rate, lower, upper } = poissonRateInterval(failures, terminalYears, confidence);
  const tooWide = upper - lower > MAX_RELATIVE_INTERVAL_WIDTH * rate;
  const verdict: RateVerdict = terminalYears < MIN_EXPOSURE_TERMINAL_YEARS || tooWide ? 'insufficient' : 'sufficient';
  return { rate: rate * 100, lower: lower * 100, upper: upper * 100, verdict };
}

export interface MtbfEstimate {
  /** Exposure per failure; null with no failure, when there is no point estimate at all. */
  mtbf: number | null;
  lower: number;
  /** Null with no failure: the data cannot rule out that the unit never fails. */
  upper: number | null;
}

/**
 * Mean time between failures in the unit of the exposure (hours or years),
 * as the reciprocal of the exact rate interval. It is exposure / failures, so
 * one failure gives the whole exposure and never 0 (some CMMS divide the span
 * between the first and last failure by failures - 1, which is 0 or undefined
 * with fewer than two failures and ignores the failure-free time).
 */
export function mtbf(exposure: number, failures: number, confidence = 0.95): MtbfEstimate {
  const { lower, upper } = poissonRateInterval(failures, exposure, confidence);
  return {
    mtbf: failures === 0 ? null : exposure / failures,
    lower: 1 / upper,
    upper: failures === 0 ? null : 1 / lower,
  };
}

/** Expected failures of one unit over the coming years at a constant rate per year: the repair-or-replace outlook. */
export function expectedFailures(ratePerYear: number, years: number): number {
  assertNonNegative(ratePerYear, 'ratePerYear');
  assertNonNegative(years, 'years');
  return ratePerYear * years;
}

// ---------------------------------------------------------------------------
// Survival of a batch

export interface SurvivalObservation {
  /** Time in service until the failure, or until the unit was last seen working. */
  time: number;
  /** True for a failure; false when the unit is still working (or left the fleet) at `time`. */
  event: boolean;
  /** How many units share this time and outcome (grouped data, e.g. whole months of service); 1 when absent. */
  count?: number;
}

export interface SurvivalStep {
  time: number;
  atRisk: number;
  events: number;
  censored: number;
  survival: number;
  /** Greenwood's standard error of the survival. */
  standardError: number;
  /** Log-log limits; null once survival reaches 0, where that transform is undefined. */
  lower: number | null;
  upper: number | null;
}

/**
 * The Kaplan-Meier estimate of the share of units still working after a time
 * in service, one step per distinct time (failures and censorings, so a chart
 * can mark the censored units). Units censored at a failure time count as at
 * risk at that time: the usual convention that failures come first.
 * Variance by Greenwood's formula; confidence limits on the log(-log S) scale
 * (Kalbfleisch & Prentice), which stay inside [0, 1] and behave better than
 * the plain interval in the small batches a fleet has.
 */
export function kaplanMeier(observations: readonly SurvivalObservation[], confidence = 0.95): SurvivalStep[] {
  assertProbability(confidence, 'confidence');
  for (const { time } of observations) assertNonNegative(time, 'time');
  const z = normalQuantileTwoSided(confidence);
  for (const { count } of observations) if (count !== undefined) assertNonNegative(count, 'count');
  const sorted = [...observations].sort((a, b) => a.time - b.time);
  const steps: SurvivalStep[] = [];
  let atRisk = sorted.reduce((sum, observation) => sum + (observation.count ?? 1), 0);
  let survival = 1;
  let greenwoodSum = 0;
  let i = 0;
  while (i < sorted.length) {
    const time = sorted[i]!.time;
    let events = 0;
    let censored = 0;
    for (; i < sorted.length && sorted[i]!.time === time; i++) {
      if (sorted[i]!.event) events += sorted[i]!.count ?? 1;
      else censored += sorted[i]!.count ?? 1;
    }
    if (events > 0) {
      survival *= 1 - events / atRisk;
      // Infinite once every unit at risk has failed; survival is then 0 and has no limits.
      greenwoodSum += events / (atRisk * (atRisk - events));
    }
    steps.push({ time, atRisk, events, censored, survival, ...survivalLimits(survival, greenwoodSum, z) });
    atRisk -= events + censored;
  }
  return steps;
}

function survivalLimits(survival: number, greenwoodSum: number, z: number): Pick<SurvivalStep, 'standardError' | 'lower' | 'upper'> {
  if (survival === 0) return { standardError: 0, lower: null, upper: null };
  const standardError = survival * Math.sqrt(greenwoodSum);
  if (greenwoodSum === 0) return { standardError, lower: 1, upper: 1 };
  const theta = Math.exp((z * Math.sqrt(greenwoodSum)) / Math.log(survival));
  return { standardError, lower: Math.pow(survival, 1 / theta), upper: Math.pow(survival, theta) };
}

// ---------------------------------------------------------------------------
// Hazard trend with age

export interface AgeBandExposure {
  /** The band's representative age in years (its midpoint), used as the trend score. */
  ageYears: number;
  failures: number;
  /** Terminal-years spent in this age band by the units concerned. */
  exposure: number;
}

export interface AgeBandRate extends AgeBandExposure {
  /** Per 100 terminal-years, with its verdict. */
  rate: FailureRate;
}

export type TrendDirection = 'rising' | 'flat' | 'falling';

export interface HazardTrend {
  bands: AgeBandRate[];
  /** Score statistic, chi-square with 1 degree of freedom under "no trend". */
  chiSquare: number;
  pValue: number;
  direction: TrendDirection;
}

/**
 * Whether the failure rate rises or falls with age: the score test for the
 * slope b of the log-linear Poisson model log(rate) = a + b·age, i.e. the
 * chi-square test for trend in rates (Breslow & Day, Statistical Methods in
 * Cancer Research II, 1987, ch. 3). Under b = 0 band i expects
 * E_i = D·T_i/T failures; U = Σ age_i (d_i - E_i) and
 * V = Σ age_i² E_i - (Σ age_i E_i)² / D give U²/V ~ χ²₁. Exposure-weighted,
 * so more failures from more (not older) terminals is no trend. The direction
 * is the sign of U when p < significance, otherwise 'flat'; with no failure or
 * a single age there is nothing to test and the answer is 'flat' with p = 1.
 */
export function hazardTrend(bands: readonly AgeBandExposure[], confidence = 0.95, significance = 0.05): HazardTrend {
  assertProbability(significance, 'significance');
  const rated = bands.map((band) => {
    if (!Number.isFinite(band.ageYears)) throw new RangeError(`ageYears must be finite, got ${band.ageYears}`);
    return { ...band, rate: failureRatePer100Years(band.failures, band.exposure, confidence) };
  });
  const totalFailures = bands.reduce((sum, band) => sum + band.failures, 0);
  const totalExposure = bands.reduce((sum, band) => sum + band.exposure, 0);
  let score = 0;
  let sumAgeExpected = 0;
  let sumAgeSquaredExpected = 0;
  for (const { ageYears, failures, exposure } of bands) {
    const expected = (totalFailures * exposure) / totalExposure;
    score += ageYears * (failures - expected);
    sumAgeExpected += ageYears * expected;
    sumAgeSquaredExpected += ageYears * ageYears * expected;
  }
  const variance = totalFailures > 0 ? sumAgeSquaredExpected - (sumAgeExpected * sumAgeExpected) / totalFailures : 0;
  // Relative guard: with a single distinct age the variance is rounding noise, not information.
  if (!(variance > 1e-12 * sumAgeSquaredExpected)) return { bands: rated, chiSquare: 0, pValue: 1, direction: 'flat' };
  const chiSquare = (score * score) / variance;
  const pValue = chiSquareUpperTail(chiSquare, 1);
  const direction: TrendDirection = pValue >= significance ? 'flat' : score > 0 ? 'rising' : 'falling';
  return { bands: rated, chiSquare, pValue, direction };
}

// ---------------------------------------------------------------------------
// Summaries of durations (repair times, time to restore)

/**
 * The q-quantile by linear interpolation between order statistics: R's
 * default type 7 (Hyndman & Fan 1996), also numpy's and Excel's
 * PERCENTILE.INC, so figures can be checked in a spreadsheet. Null for no
 * values, which the UI shows as "no data".
 */
export function quantile(values: readonly number[], q: number): number | null {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`q must be in [0, 1], got ${q}`);
  for (const value of values) if (!Number.isFinite(value)) throw new RangeError(`values must be finite, got ${value}`);
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const low = sorted[below];
  if (low === undefined) return null;
  const high = sorted[Math.min(below + 1, sorted.length - 1)] ?? low;
  return low + (position - below) * (high - low);
}

// ---------------------------------------------------------------------------
// Spare pools

export interface TurnaroundDemandInput {
  installedBase: number;
  /** Failures per terminal-year (failureRatePer100Years(...).rate / 100); its upper limit gives a cautious pool. */
  annualFailureRate: number;
  /** Days a failed unit is away (repair or replacement) before the spare it borrowed comes back. */
  turnaroundDays: number;
}

/** λ = installed base × annual failure rate × turnaround days / 365: failures expected while a unit is away. */
export function expectedDemandDuringTurnaround({ installedBase, annualFailureRate, turnaroundDays }: TurnaroundDemandInput): number {
  assertNonNegative(installedBase, 'installedBase');
  assertNonNegative(annualFailureRate, 'annualFailureRate');
  assertNonNegative(turnaroundDays, 'turnaroundDays');
  return (installedBase * annualFailureRate * turnaroundDays) / 365;
}

/**
 * The smallest pool s with P(demand ≤ s) ≥ serviceLevel for Poisson demand
 * with mean λ during a turnaround: the classic (S-1, S) spares model, in
 * which the service level is the chance that no merchant waits for a spare.
 */
export function recommendedSpares(expectedDemand: number, serviceLevel: number): number {
  assertNonNegative(expectedDemand, 'expectedDemand');
  assertProbability(serviceLevel, 'serviceLevel');
  let spares = 0;
  while (poissonCdf(spares, expectedDemand) < serviceLevel) spares++;
  return spares;
}

// ---------------------------------------------------------------------------
// Ranking models (or suppliers, batches) for procurement

export interface RateItem {
  key: string;
  failures: number;
  /** Terminal-years. */
  exposure: number;
}

/**
 * best: the lowest rate (ties share it); indistinguishable: its interval
 * overlaps the best's; worse: its whole interval lies above the best's;
 * insufficient: too little data to rank (see failureRatePer100Years).
 */
export type RankStanding = 'best' | 'indistinguishable' | 'worse' | 'insufficient';

export type RankedRate<T extends RateItem> = T & {
  rate: FailureRate;
  /** 1-based, equal rates share a rank (1, 1, 3); null when insufficient. */
  rank: number | null;
  standing: RankStanding;
};

/**
 * Items ordered from the most to the least reliable, with how sure the order
 * is. Only items with enough data are ranked, by their rate per 100
 * terminal-years; the others follow, unranked and flagged, ordered by their
 * upper limit, so 40 units without a failure are not crowned best on a
 * fluke. Interval overlap is a deliberately cautious test (two 95% intervals
 * can overlap while the rates differ at the 5% level): procurement would
 * rather hear "not distinguishable" than switch suppliers on noise.
 */
export function rankByRate<T extends RateItem>(items: readonly T[], confidence = 0.95): RankedRate<T>[] {
  const rated = items.map((item) => ({ ...item, rate: failureRatePer100Years(item.failures, item.exposure, confidence) }));
  const byKey = (a: T, b: T) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  const ranked = rated.filter((item) => item.rate.verdict === 'sufficient').sort((a, b) => a.rate.rate - b.rate.rate || byKey(a, b));
  const unranked = rated.filter((item) => item.rate.verdict === 'insufficient').sort((a, b) => a.rate.upper - b.rate.upper || byKey(a, b));
  const best = ranked[0];
  let rank = 0;
  const result: RankedRate<T>[] = ranked.map((item, index) => {
    if (index === 0 || item.rate.rate !== ranked[index - 1]!.rate.rate) rank = index + 1;
    const standing: RankStanding =
      item.rate.rate === best!.rate.rate ? 'best' : item.rate.lower <= best!.rate.upper ? 'indistinguishable' : 'worse';
    return { ...item, rank, standing };
  });
  for (const item of unranked) result.push({ ...item, rank: null, standing: 'insufficient' });
  return result;
}

// ---------------------------------------------------------------------------
// Shares (first-time fix, reopen, claim acceptance)

export interface ProportionInterval {
  rate: number | null;
  lower: number | null;
  upper: number | null;
}

/**
 * A share with Wilson's score interval (Wilson 1927; Newcombe 1998, method 3):
 * it stays inside [0, 1] and keeps its coverage for the small samples and
 * the shares near 0 or 1 that first-time-fix and claim figures have, where
 * the textbook p ± z·√(p(1−p)/n) says "0% ± 0" after 3 tickets.
 */
export function wilsonInterval(successes: number, total: number, confidence = 0.95): ProportionInterval {
  assertProbability(confidence, 'confidence');
  assertNonNegative(successes, 'successes');
  assertNonNegative(total, 'total');
  if (successes > total) throw new RangeError(`successes (${successes}) must not exceed total (${total})`);
  if (total === 0) return { rate: null, lower: null, upper: null };
  const z = normalQuantileTwoSided(confidence);
  const p = successes / total;
  const denominator = 1 + (z * z) / total;
  const centre = (p + (z * z) / (2 * total)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / total + (z * z) / (4 * total * total))) / denominator;
  return { rate: p, lower: successes === 0 ? 0 : Math.max(0, centre - half), upper: successes === total ? 1 : Math.min(1, centre + half) };
}
