/**
 * A user limited to a region sees and acts on that region and its
 * sub-regions only: over REST (lists, export, detail, health, writes) and
 * over socket.io (rooms), and is refused what acts on the whole fleet.
 */
import type { AlertsMessage, FeedMessage, FleetCountsMessage } from '@fleet/shared';
import { startApi, type RunningApi } from '../support/server';
import { Client, createUser, heartbeat, login, newCatalog, newTerminal, terminalDevice, type Catalog } from './support/client';
import { connect, next, type FleetSocket } from './support/realtime';

describe('users limited to a region', () => {
  let api: RunningApi;
  let admin: Client;
  let mine: Catalog;
  let other: Catalog;
  let scoped: Client;
  let inside: { id: number; assetNumber: string };
  let outside: { id: number; assetNumber: string };
  const sockets: FleetSocket[] = [];

  beforeAll(async () => {
    api = await startApi();
    admin = await login(api);
    [mine, other] = [await newCatalog(admin), await newCatalog(admin)];
    inside = await newTerminal(admin, mine, { status: 'deployed' });
    outside = await newTerminal(admin, other, { status: 'deployed' });
    scoped = await createUser(admin, 'fleet_manager', mine.regionId);
  });

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await api.stop();
  });

  it('should keep the scope on the user, refuse a scope for an admin or of no region, and audit it', async () => {
    const users = (await admin.get('/api/v1/users')).body as { username: string; regionId: number | null; role: string }[];
    expect(users.find((u) => u.role === 'admin')!.regionId).toBeNull();
    expect(users.filter((u) => u.regionId === mine.regionId)).toHaveLength(1);
    const before = users.length;
    for (const [body, code] of [
      [{ role: 'admin', regionId: mine.regionId }, 'adminUnscoped'],
      [{ role: 'technician', regionId: 999_999 }, 'notFound'],
      [{ role: 'technician', regionId: 'north' }, 'isInt'],
    ] as const) {
      const reply = await admin.post('/api/v1/users', { username: `u${Date.now()}`, displayName: 'x', password: 'password-for-tests', ...body });
      expect(reply.status).toBeGreaterThanOrEqual(400);
      expect(reply.status).toBeLessThan(500);
      expect(reply.body.details.fields.filter((f: { field: string }) => f.field === 'regionId').map((f: { code: string }) => f.code)).toContain(code);
    }
    expect((await admin.get('/api/v1/users')).body).toHaveLength(before);
    const region = (await admin.post('/api/v1/regions', { code: `S${Date.now() % 100000}`, name: 'Scoped only' })).body;
    await createUser(admin, 'technician', region.id);
    const refused = await admin.delete(`/api/v1/regions/${region.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.details.userCount).toBe(1);
  });

  it('should list, export and read only the terminals of the region and its branches', async () => {
    const listed = (await scoped.get('/api/v1/terminals?pageSize=100')).body;
    expect(listed.items.map((t: { id: number }) => t.id)).toContain(inside.id);
    expect(listed.items.every((t: { region: { id: number } }) => [mine.regionId, mine.branchId].includes(t.region.id))).toBe(true);
    expect((await scoped.get(`/api/v1/terminals?regionId=${other.regionId}`)).body.total).toBe(0);
    const csv = await scoped.get('/api/v1/terminals/export.csv');
    expect(csv.body).toContain(inside.assetNumber);
    expect(csv.body).not.toContain(outside.assetNumber);
    expect((await scoped.get(`/api/v1/terminals/${inside.id}`)).status).toBe(200);
    for (const path of ['', '/health', '/health/timeline', '/heartbeats', '/audit', '/credentials', '/label.svg', '/health-policy']) {
      const reply = await scoped.get(`/api/v1/terminals/${outside.id}${path}`);
      expect({ path, status: reply.status, code: reply.body.code }).toEqual({ path, status: 404, code: 'TERMINAL_NOT_FOUND' });
    }
    const version = (await admin.get(`/api/v1/terminals/${outside.id}`)).body.version;
    expect((await scoped.patch(`/api/v1/terminals/${outside.id}`, { notes: 'not mine', version })).status).toBe(404);
    expect((await admin.get(`/api/v1/terminals/${outside.id}`)).body.version).toBe(version);
  });

  it("should give the overview's totals of the region, and of the fleet to others", async () => {
    for (const [client, total] of [[scoped, (await scoped.get('/api/v1/terminals')).body.total], [admin, (await admin.get('/api/v1/terminals')).body.total]] as const) {
      const summary = (await client.get('/api/v1/terminals/summary')).body;
      expect(Object.values(summary.byStatus as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(total);
      expect(summary.byStatus.deployed).toBe((await client.get('/api/v1/terminals?status=deployed')).body.total);
      for (const days of [30, 60, 90]) {
        expect(summary.warrantyEndingWithin[days]).toBe((await client.get(`/api/v1/terminals?status=deployed&warrantyEndingWithinDays=${days}`)).body.total);
      }
    }
  });

  it('should create terminals in the region only', async () => {
    const total = (await admin.get('/api/v1/terminals')).body.total;
    const body = { serialNumber: `SN-SCOPE-${Date.now()}`, modelId: other.modelId, supplierId: other.supplierId, regionId: other.branchId };
    const refused = await scoped.post('/api/v1/terminals', body);
    expect(refused.status).toBe(400);
    expect(refused.body.details.fields).toEqual([expect.objectContaining({ field: 'regionId', code: 'outsideScope' })]);
    expect((await admin.get('/api/v1/terminals')).body.total).toBe(total);
    expect((await scoped.post('/api/v1/terminals', { ...body, regionId: mine.branchId })).status).toBe(201);
  });

  it('should refuse every fleet-wide route, as the OpenAPI document marks them', async () => {
    const document = (await admin.get('/api/docs/openapi.json')).body as { paths: Record<string, Record<string, Record<string, unknown>>> };
    const fleetWide = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, operation]) => operation['x-fleet-wide'] === true && ['fleet:read', 'catalog:write', 'regions:write', 'merchants:write', 'policies:write', 'imports:run', 'audit:read', 'devices:manage', 'health:configure', 'terminals:write'].includes(operation['x-permission'] as string))
        .map(([method]) => ({ method: method.toUpperCase(), path: path.replace(/\{id\}/g, '1') })),
    );
    expect(fleetWide.map((o) => `${o.method} ${o.path}`)).toEqual(expect.arrayContaining(['POST /api/v1/models', 'GET /api/v1/audit', 'GET /api/v1/fleet/health/history', 'POST /api/v1/imports/terminals', 'GET /api/v1/gateways']));
    for (const operation of fleetWide) {
      const reply = await scoped.request(operation.method, operation.path, operation.method === 'GET' ? undefined : {});
      expect({ route: `${operation.method} ${operation.path}`, status: reply.status, code: reply.body.code }).toEqual({ route: `${operation.method} ${operation.path}`, status: 403, code: 'FORBIDDEN' });
    }
  });

  it("should count only the region's terminals, over REST and in its rooms", async () => {
    await (await terminalDevice(admin, inside.id)).post('/api/v1/heartbeats', heartbeat(inside.id, 1));
    await (await terminalDevice(admin, outside.id)).post('/api/v1/heartbeats', heartbeat(outside.id, 1));
    const fleet = (await scoped.get('/api/v1/fleet/health?groupBy=model')).body;
    const deployedInside = (await scoped.get('/api/v1/terminals?status=deployed')).body.total;
    expect(Object.values(fleet.counts as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(deployedInside);
    expect(fleet.groups.map((g: { id: number }) => g.id)).toEqual([mine.modelId]);

    const socket = connect(api, scoped.token);
    sockets.push(socket);
    for (const room of ['fleet', 'feed', 'alerts', `region:${other.regionId}`, `feed:${other.regionId}`, `alerts:${other.regionId}`, `terminal:${outside.id}`]) {
      const error = new Promise<{ code: string }>((resolve) => socket.once('realtime:error', resolve));
      expect({ room, joined: await socket.emitWithAck('subscribe', room as never) }).toEqual({ room, joined: false });
      expect((await error).code).toBe('FORBIDDEN');
    }
    const counts = next<FleetCountsMessage>(socket, 'fleet:counts');
    expect(await socket.emitWithAck('subscribe', `region:${mine.regionId}`)).toBe(true);
    const snapshot = await counts;
    expect(snapshot.counts).toEqual(fleet.counts);
    expect(snapshot.regions.map((r) => r.regionId).sort()).toEqual([mine.regionId, mine.branchId].sort());
    const feedSnapshot = next<FeedMessage>(socket, 'feed:changes');
    expect(await socket.emitWithAck('subscribe', `feed:${mine.regionId}`)).toBe(true);
    expect((await feedSnapshot).changes.every((c) => [mine.regionId, mine.branchId].includes(c.regionId))).toBe(true);
    expect(await socket.emitWithAck('subscribe', `terminal:${inside.id}`)).toBe(true);
    const alertsSnapshot = next<AlertsMessage>(socket, 'alerts:changed');
    expect(await socket.emitWithAck('subscribe', `alerts:${mine.regionId}`)).toBe(true);
    expect((await alertsSnapshot).snapshot).toBe(true);

    const feed = next<FeedMessage>(socket, 'feed:changes', (m) => m.changes.some((c) => c.to === 'degraded'));
    await (await terminalDevice(admin, outside.id)).post('/api/v1/heartbeats', heartbeat(outside.id, 2, { batteryPct: 3 }));
    await (await terminalDevice(admin, inside.id)).post('/api/v1/heartbeats', heartbeat(inside.id, 2, { batteryPct: 3 }));
    expect(new Set((await feed).changes.map((c) => c.terminalId))).toEqual(new Set([inside.id]));
  });

  it("should reconnect a user's sockets when their scope changes", async () => {
    const user = await createUser(admin, 'technician', mine.regionId);
    const socket = connect(api, user.token);
    sockets.push(socket);
    await new Promise((resolve) => socket.once('connect', resolve));
    const me = (await user.get('/api/v1/auth/session')).body.user;
    const closed = new Promise((resolve) => socket.once('disconnect', resolve));
    expect((await admin.patch(`/api/v1/users/${me.id}`, { regionId: null, version: me.version })).status).toBe(200);
    await closed;
    expect((await user.get(`/api/v1/terminals/${outside.id}`)).status).toBe(200);
  });
});
