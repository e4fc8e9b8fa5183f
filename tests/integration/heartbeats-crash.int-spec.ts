/**
 * Durability: heartbeats are sent under load, the API is killed with
 * SIGKILL at an arbitrary moment and restarted on the same data; every
 * heartbeat that was acknowledged must be in the database. A few cycles.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import { startApi, testDatabaseUrl, type RunningApi } from '../support/server';
import { Client, heartbeat, login, newCatalog, newTerminal } from './support/client';

async function storedKeys(api: RunningApi): Promise<Set<string>> {
  const sql = 'SELECT terminal_id, sequence FROM heartbeats';
  const databaseUrl = testDatabaseUrl();
  if (databaseUrl) {
    const client = new PgClient({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT terminal_id, sequence FROM "${api.schema}".heartbeats`);
      return new Set(rows.map((row: { terminal_id: number; sequence: string }) => `${row.terminal_id}:${row.sequence}`));
    } finally {
      await client.end();
    }
  }
  const db = new Database(join(api.dataDir, 'fleet.sqlite'), { readonly: true });
  try {
    return new Set((db.prepare(sql).all() as { terminal_id: number; sequence: number }[]).map((row) => `${row.terminal_id}:${row.sequence}`));
  } finally {
    db.close();
  }
}

describe('durability after kill -9', () => {
  let api: RunningApi;

  afterAll(() => api?.stop());

  it('should keep every acknowledged heartbeat across crashes', async () => {
    api = await startApi();
    let admin = await login(api);
    const catalog = await newCatalog(admin);
    const terminals = await Promise.all(Array.from({ length: 8 }, () => newTerminal(admin, catalog, { status: 'deployed' })));
    const gateway = (await admin.post('/api/v1/gateways', { name: 'Crash test TMS', regionId: catalog.regionId })).body.token as string;
    const acknowledged = new Set<string>();
    let sequence = 0;

    for (let cycle = 0; cycle < 3; cycle++) {
      const sender = new Client(api, gateway);
      let running = true;
      const senders = Array.from({ length: 4 }, async () => {
        while (running) {
          const beats = Array.from({ length: 50 }, (_, i) => heartbeat(terminals[(sequence + i) % terminals.length]!.id, ++sequence));
          try {
            const reply = await sender.post('/api/v1/heartbeats/batch', { heartbeats: beats });
            if (reply.status === 200) for (const beat of beats) acknowledged.add(`${beat.terminalId}:${beat.sequence}`);
          } catch {
            return; // the connection died with the API
          }
        }
      });
      // Kill once the senders have had answers, at a moment that varies per cycle.
      const before = acknowledged.size;
      while (acknowledged.size < before + 500) await new Promise((resolve) => setTimeout(resolve, 20));
      await new Promise((resolve) => setTimeout(resolve, 37 * (cycle + 1)));
      await api.crash();
      running = false;
      await Promise.all(senders);

      api = await startApi({}, { dataDir: api.dataDir, schema: api.schema });
      admin = await login(api);
      const stored = await storedKeys(api);
      const lost = [...acknowledged].filter((key) => !stored.has(key));
      expect({ cycle, acknowledged: acknowledged.size, lost }).toEqual({ cycle, acknowledged: acknowledged.size, lost: [] });
      // The restarted API picks up where the terminals left off: online, not offline.
      const health = (await admin.get(`/api/v1/terminals/${terminals[0]!.id}/health`)).body;
      expect(health.state).toBe('online');
    }
  });
});
