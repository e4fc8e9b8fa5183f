/**
 * The proactive swap list through the built API (issue 7's alarm-based early
 * warning), on SQLite and on PostgreSQL: units whose battery faded, errors
 * and drop-outs rose for two weeks before their (open) fault tickets teach
 * the scheduled job; deployed units degrading the same way now are listed
 * first with the evidence, steady ones are not; a user limited to a region
 * sees only its units; bad query parameters are refused naming the field.
 *
 * Daily rollups of past weeks cannot be sent through the API (rollups come
 * from the heartbeats received, at the server's time), so the test writes
 * them into the API's database, as weeks of heartbeats would have left them.
 */
import { seededRandom } from '@fleet/shared';
import { startApi, testDatabaseUrl, type RunningApi } from '../support/server';
import { type Catalog, Client, createUser, login, newCatalog, newTerminal } from './support/client';
import { openDatabase } from './support/database';
import { eventually } from './support/sinks';

const DAY = 86_400_000;
const today = () => Math.floor(Date.now() / DAY) * DAY;
const ROLLUP_COLUMNS = ['terminal_id', 'granularity', 'bucket_start', 'samples', 'up_ms', 'battery_min', 'battery_avg', 'signal_min', 'signal_avg', 'temperature_max', 'error_count', 'transactions', 'prints'];
const CHANGE_COLUMNS = ['terminal_id', 'from_state', 'to_state', 'reasons', 'at', 'monitored'];

interface Planted {
  rollups: unknown[][];
  changes: unknown[][];
}

/**
 * 42 days of daily rollups before `end` for a terminal: steady with noise, or,
 * when `degrading`, over the last 14 days a battery low falling by 25 points,
 * errors rising by 10 a day and up to 2 drop-outs a day.
 */
function plant(into: Planted, terminalId: number, end: number, degrading: boolean, monitored: boolean | number): void {
  const random = seededRandom(terminalId);
  for (let daysBefore = 42; daysBefore >= 1; daysBefore--) {
    const day = end - daysBefore * DAY;
    const progress = degrading && daysBefore <= 14 ? (15 - daysBefore) / 14 : 0;
    const battery = Math.round(35 + random.int(-3, 3) - 25 * progress);
    into.rollups.push([terminalId, 'day', day, 288, DAY, battery, battery + 30, -85, -75 + random.int(-2, 2), 40 + random.int(-1, 1), random.int(0, 2) + Math.round(10 * progress), 80, 80]);
    const dropouts = (random.next() < 0.05 ? 1 : 0) + Math.round(2 * progress);
    for (let n = 0; n < dropouts; n++) {
      into.changes.push([terminalId, 'online', 'offline', 0, day + (2 + 3 * n) * 3_600_000, monitored]);
      into.changes.push([terminalId, 'offline', 'online', 0, day + (3 + 3 * n) * 3_600_000, monitored]);
    }
  }
}

/** Writes the planted rows into the running API's database (its SQLite file, or its PostgreSQL schema) in one transaction, so no run sees half of them. */
async function write(api: RunningApi, planted: Planted): Promise<void> {
  const db = await openDatabase(api);
  try {
    await db.transaction(async () => {
      await db.insert('heartbeat_rollups', ROLLUP_COLUMNS, planted.rollups);
      await db.insert('status_changes', CHANGE_COLUMNS, planted.changes);
    });
  } finally {
    await db.close();
  }
}

describe('early warning (proactive swap list)', () => {
  let api: RunningApi;
  let admin: Client;
  let scoped: Client;
  let north: Catalog;
  let south: Catalog;
  const units = { failed: [] as number[], steady: [] as number[], degradingNorth: [] as number[], degradingSouth: [] as number[] };

  beforeAll(async () => {
    api = await startApi({ EARLY_WARNING_CHECK_SECONDS: '1' });
    admin = await login(api);
    north = await newCatalog(admin);
    south = await newCatalog(admin);
    scoped = await createUser(admin, 'fleet_manager', south.regionId);
    const deployed = async (catalog: Catalog) => (await newTerminal(admin, catalog, { status: 'deployed' })).id as number;

    const planted: Planted = { rollups: [], changes: [] };
    const monitored = testDatabaseUrl() ? true : 1;
    const failedAt = today() - 20 * DAY;
    for (let n = 0; n < 30; n++) {
      const id = await deployed(north);
      const ticket = await admin.post('/api/v1/incidents', { terminalId: id, symptom: 'battery', description: 'Dies before noon', occurredAt: new Date(failedAt + 9 * 3_600_000).toISOString() });
      expect(ticket.status).toBe(201);
      units.failed.push(id);
      plant(planted, id, failedAt, true, monitored);
    }
    for (let n = 0; n < 60; n++) {
      const id = await deployed(n < 40 ? north : south);
      units.steady.push(id);
      plant(planted, id, today(), false, monitored);
    }
    for (let n = 0; n < 4; n++) {
      const id = await deployed(n < 3 ? north : south);
      (n < 3 ? units.degradingNorth : units.degradingSouth).push(id);
      plant(planted, id, today(), true, monitored);
    }
    await write(api, planted);
  });

  afterAll(() => api?.stop());

  /** The list once a run has learnt from the planted failures (the job runs every second). */
  function learnt(client: Client) {
    return eventually('a run that learnt from the planted failures', async () => {
      const reply = await client.get('/api/v1/analytics/early-warning?pageSize=50');
      expect(reply.status).toBe(200);
      return reply.body.basis.failedUnits === 30 ? reply.body : undefined;
    });
  }

  it('should list the units degrading like those that failed first, with the evidence, and not the steady ones', async () => {
    const report = await learnt(admin);
    expect(report.basis).toEqual({ failedUnits: 30, healthyUnits: 64, recentDays: 14, baselineDays: 28 });
    expect(Date.parse(report.asOf)).toBeGreaterThan(Date.now() - 60_000);
    const degrading = [...units.degradingNorth, ...units.degradingSouth];
    expect(report.total).toBe(4);
    expect(report.items.map((item: { terminal: { id: number } }) => item.terminal.id).sort((a: number, b: number) => a - b)).toEqual(degrading.sort((a, b) => a - b));
    const scores = report.items.map((item: { score: number }) => item.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(Math.min(...scores)).toBeGreaterThan(Math.log(5));

    const first = report.items[0];
    expect(first.model).toEqual({ id: expect.any(Number), name: expect.stringMatching(/^Model /) });
    expect(first.region.name).toMatch(/^Branch /);
    expect(first.evidence.map((row: { signal: string }) => row.signal).sort()).toEqual(['battery_fade', 'error_rise', 'reboot_rise', 'signal_weakening', 'temperature_rise']);
    const battery = first.evidence.find((row: { signal: string }) => row.signal === 'battery_fade');
    expect(battery.baseline).toBeGreaterThan(32);
    expect(battery.recent).toBeLessThan(26);
    expect(battery.failedMedianChange).toBeGreaterThan(10);
    for (const signal of ['battery_fade', 'error_rise', 'reboot_rise']) {
      expect(first.evidence.find((row: { signal: string }) => row.signal === signal).likelihoodRatio).toBeGreaterThan(2);
    }
  });

  it('should show a user limited to a region only the units of its region', async () => {
    const report = await learnt(scoped);
    expect(report.items.map((item: { terminal: { id: number } }) => item.terminal.id)).toEqual(units.degradingSouth);
    expect(report.total).toBe(1);
    const other = await scoped.get(`/api/v1/analytics/early-warning?regionId=${north.regionId}`);
    expect([other.status, other.body.total]).toEqual([200, 0]);
    expect((await admin.get(`/api/v1/analytics/early-warning?regionId=${south.branchId}`)).body.total).toBe(1);
    expect((await admin.get(`/api/v1/analytics/early-warning?modelId=${north.modelId}`)).body.total).toBe(3);
  });

  it.each([
    ['regionId', 'regionId=abc'],
    ['modelId', 'modelId=0'],
    ['page', 'page=-1'],
    ['pageSize', 'pageSize=1000'],
    ['score', 'score=9'],
  ])('should refuse a bad %s naming it', async (field, query) => {
    const reply = await admin.get(`/api/v1/analytics/early-warning?${query}`);
    expect(reply.status).toBe(400);
    expect(reply.body.details.fields[0].field).toBe(field);
  });

  it('should refuse a caller that is not signed in', async () => {
    expect((await new Client(api).get('/api/v1/analytics/early-warning')).status).toBe(401);
  });
});
