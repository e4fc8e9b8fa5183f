import { seededRandom } from './random';
import { nextHeartbeat, simulatedTerminal } from './simulated-terminal';

const T0 = Date.UTC(2026, 10, 22, 8);

function run(seed: number, ticks: number, rate = 0.05) {
  const random = seededRandom(seed);
  const terminal = simulatedTerminal(1, 'mobile', random, { annualFailureRate: rate, firmwareVersion: '2.1.0' });
  terminal.sequence = 0;
  return Array.from({ length: ticks }, (_, i) => nextHeartbeat(terminal, T0 + i * 60_000, 60, random));
}

describe('simulated terminal', () => {
  it('is deterministic for a seed', () => {
    expect(run(7, 200)).toEqual(run(7, 200));
    expect(run(7, 200)).not.toEqual(run(8, 200));
  });

  it('sends well-formed heartbeats with increasing sequences and counters that never go back', () => {
    const beats = run(3, 2_000).filter((b) => b !== null);
    expect(beats.length).toBeGreaterThan(1_000);
    for (let i = 1; i < beats.length; i++) {
      expect(beats[i]!.sequence).toBeGreaterThan(beats[i - 1]!.sequence);
      expect(beats[i]!.transactionCount!).toBeGreaterThanOrEqual(beats[i - 1]!.transactionCount!);
    }
    for (const beat of beats) {
      expect(beat.batteryPct).toBeGreaterThanOrEqual(0);
      expect(beat.batteryPct).toBeLessThanOrEqual(100);
      expect(beat.signalDbm).toBeGreaterThanOrEqual(-125);
    }
  });

  it('goes silent for a while when it fails, more often for a worse model', () => {
    const silences = (rate: number) => run(11, 5_000, rate).filter((b) => b === null).length;
    expect(silences(0.3)).toBeGreaterThan(silences(0.01));
  });

  it('runs out of paper and drains its battery at times', () => {
    const beats = run(5, 20_000).filter((b) => b !== null);
    expect(beats.some((b) => b!.printer === 'paper_out')).toBe(true);
    expect(beats.some((b) => (b!.batteryPct ?? 100) < 15)).toBe(true);
    expect(beats.some((b) => (b!.errorCodes ?? []).length > 0)).toBe(true);
  });
});
