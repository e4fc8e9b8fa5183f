import type { FeedMessage, FleetCountsMessage, TerminalHealthMessage } from '@fleet/shared';
import { startApi, type RunningApi } from '../support/server';
import { Client, heartbeat, login, newCatalog, newTerminal, terminalDevice } from './support/client';
import { connect, next, type FleetSocket } from './support/realtime';

describe('realtime gateway', () => {
  let api: RunningApi;
  let admin: Client;
  const sockets: FleetSocket[] = [];
  const open = (token?: string) => {
    const socket = connect(api, token);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    api = await startApi();
    admin = await login(api);
  });

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await api.stop();
  });

  it('should refuse a connection without a session, with a forged one and after logout', async () => {
    for (const token of [undefined, 'x'.repeat(43)]) {
      const socket = open(token);
      const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
      expect(error.message).toBe('AUTH_REQUIRED');
    }
    const user = await login(api);
    await user.post('/api/v1/auth/logout');
    const socket = open(user.token);
    expect((await new Promise<Error>((resolve) => socket.once('connect_error', resolve))).message).toBe('AUTH_REQUIRED');
  });

  it('should send a snapshot on subscribe, then a diff when a heartbeat changes a state, and the feed', async () => {
    const catalog = await newCatalog(admin);
    const terminal = await newTerminal(admin, catalog, { status: 'deployed' });
    const socket = open(admin.token);
    const snapshot = next<FleetCountsMessage>(socket, 'fleet:counts');
    expect(await socket.emitWithAck('subscribe', 'fleet')).toBe(true);
    const first = await snapshot;
    expect(first.snapshot).toBe(true);
    expect(first.regions.find((r) => r.regionId === catalog.regionId)?.counts).toEqual({ unknown: 1, online: 0, degraded: 0, offline: 0 });
    const feedSnapshot = next<FeedMessage>(socket, 'feed:changes');
    expect(await socket.emitWithAck('subscribe', 'feed')).toBe(true);
    expect((await feedSnapshot).snapshot).toBe(true);

    const diff = next<FleetCountsMessage>(socket, 'fleet:counts', (m) => !m.snapshot);
    const feed = next<FeedMessage>(socket, 'feed:changes', (m) => !m.snapshot);
    await (await terminalDevice(admin, terminal.id)).post('/api/v1/heartbeats', heartbeat(terminal.id, 1, { batteryPct: 3 }));
    const moved = await diff;
    expect(moved.counts.degraded).toBe(first.counts.degraded + 1);
    expect(moved.regions.map((r) => r.regionId).sort()).toEqual([catalog.regionId, catalog.branchId].sort());
    expect(moved.regions.find((r) => r.regionId === catalog.regionId)?.counts).toEqual({ unknown: 0, online: 0, degraded: 1, offline: 0 });
    expect((await feed).changes[0]).toMatchObject({ terminalId: terminal.id, assetNumber: terminal.assetNumber, from: 'unknown', to: 'degraded', reasons: ['low_battery'] });
  });

  it('should follow one terminal in its room and scope a region room to its sub-tree', async () => {
    const catalog = await newCatalog(admin);
    const other = await newCatalog(admin);
    const terminal = await newTerminal(admin, catalog, { status: 'deployed' });
    const elsewhere = await newTerminal(admin, other, { status: 'deployed' });
    const socket = open(admin.token);
    const initial = next<TerminalHealthMessage>(socket, 'terminal:health');
    expect(await socket.emitWithAck('subscribe', `terminal:${terminal.id}`)).toBe(true);
    expect((await initial).health.state).toBe('unknown');
    const regionSnapshot = next<FleetCountsMessage>(socket, 'fleet:counts');
    expect(await socket.emitWithAck('subscribe', `region:${catalog.regionId}`)).toBe(true);
    const scoped = await regionSnapshot;
    expect(scoped.counts).toEqual({ unknown: 1, online: 0, degraded: 0, offline: 0 });
    expect(scoped.regions.map((r) => r.regionId).sort()).toEqual([catalog.regionId, catalog.branchId].sort());

    const live = next<TerminalHealthMessage>(socket, 'terminal:health');
    await (await terminalDevice(admin, terminal.id)).post('/api/v1/heartbeats', heartbeat(terminal.id, 1));
    expect((await live).health).toMatchObject({ terminalId: terminal.id, state: 'online' });

    // A change in another region reaches the fleet, not this region's room.
    let leaked = false;
    socket.on('fleet:counts', (message) => (leaked ||= message.regions.some((r) => r.regionId === other.regionId)));
    await (await terminalDevice(admin, elsewhere.id)).post('/api/v1/heartbeats', heartbeat(elsewhere.id, 1));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(leaked).toBe(false);

    expect(await socket.emitWithAck('subscribe', 'terminal:99999999')).toBe(false);
    expect(await socket.emitWithAck('subscribe', 'everything' as never)).toBe(false);
  });

  it('should give a reconnecting client a fresh snapshot with what changed meanwhile', async () => {
    const catalog = await newCatalog(admin);
    const terminal = await newTerminal(admin, catalog, { status: 'deployed' });
    const first = open(admin.token);
    const before = next<FleetCountsMessage>(first, 'fleet:counts');
    await first.emitWithAck('subscribe', 'fleet');
    const online = (await before).counts.online;
    first.disconnect();
    await (await terminalDevice(admin, terminal.id)).post('/api/v1/heartbeats', heartbeat(terminal.id, 1));
    const again = open(admin.token);
    const after = next<FleetCountsMessage>(again, 'fleet:counts');
    await again.emitWithAck('subscribe', 'fleet');
    const snapshot = await after;
    expect(snapshot.snapshot).toBe(true);
    expect(snapshot.counts.online).toBe(online + 1);
  });
});
