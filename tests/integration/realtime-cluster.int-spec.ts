/**
 * Two API instances on one database, joined through the local Redis
 * (TEST_REDIS_URL, which `npm test` sets when 127.0.0.1:6379 answers): the
 * ingest instance takes heartbeats, the other mirrors it. A change on one
 * reaches a client of the other, and inventory and policy changes made on
 * the mirror reach the ingest instance.
 */
import type { FeedMessage, FleetCountsMessage, TerminalHealthMessage } from '@fleet/shared';
import { startApi, type RunningApi } from '../support/server';
import { Client, heartbeat, login, newCatalog, newTerminal, terminalDevice } from './support/client';
import { connect, next, type FleetSocket } from './support/realtime';

const REDIS = process.env.TEST_REDIS_URL;
if (!REDIS) process.stderr.write('\n!!! TEST_REDIS_URL is not set: the two-instance realtime tests are SKIPPED (npm test sets it when Redis answers on 127.0.0.1:6379) !!!\n\n');

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

(REDIS ? describe : describe.skip)('realtime across two instances joined by Redis', () => {
  let ingest: RunningApi;
  let mirror: RunningApi;
  let admin: Client;
  const sockets: FleetSocket[] = [];

  beforeAll(async () => {
    const shared = { REDIS_URL: REDIS!, REDIS_PREFIX: `test-${process.pid}-${Date.now()}` };
    ingest = await startApi(shared);
    mirror = await startApi({ ...shared, HEARTBEAT_INGEST: 'off' }, { dataDir: ingest.dataDir, schema: ingest.schema });
    admin = await login(mirror);
  });

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    // The mirror shares the ingest instance's data: it goes first, without removing it.
    await mirror?.crash();
    await ingest?.stop();
  });

  it('should bring a heartbeat taken by one instance to a client of the other, and keep the other current', async () => {
    // Inventory written on the mirror; the ingest instance learns of the terminal through Redis.
    const catalog = await newCatalog(admin);
    const terminal = await newTerminal(admin, catalog, { status: 'deployed' });
    const token = (await terminalDevice(admin, terminal.id)).token;
    const device = new Client(ingest, token);

    const socket = connect(mirror, admin.token);
    sockets.push(socket);
    const snapshot = next<FleetCountsMessage>(socket, 'fleet:counts');
    expect(await socket.emitWithAck('subscribe', 'fleet')).toBe(true);
    const before = (await snapshot).counts;
    expect(await socket.emitWithAck('subscribe', 'feed')).toBe(true);
    const terminalSnapshot = next<TerminalHealthMessage>(socket, 'terminal:health');
    expect(await socket.emitWithAck('subscribe', `terminal:${terminal.id}`)).toBe(true);
    expect((await terminalSnapshot).health.state).toBe('unknown');

    const diff = next<FleetCountsMessage>(socket, 'fleet:counts', (m) => !m.snapshot && m.counts.online === before.online + 1);
    const feed = next<FeedMessage>(socket, 'feed:changes', (m) => m.changes.some((c) => c.terminalId === terminal.id && c.to === 'online'));
    const health = next<TerminalHealthMessage>(socket, 'terminal:health', (m) => m.health.state === 'online');
    let sequence = 0;
    await waitFor(async () => (await device.post('/api/v1/heartbeats', heartbeat(terminal.id, ++sequence))).status === 200);
    expect((await diff).counts.unknown).toBe(before.unknown - 1);
    await feed;
    expect((await health).terminalId).toBe(terminal.id);

    // The mirror's own reads follow the ingest instance.
    await waitFor(async () => (await admin.get(`/api/v1/terminals/${terminal.id}/health`)).body.state === 'online');
    const onMirror = (await admin.get('/api/v1/fleet/health')).body.counts;
    const onIngest = (await new Client(ingest, admin.token).get('/api/v1/fleet/health')).body.counts;
    expect(onMirror).toEqual(onIngest);

    // A client joining on the mirror now gets the new state in its snapshot.
    const late = connect(mirror, admin.token);
    sockets.push(late);
    const lateSnapshot = next<FleetCountsMessage>(late, 'fleet:counts');
    expect(await late.emitWithAck('subscribe', 'fleet')).toBe(true);
    expect((await lateSnapshot).counts).toEqual(onIngest);

    // The mirror does not take heartbeats itself.
    const refused = await new Client(mirror, token).post('/api/v1/heartbeats', heartbeat(terminal.id, ++sequence));
    expect(refused.status).toBe(503);
    expect(refused.body.code).toBe('INGEST_UNAVAILABLE');
  });

  it('should judge heartbeats by a policy changed on the other instance', async () => {
    const catalog = await newCatalog(admin);
    const terminal = await newTerminal(admin, catalog, { status: 'deployed' });
    const device = new Client(ingest, (await terminalDevice(admin, terminal.id)).token);
    expect((await admin.request('PUT', `/api/v1/models/${catalog.modelId}/health-policy`, { batteryLowPct: 50 })).status).toBe(200);
    let sequence = 0;
    await waitFor(async () => {
      await device.post('/api/v1/heartbeats', heartbeat(terminal.id, ++sequence, { batteryPct: 40 }));
      return (await admin.get(`/api/v1/terminals/${terminal.id}/health`)).body.state === 'degraded';
    });
    expect((await admin.get(`/api/v1/terminals/${terminal.id}/health`)).body.reasons).toEqual(['low_battery']);
  });
});
