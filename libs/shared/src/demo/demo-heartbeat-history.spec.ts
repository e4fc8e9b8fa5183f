import { EARLY_WARNING_SIGNALS } from '../analytics/analytics.contracts';
import { INCIDENT_SYMPTOMS } from '../incidents/incidents.contracts';
import { TERMINAL_CATEGORIES } from '../terminals/lifecycle';
import { EarlyWarningModel, hasSignal, isListed, signalWindows, startOfUtcDay, type HeartbeatDay, type SignalWindows } from '../analytics/early-warning';
import { DEMO_HISTORY_DAYS, demoHeartbeatHistory, type DemoHistoryFailure, type DemoHistoryTerminal, type DemoTerminalHistory } from './demo-heartbeat-history';
import { seededRandom } from './random';

const DAY = 86_400_000;
const NOW = '2026-03-01T09:30:00.000Z';
const TODAY = Date.parse('2026-03-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** 2,000 deployed units of every category, and 80 failures over the last 40 days on units deployed, in repair or retired. */
function demoPast(seed = 3) {
  const random = seededRandom(seed);
  const terminals: DemoHistoryTerminal[] = Array.from({ length: 2_000 }, (_, i) => ({ id: i + 1, category: TERMINAL_CATEGORIES[i % 4]!, status: 'deployed' }));
  const failures: DemoHistoryFailure[] = [];
  for (let n = 0; n < 80; n++) {
    const id = 2_001 + n;
    const occurred = TODAY - random.int(1, 40) * DAY + random.int(0, 86_399) * 1000;
    const fate = random.pick(['repaired', 'in_repair', 'retired'] as const);
    terminals.push({ id, category: random.pick(TERMINAL_CATEGORIES), status: fate === 'repaired' ? 'deployed' : fate });
    failures.push({ terminalId: id, symptom: random.pick(INCIDENT_SYMPTOMS), occurredAt: iso(occurred), restoredAt: fate === 'repaired' ? iso(Math.min(occurred + 3 * DAY, TODAY - 3_600_000)) : null });
  }
  return { terminals, failures };
}

function daysOf(history: DemoTerminalHistory): HeartbeatDay[] {
  const byDay = new Map<number, HeartbeatDay>();
  for (const row of history.rollups) {
    byDay.set(row.bucketStart, { day: row.bucketStart, samples: row.samples, batteryMin: row.batteryMin, signalAvg: row.signalAvg, temperatureMax: row.temperatureMax, errors: row.errorCount, dropouts: 0 });
  }
  for (const dropout of history.dropouts) {
    const day = startOfUtcDay(dropout.offlineAt);
    const entry = byDay.get(day) ?? { day, samples: 0, batteryMin: null, signalAvg: null, temperatureMax: null, errors: 0, dropouts: 0 };
    entry.dropouts++;
    byDay.set(day, entry);
  }
  return [...byDay.values()];
}

describe(demoHeartbeatHistory.name, () => {
  const { terminals, failures } = demoPast();
  const histories = [...demoHeartbeatHistory({ seed: 11, now: NOW, terminals, failures })];
  const byId = new Map(histories.map((history) => [history.terminalId, history]));

  it('should be the same for the same seed', () => {
    const again = demoHeartbeatHistory({ seed: 11, now: NOW, terminals, failures });
    for (const history of histories.slice(0, 50)) expect(again.next().value).toEqual(history);
  });

  it('should give a calm deployed unit one rollup a day up to yesterday, with a battery and a signal only when it has them', () => {
    const desktop = byId.get(1)!;
    const mobile = byId.get(2)!;
    expect(desktop.rollups).toHaveLength(DEMO_HISTORY_DAYS);
    expect(desktop.rollups[0]!.bucketStart).toBe(TODAY - DEMO_HISTORY_DAYS * DAY);
    expect(desktop.rollups.at(-1)!.bucketStart).toBe(TODAY - DAY);
    expect(desktop.rollups.every((row) => row.batteryMin === null && row.signalAvg === null && row.samples > 0 && row.upMs <= DAY)).toBe(true);
    expect(mobile.rollups.every((row) => row.batteryMin! >= 1 && row.batteryMin! <= row.batteryAvg! && row.signalMin! < row.signalAvg!)).toBe(true);
  });

  it('should keep a unit silent from the day it failed until the day it was restored, and for good when it was not', () => {
    for (const failure of failures) {
      const history = byId.get(failure.terminalId);
      const from = startOfUtcDay(Date.parse(failure.occurredAt));
      const to = failure.restoredAt ? Date.parse(failure.restoredAt) : Infinity;
      expect(history?.rollups.some((row) => row.bucketStart + DAY > from && row.bucketStart < to) ?? false).toBe(false);
      expect(history?.rollups.some((row) => row.bucketStart < from)).toBe(true);
    }
  });

  it('should plant units degrading now among the calm deployed ones, one in two hundred', () => {
    const atRisk = histories.filter((history) => history.atRisk);
    expect(atRisk).toHaveLength(10);
    expect(atRisk.every((history) => history.terminalId <= 2_000)).toBe(true);
  });

  it('should leave a history the early warning learns from: the units degrading now listed first, few calm ones listed', () => {
    const failedWindows: SignalWindows[] = failures.map((failure) => signalWindows(daysOf(byId.get(failure.terminalId)!), startOfUtcDay(Date.parse(failure.occurredAt)))).filter(hasSignal);
    const calm = histories.filter((history) => history.terminalId <= 2_000);
    const windows = calm.map((history) => signalWindows(daysOf(history), TODAY));
    const model = EarlyWarningModel.learn(failedWindows, windows);
    const scores = calm.map((history, n) => ({ atRisk: history.atRisk, score: model.score(EARLY_WARNING_SIGNALS.map((signal) => windows[n]![signal].change)) }));
    const listed = scores.filter((row) => isListed(row.score));
    expect(failedWindows.length).toBeGreaterThan(40);
    // 9 of the 10 and 1 of the 1,990 with this seed.
    expect(listed.filter((row) => row.atRisk).length).toBeGreaterThanOrEqual(7);
    expect(listed.filter((row) => !row.atRisk).length).toBeLessThanOrEqual(10);
  });
});
