/**
 * A simulated terminal for the demo and the load tools: battery drain and
 * charge cycles, a wandering signal, paper that runs out and is replaced,
 * bursts of error codes, lost heartbeats on a flaky network, and failures
 * (at the model's annual rate, sped up by `acceleration`) during which the
 * terminal is silent before it comes back. Deterministic for a given seed.
 */
import type { HeartbeatRequest, NetworkType, PrinterState } from '../heartbeats/heartbeats.contracts';
import type { TerminalCategory } from '../terminals/lifecycle';
import type { Random } from './random';

export interface SimulatedTerminal {
  terminalId: number;
  sequence: number;
  battery: number | null;
  charging: boolean;
  signal: number;
  network: NetworkType;
  /** Share of a paper roll left, 0..1; null without printer. */
  paper: number | null;
  temperature: number;
  firmwareVersion: string;
  appVersion: string;
  transactions: number;
  prints: number;
  errorTicks: number;
  errorCode: string;
  /** Epoch ms until which the terminal is broken and silent. */
  downUntil: number;
  lastTransactionAt: number | null;
  annualFailureRate: number;
}

export interface SimulationOptions {
  /** Failures happen this many times more often than the model's real rate, so a demo shows some. */
  acceleration: number;
  /** Chance that one heartbeat is lost on the way. */
  lossRate: number;
}

export const DEFAULT_SIMULATION: SimulationOptions = { acceleration: 2_000, lossRate: 0.01 };

const ERROR_CODES = ['E101', 'E205', 'E330', 'CR-07', 'NET-12'];
const YEAR_MS = 365 * 24 * 3_600_000;

export function simulatedTerminal(
  terminalId: number,
  category: TerminalCategory,
  random: Random,
  model: { annualFailureRate: number; firmwareVersion?: string | null; appVersion?: string | null },
): SimulatedTerminal {
  const wired = category === 'desktop';
  return {
    terminalId,
    sequence: Date.now(),
    battery: wired ? null : random.int(35, 100),
    charging: false,
    signal: random.int(-95, -60),
    network: wired ? 'ethernet' : random.weighted<NetworkType>([['4g', 6], ['wifi', 3], ['5g', 1]]),
    paper: category === 'mpos' ? null : random.next(),
    temperature: random.int(28, 40),
    firmwareVersion: model.firmwareVersion ?? '1.0.0',
    appVersion: model.appVersion ?? '3.2.0',
    transactions: random.int(0, 50_000),
    prints: random.int(0, 60_000),
    errorTicks: 0,
    errorCode: ERROR_CODES[0]!,
    downUntil: 0,
    lastTransactionAt: null,
    annualFailureRate: model.annualFailureRate,
  };
}

/**
 * Advances the terminal by `intervalSeconds` and returns the heartbeat it
 * sends at `nowMs`, or null when it is down or the heartbeat is lost.
 */
export function nextHeartbeat(t: SimulatedTerminal, nowMs: number, intervalSeconds: number, random: Random, options: SimulationOptions = DEFAULT_SIMULATION): HeartbeatRequest | null {
  if (nowMs < t.downUntil) return null;
  const failureChance = (t.annualFailureRate * options.acceleration * intervalSeconds * 1000) / YEAR_MS;
  if (random.next() < failureChance) {
    t.downUntil = nowMs + random.int(5, 60) * 60_000;
    return null;
  }
  // Business: a few sales, each printing a receipt.
  const sales = random.next() < 0.6 ? random.int(0, 4) : 0;
  t.transactions += sales;
  if (sales > 0) t.lastTransactionAt = nowMs - random.int(0, intervalSeconds) * 1000;
  if (t.paper !== null) {
    if (t.paper <= 0) {
      if (random.next() < 0.15) t.paper = 1;
    } else {
      t.prints += sales;
      t.paper = Math.max(0, t.paper - sales * 0.004);
    }
  }
  if (t.battery !== null) {
    if (t.charging) {
      t.battery = Math.min(100, t.battery + 4);
      if (t.battery >= 100 || random.next() < 0.02) t.charging = false;
    } else {
      t.battery = Math.max(0, t.battery - (random.next() < 0.5 ? 1 : 0));
      if (t.battery < 25 && random.next() < 0.08) t.charging = true;
    }
  }
  if (t.network !== 'ethernet') t.signal = Math.max(-125, Math.min(-50, t.signal + random.int(-4, 4)));
  t.temperature = Math.max(15, Math.min(75, t.temperature + random.int(-1, 1) + (random.next() < 0.001 ? 25 : 0) - (t.temperature > 50 ? 3 : 0)));
  if (t.errorTicks > 0) t.errorTicks--;
  else if (random.next() < 0.01) {
    t.errorTicks = random.int(1, 5);
    t.errorCode = random.pick(ERROR_CODES);
  }
  t.sequence++;
  if (random.next() < options.lossRate) return null;
  const printer: PrinterState | null = t.paper === null ? 'absent' : t.paper <= 0 ? 'paper_out' : t.paper < 0.1 ? 'paper_low' : 'ok';
  return {
    terminalId: t.terminalId,
    sequence: t.sequence,
    sentAt: new Date(nowMs).toISOString(),
    batteryPct: t.battery === null ? null : Math.round(t.battery),
    charging: t.battery === null ? null : t.charging,
    signalDbm: t.network === 'ethernet' ? null : t.signal,
    network: t.network,
    printer,
    temperatureC: t.temperature,
    firmwareVersion: t.firmwareVersion,
    appVersion: t.appVersion,
    lastTransactionAt: t.lastTransactionAt === null ? null : new Date(t.lastTransactionAt).toISOString(),
    transactionCount: t.transactions,
    printCount: t.prints,
    errorCodes: t.errorTicks > 0 ? [t.errorCode] : [],
  };
}
