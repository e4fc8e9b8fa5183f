import { FleetState, type HealthSnapshot } from './fleet-state';

const T0 = Date.UTC(2026, 10, 22, 8, 0, 0);
const seconds = (n: number) => n * 1000;

function fleet(timeout = 300, count = 3, startMs = T0): FleetState {
  const state = new FleetState((_id, modelId) => (modelId === 99 ? 60 : timeout), startMs);
  for (let id = 1; id <= count; id++) state.upsertTerminal({ id, regionId: 10 + (id % 2), modelId: 1, supplierId: 5, monitored: true });
  return state;
}

function seen(state: FleetState, id: number, atMs: number, overrides: Partial<HealthSnapshot> = {}): void {
  state.apply({ ...state.snapshot(id), state: 'online', sinceMs: atMs, lastSeenMs: atMs, ...overrides });
}

describe('FleetState', () => {
  it('starts every terminal as unknown and counts it', () => {
    const state = fleet();
    expect(state.counts()).toEqual({ unknown: 3, online: 0, degraded: 0, offline: 0 });
    expect(state.countsBy('region').get(11)).toEqual({ unknown: 2, online: 0, degraded: 0, offline: 0 });
    expect(state.pending).toBe(0);
  });

  it('expires a terminal exactly at its timeout, not a second before', () => {
    const state = fleet(300);
    seen(state, 1, T0);
    expect(state.offlineAt(1)).toBe(T0 + seconds(300));
    expect(state.collectExpired(T0 + seconds(299))).toEqual([]);
    expect(state.collectExpired(T0 + seconds(300))).toEqual([{ id: 1, deadlineMs: T0 + seconds(300) }]);
    expect(state.pending).toBe(0);
  });

  it('mirrors a change decided elsewhere: counters move, no deadline is kept', () => {
    const state = fleet(300);
    seen(state, 1, T0);
    state.mirror(1, 'degraded', 0b10, T0 + seconds(10));
    state.mirror(2, 'offline', 0, T0 + seconds(20));
    expect(state.counts()).toEqual({ unknown: 1, online: 0, degraded: 1, offline: 1 });
    expect(state.snapshot(1)).toMatchObject({ state: 'degraded', reasons: 0b10, sinceMs: T0 + seconds(10), lastSeenMs: T0 + seconds(10) });
    expect(state.offlineAt(1)).toBeNull();
    expect(state.collectExpired(T0 + seconds(1_000))).toEqual([]);
    state.mirror(42, 'online', 0, T0);
    expect(state.has(42)).toBe(false);
  });

  it('moves the deadline with every heartbeat', () => {
    const state = fleet(300);
    seen(state, 1, T0);
    seen(state, 1, T0 + seconds(200));
    expect(state.collectExpired(T0 + seconds(400))).toEqual([]);
    expect(state.collectExpired(T0 + seconds(500))).toEqual([{ id: 1, deadlineMs: T0 + seconds(500) }]);
  });

  it('returns only the terminals that expire, however large the fleet', () => {
    const state = fleet(300, 10_000);
    for (let id = 1; id <= 10_000; id++) seen(state, id, T0 + seconds(id % 100 === 0 ? 0 : 60));
    const expired = state.collectExpired(T0 + seconds(330));
    expect(expired).toHaveLength(100);
    expect(expired.every(({ id }) => id % 100 === 0)).toBe(true);
    expect(state.pending).toBe(9_900);
  });

  it('catches up after a long pause in one sweep', () => {
    const state = fleet(300);
    seen(state, 1, T0);
    seen(state, 2, T0 + seconds(3_000));
    const expired = state.collectExpired(T0 + seconds(10_000));
    expect(expired.map((e) => e.id).sort()).toEqual([1, 2]);
  });

  it('keeps counters by state, region, model and supplier and reasons', () => {
    const state = fleet();
    seen(state, 1, T0);
    seen(state, 2, T0, { state: 'degraded', reasons: 0b101 });
    expect(state.counts()).toEqual({ unknown: 1, online: 1, degraded: 1, offline: 0 });
    expect(state.reasonCounts()).toMatchObject({ low_battery: 1, weak_signal: 0, paper_out: 1 });
    expect(state.countsBy('model').get(1)).toEqual({ unknown: 1, online: 1, degraded: 1, offline: 0 });
    expect(state.countsBy('supplier').get(5)).toEqual({ unknown: 1, online: 1, degraded: 1, offline: 0 });
    state.apply({ ...state.snapshot(2), state: 'offline', reasons: 0 });
    expect(state.reasonCounts().low_battery).toBe(0);
    expect(state.counts().offline).toBe(1);
  });

  it('does not count terminals that are not deployed, and follows moves between regions', () => {
    const state = fleet();
    seen(state, 1, T0);
    state.upsertTerminal({ id: 1, regionId: 10, modelId: 1, supplierId: 5, monitored: false });
    expect(state.counts()).toEqual({ unknown: 2, online: 0, degraded: 0, offline: 0 });
    state.upsertTerminal({ id: 1, regionId: 12, modelId: 1, supplierId: 5, monitored: true });
    expect(state.countsBy('region').get(12)).toEqual({ unknown: 0, online: 1, degraded: 0, offline: 0 });
    expect(state.countsBy('region').get(11)).toEqual({ unknown: 1, online: 0, degraded: 0, offline: 0 });
  });

  it('gives a restored terminal a full timeout from the restart, not from its last heartbeat', () => {
    const restart = T0 + seconds(3_600);
    const state = fleet(300, 3, restart);
    state.apply({ ...state.snapshot(1), state: 'online', sinceMs: T0, lastSeenMs: T0 }, restart);
    state.apply({ ...state.snapshot(2), state: 'offline', sinceMs: T0, lastSeenMs: T0 - seconds(900) }, restart);
    expect(state.collectExpired(restart + seconds(299))).toEqual([]);
    expect(state.counts()).toEqual({ unknown: 1, online: 1, degraded: 0, offline: 1 });
    expect(state.collectExpired(restart + seconds(300))).toEqual([{ id: 1, deadlineMs: restart + seconds(300) }]);
  });

  it('sweeps a storm in chunks, losing and repeating none', () => {
    const state = fleet(300, 25);
    for (let id = 1; id <= 25; id++) seen(state, id, T0 + (id % 2) * 1000);
    const chunks = [10, 10, 10, 10].map(() => state.collectExpired(T0 + seconds(400), 10).map((e) => e.id));
    expect(chunks.map((chunk) => chunk.length)).toEqual([10, 10, 5, 0]);
    expect(new Set(chunks.flat()).size).toBe(25);
  });

  it('counts the timeout from when the rebuild is over, however long it took', () => {
    const restart = T0 + seconds(3_600);
    const ready = restart + seconds(40);
    const state = fleet(300, 3, restart);
    state.apply({ ...state.snapshot(1), state: 'online', sinceMs: T0, lastSeenMs: T0 }, restart);
    state.apply({ ...state.snapshot(3), state: 'degraded', sinceMs: T0, lastSeenMs: ready - seconds(10) }, restart);
    state.graceAll(ready);
    expect(state.collectExpired(ready + seconds(299))).toEqual([]);
    expect(state.collectExpired(ready + seconds(300)).map((e) => e.id).sort()).toEqual([1, 3]);
  });

  it('expires at the next sweep a terminal whose deadline had already passed when it was applied', () => {
    const state = fleet(300);
    state.collectExpired(T0 + seconds(1_000));
    seen(state, 1, T0);
    expect(state.collectExpired(T0 + seconds(1_001))).toEqual([{ id: 1, deadlineMs: T0 + seconds(300) }]);
  });

  it('reschedules when the model changes to one with another timeout', () => {
    const state = fleet(300);
    seen(state, 1, T0);
    state.upsertTerminal({ id: 1, regionId: 11, modelId: 99, supplierId: 5, monitored: true });
    expect(state.offlineAt(1)).toBe(T0 + seconds(60));
    expect(state.idsOfModel(99)).toEqual([1]);
  });

  it('forgets a removed terminal entirely', () => {
    const state = fleet();
    seen(state, 1, T0);
    state.removeTerminal(1);
    expect(state.has(1)).toBe(false);
    expect(state.size).toBe(2);
    expect(state.counts()).toEqual({ unknown: 2, online: 0, degraded: 0, offline: 0 });
    expect(state.collectExpired(T0 + seconds(1_000))).toEqual([]);
  });

  it('unlinks from the middle of a slot without losing its neighbours', () => {
    const state = fleet(300);
    for (const id of [1, 2, 3]) seen(state, id, T0);
    seen(state, 2, T0 + seconds(100));
    expect(state.collectExpired(T0 + seconds(300)).map((e) => e.id).sort()).toEqual([1, 3]);
    expect(state.collectExpired(T0 + seconds(400))).toEqual([{ id: 2, deadlineMs: T0 + seconds(400) }]);
  });

  it('lists the monitored terminals long in a state, oldest first, with the reasons asked', () => {
    const state = fleet(300, 5);
    state.upsertTerminal({ id: 6, regionId: 10, modelId: 1, supplierId: 5, monitored: false });
    state.mirror(1, 'offline', 0, T0 - seconds(7200));
    state.mirror(2, 'offline', 0, T0 - seconds(9000));
    state.mirror(3, 'offline', 0, T0 - seconds(60));
    state.mirror(4, 'degraded', 0b101, T0 - seconds(9000));
    state.mirror(5, 'degraded', 0b001, T0 - seconds(9000));
    state.mirror(6, 'offline', 0, T0 - seconds(9000));
    expect(state.longStanding('offline', T0 - seconds(3600))).toEqual([2, 1]);
    expect(state.longStanding('offline', T0 - seconds(3600), 0, 1)).toEqual([2]);
    expect(state.longStanding('degraded', T0 - seconds(3600), 0b100)).toEqual([4]);
  });

  it('holds a terminal in well under 400 bytes', () => {
    const state = fleet(300, 100_000);
    expect(state.memoryBytes() / 100_000).toBeLessThan(400);
  });
});
