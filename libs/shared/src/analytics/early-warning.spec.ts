import { seededRandom, type Random } from '../demo/random';
import { EARLY_WARNING_SIGNALS, type EarlyWarningSignal } from './analytics.contracts';
import {
  EARLY_WARNING_LIST_SCORE,
  EarlyWarningModel,
  hasSignal,
  isListed,
  perSignal,
  signalChange,
  signalWindows,
  startOfUtcDay,
  type HeartbeatDay,
  type SignalSample,
  type SignalWindows,
} from './early-warning';

const DAY = 86_400_000;
const END = Date.parse('2026-03-01T00:00:00Z');

/** `count` days ending the day before `end`, oldest first, each from `fields(daysBeforeEnd)`. */
function series(count: number, fields: (daysBefore: number) => Partial<HeartbeatDay>, end = END): HeartbeatDay[] {
  return Array.from({ length: count }, (_, i) => {
    const daysBefore = count - i;
    return { day: end - daysBefore * DAY, samples: 200, batteryMin: 40, signalAvg: -70, temperatureMax: 40, errors: 1, dropouts: 0, ...fields(daysBefore) };
  });
}

/** Days 1–14 before the end are the recent window, 15–42 the baseline. */
const recentOr = <T>(recent: T, baseline: T) => (daysBefore: number) => (daysBefore <= 14 ? recent : baseline);

describe(signalWindows.name, () => {
  it.each<[string, HeartbeatDay[], EarlyWarningSignal, { recent: number | null; baseline: number | null; change: number | null }]>([
    ['a steady unit', series(42, () => ({})), 'battery_fade', { recent: 40, baseline: 40, change: 0 }],
    ['a battery whose daily low falls from 40% to 15%', series(42, (d) => ({ batteryMin: recentOr(15, 40)(d) })), 'battery_fade', { recent: 15, baseline: 40, change: 25 }],
    ['a battery that holds better (an improvement is a negative change)', series(42, (d) => ({ batteryMin: recentOr(50, 40)(d) })), 'battery_fade', { recent: 50, baseline: 40, change: -10 }],
    ['errors rising from 1 to 6 a day', series(42, (d) => ({ errors: recentOr(6, 1)(d) })), 'error_rise', { recent: 6, baseline: 1, change: 5 }],
    ['drop-outs rising from none to 2 a day', series(42, (d) => ({ dropouts: recentOr(2, 0)(d) })), 'reboot_rise', { recent: 2, baseline: 0, change: 2 }],
    ['signal weakening from −70 to −85 dBm', series(42, (d) => ({ signalAvg: recentOr(-85, -70)(d) })), 'signal_weakening', { recent: -85, baseline: -70, change: 15 }],
    ['temperature rising from 40 to 52 °C', series(42, (d) => ({ temperatureMax: recentOr(52, 40)(d) })), 'temperature_rise', { recent: 52, baseline: 40, change: 12 }],
    ['a desktop unit without battery', series(42, () => ({ batteryMin: null })), 'battery_fade', { recent: null, baseline: null, change: null }],
    [
      'only 4 recent days (5 needed)',
      series(42, () => ({})).filter((day) => day.day < END - 14 * DAY || day.day >= END - 4 * DAY),
      'error_rise',
      { recent: null, baseline: 1, change: null },
    ],
    ['only 9 baseline days (10 needed)', series(23, () => ({})), 'error_rise', { recent: 1, baseline: null, change: null }],
    ['days outside both windows ignored', [...series(60, (d) => ({ errors: d > 42 ? 100 : 1 })), ...series(3, () => ({ errors: 100 }), END + 3 * DAY)], 'error_rise', { recent: 1, baseline: 1, change: 0 }],
    ['a silent day counted only for drop-outs', series(42, (d) => (d <= 14 && d % 2 === 0 ? { samples: 0, errors: 0, dropouts: 1 } : {})), 'error_rise', { recent: 1, baseline: 1, change: 0 }],
    ['a silent day with drop-outs', series(42, (d) => (d <= 14 && d % 2 === 0 ? { samples: 0, errors: 0, dropouts: 1 } : {})), 'reboot_rise', { recent: 0.5, baseline: 0, change: 0.5 }],
  ])('should measure %s', (_case, days, signal, expected) => {
    expect(signalWindows(days, END)[signal]).toEqual(expected);
  });

  it('should end the windows where asked: a failure on a day leaves that day out', () => {
    const failedAt = END + 9 * 3_600_000;
    const days = series(43, (d) => ({ errors: d === 0 ? 50 : 1 }), END + DAY);
    expect(startOfUtcDay(failedAt)).toBe(END);
    expect(signalWindows(days, startOfUtcDay(failedAt)).error_rise.change).toBe(0);
  });

  it('should know a unit with any signal, and not one without', () => {
    expect(hasSignal(signalWindows(series(42, () => ({})), END))).toBe(true);
    expect(hasSignal(signalWindows([], END))).toBe(false);
  });
});

describe(signalChange.name, () => {
  it.each<[EarlyWarningSignal, number, number, number]>([
    ['battery_fade', 20, 35, 15],
    ['error_rise', 8, 2, 6],
    ['reboot_rise', 0, 1, -1],
    ['signal_weakening', -90, -80, 10],
    ['temperature_rise', 45, 50, -5],
  ])('should sign %s so that worse is larger (recent %p, baseline %p)', (signal, recent, baseline, change) => {
    expect(signalChange(signal, recent, baseline)).toBe(change);
  });
});

/** Samples with only `signal` known: healthy 0..99, failed 200..219. */
function separated(signal: EarlyWarningSignal = 'battery_fade', failedCount = 20): Record<EarlyWarningSignal, SignalSample> {
  const samples = perSignal((): SignalSample => ({ failed: [], healthy: [] }));
  samples[signal] = { failed: Array.from({ length: failedCount }, (_, i) => 200 + i), healthy: Array.from({ length: 100 }, (_, i) => i) };
  return samples;
}

describe(EarlyWarningModel.name, () => {
  // Worked by hand: n_F = 20 and n_H = 100, so a neighbourhood holds the nearest 10 of each group.
  // At 210: the nearest 10 failed lie within 5, the nearest 10 healthy (90–99) within 120; in [90, 330]
  // are 20 failed and 10 healthy: P_H = 11/102, P_F = (20 + 20·P_H)/40, LR = 5.136. At 250 the same.
  // At 50, at 99 (the top of ordinary noise, where a ratio of tails would say 20) and at −30: the nearest
  // 10 failed (200–209) reach every healthy unit: 10 failed and 100 healthy, P_H = 101/102, LR = 0.7525.
  it.each([
    [210, 5.136],
    [250, 5.136],
    [50, 0.7525],
    [99, 0.7525],
    [-30, 0.7525],
  ])('should give a change of %p the likelihood ratio %p', (change, expected) => {
    expect(new EarlyWarningModel(separated(), { failed: 20, healthy: 100 }).likelihoodRatio('battery_fade', change)).toBeCloseTo(expected, 3);
  });

  it('should not explode on a tiny sample: one failed unit with a large change gives a ratio near 1', () => {
    const model = new EarlyWarningModel(separated('battery_fade', 1), { failed: 1, healthy: 100 });
    const ratio = model.likelihoodRatio('battery_fade', 200)!;
    expect(ratio).toBeGreaterThan(1);
    expect(ratio).toBeLessThan(1.5);
  });

  it('should learn nothing from a signal no failed unit had: no ratio, no score', () => {
    const model = new EarlyWarningModel(separated('battery_fade'), { failed: 20, healthy: 100 });
    expect(model.likelihoodRatio('error_rise', 5)).toBeNull();
    expect(model.likelihoodRatio('battery_fade', null)).toBeNull();
    expect(model.score([null, 5, null, null, null])).toBe(0);
  });

  it('should take every tie into the neighbourhood, whichever group it belongs to', () => {
    // 50 healthy and 10 failed units all unchanged: a change of 0 is as common in both groups.
    const samples = separated('error_rise', 0);
    samples.error_rise = { failed: new Array(10).fill(0), healthy: new Array(50).fill(0) };
    const ratio = new EarlyWarningModel(samples, { failed: 10, healthy: 50 }).likelihoodRatio('error_rise', 0)!;
    expect(ratio).toBeCloseTo(1, 1);
  });

  it('should sum ln ratios into the score, and show every signal with the strongest evidence first', () => {
    const samples = separated('battery_fade');
    samples.error_rise = { failed: Array.from({ length: 20 }, (_, i) => 10 + i / 10), healthy: Array.from({ length: 100 }, (_, i) => i / 100) };
    const model = new EarlyWarningModel(samples, { failed: 20, healthy: 100 });
    const windows: SignalWindows = {
      battery_fade: { recent: 10, baseline: 220, change: 210 },
      error_rise: { recent: 0.5, baseline: 0, change: 0.5 },
      reboot_rise: { recent: 0, baseline: 0, change: 0 },
      signal_weakening: { recent: null, baseline: -70, change: null },
      temperature_rise: { recent: 40, baseline: 40, change: 0 },
    };
    const { score, evidence } = model.assess(windows);
    const battery = model.likelihoodRatio('battery_fade', 210)!;
    const errors = model.likelihoodRatio('error_rise', 0.5)!;
    expect(score).toBeCloseTo(Math.log(battery) + Math.log(errors), 10);
    expect(model.score(EARLY_WARNING_SIGNALS.map((signal) => windows[signal].change))).toBeCloseTo(score, 10);
    expect(evidence.map((row) => row.signal)).toEqual(['battery_fade', 'error_rise', 'reboot_rise', 'signal_weakening', 'temperature_rise']);
    expect(evidence[0]).toEqual({ signal: 'battery_fade', recent: 10, baseline: 220, change: 210, failedMedianChange: 209.5, likelihoodRatio: 5.14 });
    expect(evidence[1]).toMatchObject({ signal: 'error_rise', change: 0.5, failedMedianChange: 10.95, likelihoodRatio: expect.any(Number) });
    expect(evidence[1]!.likelihoodRatio!).toBeLessThan(1);
    expect(evidence.slice(2).every((row) => row.likelihoodRatio === null)).toBe(true);
  });

  it.each([
    [EARLY_WARNING_LIST_SCORE - 1e-9, false],
    [EARLY_WARNING_LIST_SCORE, true],
    [Math.log(20), true],
  ])('should list a unit with score %p: %p', (score, listed) => {
    expect(isListed(score)).toBe(listed);
  });
});

/**
 * A planted fleet: units that failed show a precursor on one signal in 70% of
 * cases (battery fade, rising errors, drop-outs or weakening signal) and
 * nothing in the rest; ordinary units only noise. The model learnt from them
 * must rank fresh units with a planted precursor above ordinary ones and list
 * few ordinary units.
 */
describe('early warning on a planted fleet', () => {
  const precursors: EarlyWarningSignal[] = ['battery_fade', 'error_rise', 'reboot_rise', 'signal_weakening'];
  const normal = (random: Random, sd: number) => sd * (random.next() + random.next() + random.next() - 1.5) * 2;
  function unit(random: Random, precursor: EarlyWarningSignal | null): SignalWindows {
    const jump: Record<EarlyWarningSignal, number> = { battery_fade: 18, error_rise: 6, reboot_rise: 1.5, signal_weakening: 12, temperature_rise: 8 };
    const noise: Record<EarlyWarningSignal, number> = { battery_fade: 3, error_rise: 0.8, reboot_rise: 0.2, signal_weakening: 2, temperature_rise: 1.5 };
    return perSignal((signal) => ({ recent: null, baseline: null, change: normal(random, noise[signal]) + (signal === precursor ? jump[signal] * (0.7 + 0.6 * random.next()) : 0) }));
  }

  it('should rank the units with a precursor first and list few ordinary ones', () => {
    const random = seededRandom(7);
    const failed = Array.from({ length: 150 }, () => unit(random, random.next() < 0.7 ? random.pick(precursors) : null));
    const healthy = Array.from({ length: 3000 }, () => unit(random, null));
    const model = EarlyWarningModel.learn(failed, healthy);
    expect(model.units).toEqual({ failed: 150, healthy: 3000 });

    const scoreOf = (windows: SignalWindows) => model.score(EARLY_WARNING_SIGNALS.map((signal) => windows[signal].change));
    const atRisk = Array.from({ length: 40 }, () => scoreOf(unit(random, random.pick(precursors))));
    const ordinary = Array.from({ length: 2000 }, () => scoreOf(unit(random, null)));
    const listedAtRisk = atRisk.filter(isListed).length;
    const listedOrdinary = ordinary.filter(isListed).length;
    // Seeds 1–9 give 35–40 of 40, and 0–2 of 2000.
    expect(listedAtRisk).toBeGreaterThanOrEqual(34);
    expect(listedOrdinary).toBeLessThanOrEqual(10);
    // Area under the ROC curve: how often an at-risk unit outscores an ordinary one.
    let wins = 0;
    for (const a of atRisk) for (const o of ordinary) wins += a > o ? 1 : a === o ? 0.5 : 0;
    expect(wins / (atRisk.length * ordinary.length)).toBeGreaterThan(0.95);
  });

  it('should list nobody when nothing was learnt (no failed unit)', () => {
    const random = seededRandom(8);
    const model = EarlyWarningModel.learn([], Array.from({ length: 500 }, () => unit(random, null)));
    const windows = unit(random, 'battery_fade');
    expect(model.score(EARLY_WARNING_SIGNALS.map((signal) => windows[signal].change))).toBe(0);
  });
});
