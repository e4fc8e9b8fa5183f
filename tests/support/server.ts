/**
 * Starts the built API (dist/apps/api/main.js) as a child process on a free
 * port with a fresh data directory, as a real deployment would run it.
 * Integration and browser tests share it; each test file starts its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');
export const API_MAIN = join(ROOT, 'dist/apps/api/main.js');
export const ADMIN = { username: 'admin', password: 'admin-password-for-tests' };

export interface RunningApi {
  baseUrl: string;
  port: number;
  dataDir: string;
  env: Record<string, string>;
  /** The PostgreSQL schema of this API, when on PostgreSQL. */
  schema: string | undefined;
  logs(): string;
  stop(): Promise<void>;
  /** kill -9: no shutdown hooks, data directory and schema kept for a restart. */
  crash(): Promise<void>;
}

/** Start on the data of an API that was stopped or crashed (same directory and schema). */
export interface Reuse {
  dataDir: string;
  schema: string | undefined;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** The database the integration suite runs against: TEST_DATABASE_URL (PostgreSQL) or embedded SQLite. */
export function testDatabaseUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || undefined;
}

export async function startApi(env: Record<string, string> = {}, reuse?: Reuse): Promise<RunningApi> {
  // A restart on the same data may keep its port (env.PORT), as a redeployed server would.
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const dataDir = reuse?.dataDir ?? mkdtempSync(join(tmpdir(), 'fleet-test-'));
  const databaseUrl = testDatabaseUrl();
  // Each API on PostgreSQL gets a schema of its own, so test files never see each other's rows.
  const schema = databaseUrl ? (reuse?.schema ?? `test_${process.pid}_${port}`) : undefined;
  const fullEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NODE_ENV: 'test',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DEMO: 'off',
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: 'warn',
    ...(databaseUrl && schema ? { DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema } : {}),
    ...env,
  };
  const child: ChildProcess = spawn(process.execPath, [API_MAIN], { env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const baseUrl = `http://127.0.0.1:${port}`;

  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  let ready = false;
  for (let attempt = 0; attempt < 600 && !ready; attempt++) {
    if (child.exitCode !== null) break;
    try {
      const response = await fetch(`${baseUrl}/api/health`);
      ready = response.ok;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  if (!ready) {
    child.kill('SIGKILL');
    throw new Error(`API did not start:\n${output}`);
  }
  return {
    baseUrl,
    port,
    dataDir,
    env: fullEnv,
    schema,
    logs: () => output,
    crash: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
      if (databaseUrl && schema) await dropSchema(databaseUrl, schema);
    },
  };
}

async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
