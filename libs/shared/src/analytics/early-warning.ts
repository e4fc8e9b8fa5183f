/**
 * Alarm-based early warning (预防性更换) for issue 7: which terminals' heartbeat
 * trends look like those of the units that failed before, with the evidence.
 * Pure; the API's job feeds it daily rollups and stores what it lists.
 *
 * Signals, from each terminal's daily heartbeat rollups. Each is the mean of
 * its daily values over a recent window (the last 14 days) and over a
 * baseline window (the 28 days before); the change is recent − baseline,
 * signed so that a larger change is worse:
 * - battery_fade: the day's lowest battery %, falling (a worn cell drains deeper);
 * - error_rise: error codes reported per day, rising;
 * - reboot_rise: drop-outs per day (the terminal went silent past its offline
 *   timeout and came back), rising. A heartbeat carries no boot counter or
 *   device uptime (`up_ms` is the time counted as reporting, not uptime), so a
 *   drop-out is the nearest observable to a reboot or power loss;
 * - signal_weakening: the day's mean signal dBm, falling;
 * - temperature_rise: the day's highest temperature °C, rising.
 * A signal is unknown (null) when either window has too few days with a value
 * (a desktop unit has no battery and, on Ethernet, no signal).
 *
 * Learning: the windows of units that failed end on the day of the failure
 * (that day excluded, so the failure itself is not its own warning); those of
 * the others (deployed, no failure since their baseline began) end today, and
 * they are also the units scored: the few of them about to fail make the
 * ratios a little conservative. Per signal, the likelihood ratio of a
 * change c is how much more common a change like c was among failed units
 * than among the others: in the narrowest interval centred on c that holds
 * the m nearest units of each group (m = √n of the smaller group, 10 to 100;
 * all of a group smaller than m), LR = P(in it | failed) / P(in it | not).
 * A ratio of tails ("at least as bad as c") was tried and rejected: when
 * failed units show large changes, every unit in the top tenth of ordinary
 * noise gets a ratio near 10, and a tenth of the fleet would be listed.
 * Smoothing: P(in it | not failed) = (k_H + 1) / (n_H + 2), and the failed
 * units' share is shrunk towards it as if 20 more failed units had
 * looked like the others: (k_F + 20 · P_H) / (n_F + 20).
 * So with few failed units every ratio stays near 1, with none it is 1, and
 * a ratio is never larger than the healthy units in the interval allow.
 *
 * Score: naive Bayes, the sum of ln LR over the signals known for the unit
 * (ln of how many times its odds of failing exceed the fleet's, if the
 * signals were independent; correlated signals make it overstate, which
 * shifts scores but hardly the order). A unit is listed when its score
 * reaches ln 5 (odds five times the fleet's).
 */
import type { PageQuery } from '../common/pagination';
import { EARLY_WARNING_SIGNALS, type AnalyticsQuery, type EarlyWarningEvidence, type EarlyWarningSignal } from './analytics.contracts';

const DAY_MS = 86_400_000;

/** `GET /analytics/early-warning`: the swap list, of a region (and its sub-regions) or a model, a page at a time. */
export interface EarlyWarningQuery extends Pick<AnalyticsQuery, 'regionId' | 'modelId'>, PageQuery {}

/** One terminal-day of heartbeat rollups. */
export interface HeartbeatDay {
  /** Start of the UTC day, epoch ms. */
  day: number;
  /** Heartbeats received that day; 0 when it sent none (a day with drop-outs only). */
  samples: number;
  batteryMin: number | null;
  signalAvg: number | null;
  temperatureMax: number | null;
  /** Error codes reported. */
  errors: number;
  /** Times it went offline. */
  dropouts: number;
}

export interface EarlyWarningWindows {
  recentDays: number;
  baselineDays: number;
  /** Days with a value a signal needs in each window to be known. */
  minRecentDays: number;
  minBaselineDays: number;
}

export const EARLY_WARNING_WINDOWS: EarlyWarningWindows = { recentDays: 14, baselineDays: 28, minRecentDays: 5, minBaselineDays: 10 };

/** Failed units counted as if this many more had looked like the others. */
export const EARLY_WARNING_PRIOR_UNITS = 20;
/** The score from which a unit is listed: ln 5. */
export const EARLY_WARNING_LIST_SCORE = Math.log(5);
const NEIGHBOURS = { min: 10, max: 100 };

/** How many units of each group make a neighbourhood: √n of the smaller group, 10 to 100. */
function neighboursOf(smallerGroup: number): number {
  return Math.max(NEIGHBOURS.min, Math.min(NEIGHBOURS.max, Math.round(Math.sqrt(smallerGroup))));
}

export interface SignalWindow {
  recent: number | null;
  baseline: number | null;
  /** recent − baseline, signed so that larger is worse; null when either is unknown. */
  change: number | null;
}

export type SignalWindows = Record<EarlyWarningSignal, SignalWindow>;

/** Each signal's daily value (null: none that day) and whether falling (−1) or rising (+1) is worse. */
const SIGNALS: Record<EarlyWarningSignal, { value(day: HeartbeatDay): number | null; worse: 1 | -1 }> = {
  battery_fade: { value: (day) => day.batteryMin, worse: -1 },
  error_rise: { value: (day) => (day.samples > 0 ? day.errors : null), worse: 1 },
  reboot_rise: { value: (day) => (day.samples > 0 || day.dropouts > 0 ? day.dropouts : null), worse: 1 },
  signal_weakening: { value: (day) => day.signalAvg, worse: -1 },
  temperature_rise: { value: (day) => day.temperatureMax, worse: 1 },
};

/** A value for each signal. */
export function perSignal<T>(value: (signal: EarlyWarningSignal) => T): Record<EarlyWarningSignal, T> {
  const result = {} as Record<EarlyWarningSignal, T>;
  for (const signal of EARLY_WARNING_SIGNALS) result[signal] = value(signal);
  return result;
}

/** The change from baseline to recent, signed so that larger is worse. */
export function signalChange(signal: EarlyWarningSignal, recent: number, baseline: number): number {
  // + 0 turns −0 into 0.
  return SIGNALS[signal].worse * (recent - baseline) + 0;
}

/** The start of the UTC day of `ms`: where the windows of a unit that failed at `ms` end. */
export function startOfUtcDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/**
 * Each signal over the recent window [end − recentDays, end) and the baseline
 * window before it; `endMs` is the start of a UTC day (today, or the day of
 * the failure). Days outside both windows are ignored.
 */
export function signalWindows(days: readonly HeartbeatDay[], endMs: number, windows: EarlyWarningWindows = EARLY_WARNING_WINDOWS): SignalWindows {
  const recentStart = endMs - windows.recentDays * DAY_MS;
  const baselineStart = recentStart - windows.baselineDays * DAY_MS;
  return perSignal((signal) => {
    const sums = { recent: 0, recentDays: 0, baseline: 0, baselineDays: 0 };
    for (const day of days) {
      if (day.day < baselineStart || day.day >= endMs) continue;
      const value = SIGNALS[signal].value(day);
      if (value === null) continue;
      if (day.day >= recentStart) {
        sums.recent += value;
        sums.recentDays++;
      } else {
        sums.baseline += value;
        sums.baselineDays++;
      }
    }
    const recent = sums.recentDays >= windows.minRecentDays ? sums.recent / sums.recentDays : null;
    const baseline = sums.baselineDays >= windows.minBaselineDays ? sums.baseline / sums.baselineDays : null;
    return { recent, baseline, change: recent === null || baseline === null ? null : signalChange(signal, recent, baseline) };
  });
}

/** Whether any signal of the unit is known: only such units are learnt from and scored. */
export function hasSignal(windows: SignalWindows): boolean {
  return EARLY_WARNING_SIGNALS.some((signal) => windows[signal].change !== null);
}

/** The changes of one signal among the units learnt from. */
export interface SignalSample {
  failed: ArrayLike<number>;
  healthy: ArrayLike<number>;
}

export interface EarlyWarningAssessment {
  /** Sum of ln likelihood ratios over the known signals. */
  score: number;
  /** Every signal, strongest evidence first (unknown ones last). */
  evidence: EarlyWarningEvidence[];
}

class SignalModel {
  private readonly failed: Float64Array;
  private readonly healthy: Float64Array;
  readonly failedMedianChange: number | null;

  constructor(sample: SignalSample) {
    this.failed = sortedCopy(sample.failed);
    this.healthy = sortedCopy(sample.healthy);
    this.failedMedianChange = median(this.failed);
  }

  likelihoodRatio(change: number): number | null {
    const nF = this.failed.length;
    const nH = this.healthy.length;
    if (nF === 0 || nH === 0 || !Number.isFinite(change)) return null;
    // The narrowest interval centred on the change holding the nearest m of each group (all of a group smaller than m).
    const m = neighboursOf(Math.min(nF, nH));
    const radius = Math.max(nearestRadius(this.failed, change, Math.min(m, nF)), nearestRadius(this.healthy, change, Math.min(m, nH)));
    const nearFailed = upperBound(this.failed, change + radius) - lowerBound(this.failed, change - radius);
    const nearHealthy = upperBound(this.healthy, change + radius) - lowerBound(this.healthy, change - radius);
    const pHealthy = (nearHealthy + 1) / (nH + 2);
    const pFailed = (nearFailed + EARLY_WARNING_PRIOR_UNITS * pHealthy) / (nF + EARLY_WARNING_PRIOR_UNITS);
    return pFailed / pHealthy;
  }
}

/** What the comparison of failed and other units taught, per signal. */
export class EarlyWarningModel {
  private readonly signals: Record<EarlyWarningSignal, SignalModel>;

  /**
   * `samples`: per signal, the known changes of the failed units and of the
   * others; `units`: how many units of each group had any known signal.
   */
  constructor(
    samples: Record<EarlyWarningSignal, SignalSample>,
    readonly units: { failed: number; healthy: number },
  ) {
    this.signals = perSignal((signal) => new SignalModel(samples[signal]));
  }

  /** From the windows of the units that failed and of those that did not. */
  static learn(failed: readonly SignalWindows[], healthy: readonly SignalWindows[]): EarlyWarningModel {
    const changes = (group: readonly SignalWindows[], signal: EarlyWarningSignal) => group.flatMap((windows) => (windows[signal].change === null ? [] : [windows[signal].change]));
    return new EarlyWarningModel(perSignal((signal) => ({ failed: changes(failed, signal), healthy: changes(healthy, signal) })), { failed: failed.filter(hasSignal).length, healthy: healthy.filter(hasSignal).length });
  }

  /** How much more common a change like this one was among units that failed; null when the signal taught nothing. */
  likelihoodRatio(signal: EarlyWarningSignal, change: number | null): number | null {
    return change === null ? null : this.signals[signal].likelihoodRatio(change);
  }

  failedMedianChange(signal: EarlyWarningSignal): number | null {
    return this.signals[signal].failedMedianChange;
  }

  /** The score alone, for the pass over the whole fleet: `changes` in EARLY_WARNING_SIGNALS order. */
  score(changes: readonly (number | null)[]): number {
    let score = 0;
    EARLY_WARNING_SIGNALS.forEach((signal, index) => {
      const ratio = this.likelihoodRatio(signal, changes[index] ?? null);
      if (ratio !== null) score += Math.log(ratio);
    });
    return score;
  }

  /** The score and the evidence behind it, as the swap list shows them. */
  assess(windows: SignalWindows): EarlyWarningAssessment {
    let score = 0;
    const evidence = EARLY_WARNING_SIGNALS.map((signal) => {
      const { recent, baseline, change } = windows[signal];
      const ratio = this.likelihoodRatio(signal, change);
      if (ratio !== null) score += Math.log(ratio);
      return {
        signal,
        recent: round(recent, 2),
        baseline: round(baseline, 2),
        change: round(change, 2),
        failedMedianChange: round(this.failedMedianChange(signal), 2),
        likelihoodRatio: round(ratio, 2),
        rank: ratio ?? -1,
      };
    });
    evidence.sort((a, b) => b.rank - a.rank);
    return { score, evidence: evidence.map(({ rank: _rank, ...row }) => row) };
  }
}

export function isListed(score: number): boolean {
  return score >= EARLY_WARNING_LIST_SCORE;
}

function round(value: number | null, digits: number): number | null {
  if (value === null) return null;
  const factor = 10 ** digits;
  // + 0 turns −0 into 0.
  return Math.round(value * factor) / factor + 0;
}

/** A sorted copy; a caller that sorted already (in slices, between other work) saves the sort. */
function sortedCopy(values: ArrayLike<number>): Float64Array {
  const copy = Float64Array.from(values);
  for (let i = 1; i < copy.length; i++) if (copy[i - 1]! > copy[i]!) return copy.sort();
  return copy;
}

function median(sorted: Float64Array): number | null {
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The distance from x to the k-th nearest of the sorted values (k ≤ their number). */
function nearestRadius(sorted: Float64Array, x: number, k: number): number {
  // The window [low, low + k) of the k values nearest to x, found by bisection.
  const at = lowerBound(sorted, x);
  let low = Math.max(0, at - k);
  let high = Math.min(at, sorted.length - k);
  while (low < high) {
    const mid = (low + high) >> 1;
    if (x - sorted[mid]! > sorted[mid + k]! - x) low = mid + 1;
    else high = mid;
  }
  return Math.max(x - sorted[low]!, sorted[low + k - 1]! - x, 0);
}

/** First index whose value is ≥ x. */
function lowerBound(values: Float64Array, x: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (values[mid]! < x) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** First index whose value is > x. */
function upperBound(values: Float64Array, x: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (values[mid]! <= x) low = mid + 1;
    else high = mid;
  }
  return low;
}
