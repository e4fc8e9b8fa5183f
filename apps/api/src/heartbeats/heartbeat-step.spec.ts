import { DEFAULT_HEALTH_POLICY, reasonsToMask, type HeartbeatRequest } from '@fleet/shared';
import type { HealthSnapshot } from './fleet-state';
import { expire, step } from './heartbeat-step';

const T0 = Date.UTC(2026, 10, 22, 8, 0, 0);
const fresh: HealthSnapshot = { id: 7, state: 'unknown', reasons: 0, sinceMs: 0, lastSeenMs: 0, lastSequence: -1, errorStreak: 0, transactionCount: -1, printCount: -1 };
const beat = (sequence: number, extra: Partial<HeartbeatRequest> = {}): HeartbeatRequest => ({ terminalId: 7, sequence, sentAt: new Date(T0).toISOString(), batteryPct: 80, ...extra });
const policy = { ...DEFAULT_HEALTH_POLICY, offlineAfterSeconds: 300 };

describe('step', () => {
  it('takes an unknown terminal online on its first heartbeat, with a status change', () => {
    const result = step(fresh, beat(1, { transactionCount: 100 }), T0, policy, true);
    expect(result.applied).toBe(true);
    expect(result.next).toMatchObject({ state: 'online', sinceMs: T0, lastSeenMs: T0, lastSequence: 1, transactionCount: 100 });
    expect(result.change).toEqual({ terminalId: 7, from: 'unknown', to: 'online', reasons: 0, at: T0, monitored: true });
    expect(result.row).toMatchObject({ upMs: 0, transactions: 0, batteryPct: 80, sentAt: T0, receivedAt: T0 });
  });

  it('counts the gap as up time and the counter increments, and records no change when nothing moved', () => {
    const first = step(fresh, beat(1, { transactionCount: 100, printCount: 5 }), T0, policy, true).next;
    const second = step(first, beat(2, { transactionCount: 112, printCount: 4 }), T0 + 60_000, policy, true);
    expect(second.row).toMatchObject({ upMs: 60_000, transactions: 12, prints: 4 });
    expect(second.change).toBeNull();
    expect(second.next.sinceMs).toBe(T0);
  });

  it('does not count a gap longer than the timeout as up time', () => {
    const first = step(fresh, beat(1), T0, policy, true).next;
    expect(step(first, beat(2), T0 + 301_000, policy, true).row.upMs).toBe(0);
  });

  it('stores but does not apply a heartbeat older than the newest seen', () => {
    const first = step(fresh, beat(5), T0, policy, true).next;
    const late = step(first, beat(4, { batteryPct: 3 }), T0 + 1_000, policy, true);
    expect(late.applied).toBe(false);
    expect(late.next).toBe(first);
    expect(late.row.batteryPct).toBe(3);
    expect(step(first, beat(5), T0 + 2_000, policy, true).applied).toBe(false);
  });

  it('degrades with reasons and records a change when only the reasons change', () => {
    const low = step(fresh, beat(1, { batteryPct: 5 }), T0, policy, true);
    expect(low.next).toMatchObject({ state: 'degraded', reasons: reasonsToMask(['low_battery']) });
    const worse = step(low.next, beat(2, { batteryPct: 5, printer: 'paper_out' }), T0 + 1_000, policy, false);
    expect(worse.change).toEqual({ terminalId: 7, from: 'degraded', to: 'degraded', reasons: reasonsToMask(['low_battery', 'paper_out']), at: T0 + 1_000, monitored: false });
  });

  it('raises repeated errors on the third heartbeat in a row with error codes', () => {
    let snapshot = fresh;
    const states: string[] = [];
    for (let sequence = 1; sequence <= 4; sequence++) {
      snapshot = step(snapshot, beat(sequence, { errorCodes: sequence < 4 ? ['E42'] : [] }), T0 + sequence * 1000, policy, true).next;
      states.push(snapshot.state);
    }
    expect(states).toEqual(['online', 'online', 'degraded', 'online']);
  });

  it('expires a terminal at its deadline', () => {
    const online = step(fresh, beat(1, { batteryPct: 5 }), T0, policy, true).next;
    const { next, change } = expire(online, T0 + 300_000, true);
    expect(next).toMatchObject({ state: 'offline', reasons: 0, sinceMs: T0 + 300_000, lastSeenMs: T0 });
    expect(change).toEqual({ terminalId: 7, from: 'degraded', to: 'offline', reasons: 0, at: T0 + 300_000, monitored: true });
  });
});
