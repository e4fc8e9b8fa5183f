/**
 * A believable past of daily heartbeat rollups for the demo fleet, so the
 * proactive swap list (analytics/early-warning.ts) has something to learn
 * from and to list on a fresh demo. Demo mode otherwise only has the
 * heartbeats its simulator sends from the start on.
 *
 * Every deployed unit, and every unit that failed within the history, gets
 * one rollup per UTC day: its own steady levels (battery low of the day for
 * battery units, mean signal for wireless ones, highest temperature, error
 * codes, transactions and prints) with day-to-day noise, and now and then a
 * drop-out (offline for a while, then back: a pair of status changes).
 * - Before a failure (a ticket not closed as no fault, duplicate or
 *   cancelled), most units degrade over its last one to two weeks, along the
 *   signals its symptom suggests: a failing battery fades, a unit that will
 *   not boot drops out more and runs hot, a network fault weakens the signal,
 *   card reader, printer and screen faults raise error codes. A fifth fail
 *   with no warning, and physical damage never has one. A unit is silent
 *   from its failure until its service was restored.
 * - A few deployed units with no recent failure are degrading now the same
 *   ways (the units the list should find), and about one in a hundred has a
 *   short bad spell of errors or drop-outs that means nothing.
 * Pure and deterministic for a seed. The units degrading now are drawn
 * first; then each unit's history depends only on the seed, its id, its
 * failures and whether it was drawn, so it is generated one unit at a time.
 */
import type { EarlyWarningSignal } from '../analytics/analytics.contracts';
import type { HeartbeatRollup } from '../heartbeats/heartbeats.contracts';
import type { IncidentSymptom } from '../incidents/incidents.contracts';
import type { TerminalCategory, TerminalStatus } from '../terminals/lifecycle';
import type { IsoDateTime } from '../terminals/terminals.contracts';
import { seededRandom, type Random } from './random';

const DAY = 86_400_000;
const MINUTE = 60_000;
/** The demo's devices report every five minutes. */
const HEARTBEAT_MS = 5 * MINUTE;

export const DEMO_HISTORY_DAYS = 60;

export interface DemoHistoryTerminal {
  id: number;
  category: TerminalCategory;
  status: TerminalStatus;
}

/** A failure ticket of the demo's past. */
export interface DemoHistoryFailure {
  terminalId: number;
  symptom: IncidentSymptom;
  occurredAt: IsoDateTime;
  /** When the unit worked again; null while it does not. */
  restoredAt: IsoDateTime | null;
}

export interface DemoHeartbeatHistoryOptions {
  seed?: number;
  now: IsoDateTime;
  /** Whole UTC days before today's (today is the simulator's). */
  days?: number;
  terminals: readonly DemoHistoryTerminal[];
  failures: readonly DemoHistoryFailure[];
  /** Deployed units degrading now; by default one in two hundred, at least 5. */
  atRisk?: number;
}

/** A row of `heartbeat_rollups` at day granularity. */
export interface DemoRollupDay extends HeartbeatRollup {
  terminalId: number;
  temperatureMax: number;
}

/** Offline at `offlineAt`, back at `onlineAt` (epoch ms). */
export interface DemoDropout {
  offlineAt: number;
  onlineAt: number;
}

export interface DemoTerminalHistory {
  terminalId: number;
  /** Degrading now, without a ticket yet. */
  atRisk: boolean;
  rollups: DemoRollupDay[];
  dropouts: DemoDropout[];
}

/** What a symptom's precursor degrades (first choice; the second joins at random). */
const PRECURSORS: Record<IncidentSymptom, EarlyWarningSignal[]> = {
  battery: ['battery_fade', 'reboot_rise'],
  wont_boot: ['reboot_rise', 'temperature_rise'],
  network: ['signal_weakening', 'reboot_rise'],
  transaction_errors: ['error_rise'],
  error_code: ['error_rise', 'temperature_rise'],
  card_reader: ['error_rise'],
  keys_touch: ['error_rise'],
  screen: ['error_rise'],
  printer: ['error_rise'],
  physical_damage: [],
};
/** How far each signal has moved when the unit fails. */
const FULL_CHANGE: Record<EarlyWarningSignal, [number, number]> = {
  battery_fade: [15, 28],
  error_rise: [4, 12],
  reboot_rise: [1, 3],
  signal_weakening: [8, 16],
  temperature_rise: [6, 14],
};
const AT_RISK_SYMPTOMS: IncidentSymptom[] = ['battery', 'wont_boot', 'network', 'error_code', 'printer', 'card_reader'];

interface Degradation {
  signals: EarlyWarningSignal[];
  /** Full change of each signal, reached on `until`. */
  full: Partial<Record<EarlyWarningSignal, number>>;
  from: number;
  until: number;
}

/** Each unit's history, one at a time (units with no day to report are skipped). */
export function* demoHeartbeatHistory(options: DemoHeartbeatHistoryOptions): Generator<DemoTerminalHistory> {
  const seed = options.seed ?? 1;
  const today = Math.floor(Date.parse(options.now) / DAY) * DAY;
  const first = today - (options.days ?? DEMO_HISTORY_DAYS) * DAY;
  const failuresOf = new Map<number, DemoHistoryFailure[]>();
  for (const failure of options.failures) {
    if (Date.parse(failure.occurredAt) >= today) continue;
    failuresOf.set(failure.terminalId, [...(failuresOf.get(failure.terminalId) ?? []), failure]);
  }
  const pick = seededRandom(seed);
  const calm = options.terminals.filter((terminal) => terminal.status === 'deployed' && !failuresOf.has(terminal.id));
  const atRiskCount = Math.min(calm.length, options.atRisk ?? Math.max(5, Math.round(calm.length / 200)));
  const atRisk = new Set<number>();
  while (atRisk.size < atRiskCount) atRisk.add(pick.pick(calm).id);

  for (const terminal of options.terminals) {
    const failures = (failuresOf.get(terminal.id) ?? []).sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
    if (terminal.status !== 'deployed' && failures.length === 0) continue;
    const random = seededRandom(seed * 7_919 + terminal.id * 104_729);
    const unit = profile(terminal.category, random);
    const silent: [number, number][] = failures.map((failure) => [Date.parse(failure.occurredAt), failure.restoredAt ? Date.parse(failure.restoredAt) : Infinity]);
    const degradations = failures.flatMap((failure) => {
      const at = Date.parse(failure.occurredAt);
      const signals = random.next() < 0.8 ? precursorOf(failure.symptom, unit, random) : [];
      return signals.length > 0 ? [degradation(signals, at - random.int(7, 16) * DAY, at, random)] : [];
    });
    if (atRisk.has(terminal.id)) {
      // Part of the way to a failure that has not come yet.
      const until = today + random.int(1, 5) * DAY;
      degradations.push(degradation(precursorOf(random.pick(AT_RISK_SYMPTOMS), unit, random), until - random.int(14, 20) * DAY, until, random));
    }
    const blip = random.next() < 0.01 ? { day: first + random.int(0, (today - first) / DAY - 1) * DAY, length: random.int(1, 3), signal: random.pick<EarlyWarningSignal>(['error_rise', 'reboot_rise']) } : null;

    const history: DemoTerminalHistory = { terminalId: terminal.id, atRisk: atRisk.has(terminal.id), rollups: [], dropouts: [] };
    for (let day = first; day < today; day += DAY) {
      // No rollup for a day the unit was broken at any time of (the day it failed to the day it was restored).
      if (silent.some(([from, to]) => from < day + DAY && to > day)) continue;
      const worse = (signal: EarlyWarningSignal) =>
        degradations.reduce((sum, d) => sum + (d.signals.includes(signal) ? (d.full[signal] ?? 0) * progress(d, day) : 0), 0) +
        (blip && blip.signal === signal && day >= blip.day && day < blip.day + blip.length * DAY ? (signal === 'error_rise' ? 8 : 2) : 0);
      const dropouts = poisson(random, unit.dropoutsPerDay + worse('reboot_rise'));
      const downMs: number[] = [];
      for (let n = 0; n < dropouts; n++) {
        const offlineAt = day + random.int(0, 22 * 60) * MINUTE;
        const length = random.int(20, 90) * MINUTE;
        history.dropouts.push({ offlineAt, onlineAt: Math.min(offlineAt + length, day + DAY - MINUTE) });
        downMs.push(Math.min(length, day + DAY - MINUTE - offlineAt));
      }
      const upMs = Math.max(0, unit.hoursOn * 3_600_000 - downMs.reduce((sum, ms) => sum + ms, 0));
      const samples = Math.max(1, Math.round((upMs / HEARTBEAT_MS) * (0.97 + 0.03 * random.next())));
      const transactions = Math.max(0, Math.round(unit.transactionsPerDay * (0.75 + 0.5 * random.next())));
      const batteryMin = unit.battery === null ? null : clamp(Math.round(unit.battery + noise(random, 4) - worse('battery_fade')), 1, 100);
      const signalAvg = unit.signal === null ? null : round1(clamp(unit.signal + noise(random, 2) - worse('signal_weakening'), -125, -45));
      history.rollups.push({
        terminalId: terminal.id,
        bucketStart: day,
        samples,
        upMs,
        batteryMin,
        batteryAvg: batteryMin === null ? null : round1(clamp(batteryMin + 30 + noise(random, 3), batteryMin, 100)),
        signalMin: signalAvg === null ? null : Math.round(signalAvg - random.int(6, 15)),
        signalAvg,
        temperatureMax: round1(unit.temperature + noise(random, 1.5) + worse('temperature_rise')),
        errorCount: poisson(random, unit.errorsPerDay + worse('error_rise')),
        transactions,
        prints: unit.printer ? Math.round(transactions * 1.1) : 0,
      });
    }
    if (history.rollups.length > 0 || history.dropouts.length > 0) yield history;
  }
}

interface UnitProfile {
  battery: number | null;
  signal: number | null;
  temperature: number;
  errorsPerDay: number;
  dropoutsPerDay: number;
  transactionsPerDay: number;
  hoursOn: number;
  printer: boolean;
}

function profile(category: TerminalCategory, random: Random): UnitProfile {
  const wired = category === 'desktop';
  return {
    battery: wired ? null : random.int(20, 45),
    signal: wired ? null : random.int(-95, -62),
    temperature: random.int(33, 44),
    errorsPerDay: 0.2 + 1.8 * random.next(),
    dropoutsPerDay: 0.02 + 0.08 * random.next(),
    transactionsPerDay: random.int(20, 160),
    // Some merchants switch their terminal off at night.
    hoursOn: random.next() < 0.6 ? 24 : random.int(12, 16),
    printer: category !== 'mpos',
  };
}

/** The signals a symptom's precursor moves on this unit (a unit without battery or radio cannot show those). */
function precursorOf(symptom: IncidentSymptom, unit: UnitProfile, random: Random): EarlyWarningSignal[] {
  const [main, second] = PRECURSORS[symptom];
  const usable = (signal: EarlyWarningSignal | undefined): signal is EarlyWarningSignal =>
    signal !== undefined && !(signal === 'battery_fade' && unit.battery === null) && !(signal === 'signal_weakening' && unit.signal === null);
  const signals = [main, random.next() < 0.5 ? second : undefined].filter(usable);
  return signals.length > 0 || main === undefined ? signals : ['reboot_rise'];
}

function degradation(signals: EarlyWarningSignal[], from: number, until: number, random: Random): Degradation {
  const full: Partial<Record<EarlyWarningSignal, number>> = {};
  for (const signal of signals) {
    const [low, high] = FULL_CHANGE[signal];
    full[signal] = low + (high - low) * random.next();
  }
  return { signals, full, from, until };
}

/** 0 before the degradation starts, rising linearly to 1 on the day it fails. */
function progress(d: Degradation, day: number): number {
  if (day < d.from) return 0;
  return Math.min(1, (day - d.from + DAY) / (d.until - d.from));
}

function poisson(random: Random, mean: number): number {
  if (mean <= 0) return 0;
  // Knuth's method; the means here are small.
  const limit = Math.exp(-mean);
  let count = 0;
  for (let product = random.next(); product > limit; product *= random.next()) count++;
  return count;
}

/** Roughly normal noise with standard deviation `sd` (a sum of three uniforms). */
function noise(random: Random, sd: number): number {
  return sd * 2 * (random.next() + random.next() + random.next() - 1.5);
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
