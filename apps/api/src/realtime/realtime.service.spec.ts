import { FEED_SIZE } from '@fleet/shared';
import { FixedClock } from '../common/clock';
import { FleetState } from '../heartbeats/fleet-state';
import type { HealthChange } from '../heartbeats/health.events';
import { RealtimeService } from './realtime.service';

const T0 = Date.UTC(2026, 10, 22, 8);

function setup(terminals: number) {
  const state = new FleetState(() => 300, T0);
  for (let id = 1; id <= terminals; id++) {
    state.upsertTerminal({ id, regionId: id % 2 === 0 ? 2 : 3, modelId: 1, supplierId: 1, monitored: true });
    state.apply({ ...state.snapshot(id), state: 'online', sinceMs: T0, lastSeenMs: T0 });
  }
  const regions = { regionTree: jest.fn(async () => [{ id: 1, path: '/1/' }, { id: 2, path: '/1/2/' }, { id: 3, path: '/1/3/' }]) };
  const inventory = { assetNumbersOf: jest.fn(async (ids: number[]) => new Map(ids.map((id) => [id, `POS-T-${id}`]))) };
  const reads = { terminalHealth: jest.fn(async (id: number) => ({ terminalId: id, state: state.snapshot(id).state })) };
  const alerts = {
    byIds: jest.fn(async (ids: number[]) => ids.map((id) => ({ id, region: id === 7 ? null : { id: id % 2 === 0 ? 2 : 3 } }))),
    forRoom: jest.fn(async () => ({ summary: { open: { info: 0, warning: 1, critical: 0 }, acknowledged: 0, byKind: {} }, page: { items: [], total: 0, page: 1, pageSize: 50 } })),
  };
  const service = new RealtimeService({} as never, { state, ingests: true } as never, {} as never, reads as never, regions as never, inventory as never, alerts as never, new FixedClock(new Date(T0)));
  return { service, state, reads, alerts };
}

describe(RealtimeService.name, () => {
  it('turns a storm of 100,000 offline changes into one counts message and one capped feed message per room', async () => {
    const { service, state } = setup(100_000);
    await service.drain(['fleet']);
    const changes: HealthChange[] = [];
    for (const { id, deadlineMs } of state.collectExpired(T0 + 400_000)) {
      state.apply({ ...state.snapshot(id), state: 'offline', sinceMs: deadlineMs });
      changes.push({ terminalId: id, regionId: id % 2 === 0 ? 2 : 3, modelId: 1, supplierId: 1, from: 'online', to: 'offline', reasons: [], at: deadlineMs, monitored: true });
    }
    service.recordChanges(changes);
    const out = await service.drain(['fleet', 'feed', 'region:2']);
    expect(out.map((o) => `${o.room}:${o.event}`)).toEqual(['feed:feed:changes', 'fleet:fleet:counts', 'region:2:fleet:counts']);
    const [feed, fleet, region] = out;
    expect(feed!.event === 'feed:changes' && feed!.message.changes).toHaveLength(FEED_SIZE);
    expect(feed!.event === 'feed:changes' && feed!.message.changes.every((change) => change.assetNumber === `POS-T-${change.terminalId}`)).toBe(true);
    expect(feed!.event === 'feed:changes' && feed!.message.omitted).toBe(100_000 - FEED_SIZE);
    expect(fleet!.event === 'fleet:counts' && fleet!.message.counts).toEqual({ unknown: 0, online: 0, degraded: 0, offline: 100_000 });
    expect(fleet!.event === 'fleet:counts' && fleet!.message.regions.map((r) => r.regionId)).toEqual([1, 2, 3]);
    expect(region!.event === 'fleet:counts' && region!.message.counts).toEqual({ unknown: 0, online: 0, degraded: 0, offline: 50_000 });
    expect(region!.event === 'fleet:counts' && region!.message.regions.map((r) => r.regionId)).toEqual([2]);
    expect(JSON.stringify(out).length).toBeLessThan(20_000);
    expect(await service.drain(['fleet', 'feed'])).toEqual([]);
  });

  it('sends a watched terminal its health once per flush, however many heartbeats came', async () => {
    const { service, reads } = setup(3);
    service.recordHeartbeats([1, 1, 1, 2]);
    const out = await service.drain(['terminal:1']);
    expect(out).toEqual([{ room: 'terminal:1', event: 'terminal:health', message: { terminalId: 1, health: { terminalId: 1, state: 'online' } } }]);
    expect(reads.terminalHealth).toHaveBeenCalledTimes(1);
  });

  it('keeps the newest changes for the feed snapshot of a client that joins later', async () => {
    const { service } = setup(3);
    service.recordChanges([{ terminalId: 1, regionId: 3, modelId: 1, supplierId: 1, from: 'online', to: 'degraded', reasons: ['paper_out'], at: T0, monitored: true }]);
    service.recordChanges([{ terminalId: 2, regionId: 2, modelId: 1, supplierId: 1, from: 'online', to: 'offline', reasons: [], at: T0 + 1, monitored: false }]);
    await service.drain([]);
    const snapshot = await service.snapshot('feed');
    expect(snapshot?.event === 'feed:changes' && snapshot.message.changes.map((c) => c.terminalId)).toEqual([1]);
  });

  it('sends changed alerts to the alerts room, and to a region’s room only its own', async () => {
    const { service } = setup(0);
    service.recordAlerts([4, 5, 6, 7]);
    const out = await service.drain(['alerts', 'alerts:2', 'alerts:3', 'fleet']);
    const byRoom = new Map(out.filter((o) => o.event === 'alerts:changed').map((o) => [o.room, o.message as { alerts: { id: number }[] }]));
    expect(byRoom.get('alerts')!.alerts.map((a) => a.id)).toEqual([7, 6, 5, 4]);
    // Alert 7 belongs to no region (a policy reminder): every region's room has it, as a user limited to a region sees it.
    expect(byRoom.get('alerts:2')!.alerts.map((a) => a.id)).toEqual([7, 6, 4]);
    expect(byRoom.get('alerts:3')!.alerts.map((a) => a.id)).toEqual([7, 5]);
    expect(service.pending).toBe(false);
  });
});
