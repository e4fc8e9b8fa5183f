/**
 * Shared pieces of heartbeats.mjs: the built API and the reference server as
 * child processes (always killed, also on Ctrl-C or an exception), a fleet
 * seeded straight into SQLite or a fresh PostgreSQL schema with the raw
 * driver, heartbeat bodies pre-serialized from libs/shared's simulated
 * terminal, keep-alive HTTP load generators (closed loop, and an open loop
 * that schedules by the clock so queueing is never hidden), and statistics.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const ROOT = new URL('../..', import.meta.url).pathname;
const require = createRequire(join(ROOT, 'package.json'));
/** A module of the built API (CommonJS), e.g. dist('heartbeats/fleet-state.js'). */
export const dist = (path) => require(join(ROOT, 'dist/apps/api', path));
export const shared = require('@fleet/shared');
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const API_MAIN = join(ROOT, 'dist/apps/api/main.js');
const PASSWORD = 'bench-password-123';

// ---------------------------------------------------------------- cleanup

const cleanups = [];
const children = new Set();

/** Registers undo work (stop a child, remove a directory, drop a schema), run last-in first-out. */
export function onCleanup(work) {
  cleanups.push(work);
}

export async function cleanup() {
  while (cleanups.length > 0) {
    try {
      await cleanups.pop()();
    } catch (error) {
      console.error(`cleanup: ${error.message}`);
    }
  }
}

// Whatever happens, no child outlives the bench.
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});
// Interrupted: the load may still be running, so the children are killed outright (their data is thrown away anyway).
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.error(`\n${signal}: killing the children and cleaning up`);
    for (const child of children) child.kill('SIGKILL');
    void cleanup().finally(() => process.exit(130));
  });
}

/** Runs a bench's main function: cleanup on success and on failure, exit code 1 on an error. */
export function run(main) {
  main()
    .then(cleanup)
    .catch(async (error) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : error);
      await cleanup();
      process.exit(1);
    });
}

// ---------------------------------------------------------------- processes

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Spawns a node child that is killed with the bench; keeps the tail of its output for error messages. */
function spawnNode(args, env) {
  const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let output = '';
  const keep = (chunk) => (output = (output + chunk.toString()).slice(-20_000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  exited.then(() => children.delete(child));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  };
  return { child, pid: child.pid, exited, stop, output: () => output };
}

async function waitUntil(ready, process, what, seconds) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (process.child.exitCode !== null || process.child.signalCode !== null) throw new Error(`${what} exited:\n${process.output()}`);
    if (await ready()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await process.stop();
  throw new Error(`${what} not ready within ${seconds} s:\n${process.output()}`);
}

/** The built API on a free loopback port, on the fleet's database; `env` adds or overrides variables. */
export async function startApi(fleet, env = {}) {
  const port = await freePort();
  const api = spawnNode([API_MAIN], {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: fleet.dataDir,
    DEMO: 'off',
    ADMIN_PASSWORD: PASSWORD,
    LOG_LEVEL: 'warn',
    ...(fleet.engine === 'postgres' ? { DATABASE_URL: PG_URL, DATABASE_SCHEMA: fleet.schema } : {}),
    ...env,
  });
  onCleanup(api.stop);
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(() => fetch(`${url}/api/health`).then((r) => r.ok, () => false), api, 'API', 300);
  return { ...api, url, port };
}

/** The reference: a bare node:http server (bare-http-server.mjs) that parses the JSON body and answers 200. */
export async function startBareServer() {
  const port = await freePort();
  const server = spawnNode([join(ROOT, 'tools/bench/bare-http-server.mjs')], { PORT: String(port) });
  onCleanup(server.stop);
  await waitUntil(async () => server.output().includes('ready'), server, 'bare server', 30);
  return { ...server, url: `http://127.0.0.1:${port}`, port };
}

/**
 * Any node script as a reference server on a free loopback port (PORT in its
 * environment), ready once it prints `ready`; stopped with the bench.
 */
export async function startNodeServer(args, env = {}, what = 'reference server') {
  const port = await freePort();
  const server = spawnNode(args, { PORT: String(port), ...env });
  onCleanup(server.stop);
  await waitUntil(async () => server.output().includes('ready'), server, what, 30);
  return { ...server, url: `http://127.0.0.1:${port}`, port };
}

/** Signs in as the API's admin (the password startApi sets); returns the login answer ({ accessToken, expiresAt, user }). */
export async function signIn(url) {
  const response = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
  if (!response.ok) throw new Error(`login: ${response.status} ${await response.text()}`);
  return response.json();
}

export const ADMIN_PASSWORD = PASSWORD;

/** Resident memory of a process in bytes (Linux /proc, else ps). */
export function rssBytes(pid) {
  const status = `/proc/${pid}/status`;
  if (existsSync(status)) {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(status, 'utf8'));
    return match ? Number(match[1]) * 1024 : NaN;
  }
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)]).toString().trim()) * 1024;
}

/** CPU seconds (user + system) a process has used so far (Linux /proc; clock ticks of 1/100 s). */
export function cpuSeconds(pid = process.pid) {
  if (pid === process.pid) {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1e6;
  }
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export function postgresAnswers() {
  return new Promise((resolve) => {
    const { hostname, port } = new URL(PG_URL);
    const socket = createConnection({ host: hostname, port: Number(port || 5432) });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export async function pgClient(schema) {
  const client = new pg.Client({ connectionString: PG_URL, options: schema ? `-c search_path=${schema}` : undefined });
  await client.connect();
  return client;
}

// ---------------------------------------------------------------- the fleet

const CATEGORIES = ['smart', 'desktop', 'mobile', 'mpos'];
const BRANCHES = 8;
const sqliteTime = (date) => date.toISOString().replace('T', ' ').replace('Z', '');
const sha256 = (text) => createHash('sha256').update(text).digest('hex');
const deviceToken = (prefix) => `${prefix}${randomBytes(32).toString('base64url')}`;

/** Terminal ids are 1..N; a terminal's model (and so its category) is id mod 4. */
const categoryOf = (id) => CATEGORIES[id % CATEGORIES.length];

/**
 * An empty database migrated by the API itself (started once and stopped),
 * then seeded with the raw driver: a root region with branches, suppliers,
 * four models (one per category), N deployed terminals, a gateway credential
 * for the root region and terminal credentials for the first `credentials`
 * terminals. The API rebuilds its live state from these rows when it starts.
 */
export async function prepareFleet({ engine, terminals, credentials = 0 }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'fleet-bench-'));
  onCleanup(() => rmSync(dataDir, { recursive: true, force: true }));
  const fleet = { engine, dataDir, schema: null, terminals };
  if (engine === 'postgres') {
    fleet.schema = `bench_${randomBytes(5).toString('hex')}`;
    onCleanup(async () => {
      const client = await pgClient();
      await client.query(`DROP SCHEMA IF EXISTS "${fleet.schema}" CASCADE`);
      await client.end();
    });
  }
  const started = performance.now();
  const migrating = await startApi(fleet);
  await migrating.stop();

  const now = new Date();
  const gatewayToken = deviceToken('fgw_');
  const terminalTokens = Array.from({ length: Math.min(credentials, terminals) }, () => deviceToken('fdt_'));
  const rows = seedRows(terminals, now, gatewayToken, terminalTokens);
  if (engine === 'sqlite') seedSqlite(join(dataDir, 'fleet.sqlite'), rows, now);
  else await seedPostgres(fleet.schema, rows, now);
  console.log(`seeded ${terminals.toLocaleString('en')} terminals on ${engine} in ${((performance.now() - started) / 1000).toFixed(1)} s (migrations by the API, rows by the raw driver)`);
  return { ...fleet, gatewayToken, terminalTokens };
}

function seedRows(count, now, gatewayToken, terminalTokens) {
  return {
    regions: [{ id: 1, code: 'BN', parentId: null, path: '/1/', depth: 0 }, ...Array.from({ length: BRANCHES }, (_, b) => ({ id: b + 2, code: `BNB${b + 1}`, parentId: 1, path: `/1/${b + 2}/`, depth: 1 }))],
    suppliers: [1, 2, 3].map((id) => ({ id, name: `Bench supplier ${id}` })),
    models: CATEGORIES.map((category, m) => ({ id: m + 1, name: `Bench ${category}`, category })),
    terminal: (id) => {
      const branch = 2 + (id % BRANCHES);
      return [id, `POS-BNB${branch - 1}-${String(id).padStart(8, '0')}`, `BENCH${String(id).padStart(9, '0')}`, 1 + (id % CATEGORIES.length), 1 + (id % 3), categoryOf(id), branch];
    },
    count,
    credentials: [
      { kind: 'gateway', terminalId: null, regionId: 1, name: 'Bench gateway', token: gatewayToken },
      ...terminalTokens.map((token, index) => ({ kind: 'terminal', terminalId: index + 1, regionId: null, name: null, token })),
    ],
  };
}

function seedSqlite(path, rows, now) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  const at = sqliteTime(now);
  db.transaction(() => {
    const region = db.prepare('INSERT INTO regions (id, code, name, parent_id, path, depth, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)');
    for (const r of rows.regions) region.run(r.id, r.code, r.code, r.parentId, r.path, r.depth, at, at);
    for (const s of rows.suppliers) db.prepare('INSERT INTO suppliers (id, name, version, created_at, updated_at) VALUES (?, ?, 1, ?, ?)').run(s.id, s.name, at, at);
    for (const m of rows.models) db.prepare("INSERT INTO models (id, name, manufacturer, category, currency, default_warranty_months, version, created_at, updated_at) VALUES (?, ?, 'Bench', ?, 'CNY', 24, 1, ?, ?)").run(m.id, m.name, m.category, at, at);
    const terminal = db.prepare("INSERT INTO terminals (id, asset_number, serial_number, model_id, supplier_id, category, region_id, status, currency, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'deployed', 'CNY', 1, ?, ?)");
    for (let id = 1; id <= rows.count; id++) terminal.run(...rows.terminal(id), at, at);
    const sequence = db.prepare('INSERT INTO asset_sequences (region_id, last_value) VALUES (?, ?)');
    for (const r of rows.regions.slice(1)) sequence.run(r.id, rows.count);
    const credential = db.prepare("INSERT INTO device_credentials (kind, terminal_id, region_id, name, token_hash, hint, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, 'bench')");
    for (const c of rows.credentials) credential.run(c.kind, c.terminalId, c.regionId, c.name, sha256(c.token), c.token.slice(-4), at);
  })();
  db.exec('ANALYZE');
  db.close();
}

async function seedPostgres(schema, rows, now) {
  const client = await pgClient(schema);
  try {
    await client.query('BEGIN');
    for (const r of rows.regions) await client.query('INSERT INTO regions (id, code, name, parent_id, path, depth, version, created_at, updated_at) VALUES ($1, $2, $2, $3, $4, $5, 1, $6, $6)', [r.id, r.code, r.parentId, r.path, r.depth, now]);
    for (const s of rows.suppliers) await client.query('INSERT INTO suppliers (id, name, version, created_at, updated_at) VALUES ($1, $2, 1, $3, $3)', [s.id, s.name, now]);
    for (const m of rows.models) await client.query("INSERT INTO models (id, name, manufacturer, category, currency, default_warranty_months, version, created_at, updated_at) VALUES ($1, $2, 'Bench', $3, 'CNY', 24, 1, $4, $4)", [m.id, m.name, m.category, now]);
    for (let from = 1; from <= rows.count; from += 50_000) {
      const columns = Array.from({ length: 7 }, () => []);
      for (let id = from; id < Math.min(rows.count + 1, from + 50_000); id++) rows.terminal(id).forEach((value, c) => columns[c].push(value));
      await client.query(
        `INSERT INTO terminals (id, asset_number, serial_number, model_id, supplier_id, category, region_id, status, currency, version, created_at, updated_at)
         SELECT id, a, s, m, sup, cat, r, 'deployed', 'CNY', 1, $8, $8 FROM unnest($1::int[], $2::varchar[], $3::varchar[], $4::int[], $5::int[], $6::varchar[], $7::int[]) AS t (id, a, s, m, sup, cat, r)`,
        [...columns, now],
      );
    }
    for (const r of rows.regions.slice(1)) await client.query('INSERT INTO asset_sequences (region_id, last_value) VALUES ($1, $2)', [r.id, rows.count]);
    for (const c of rows.credentials) {
      await client.query("INSERT INTO device_credentials (kind, terminal_id, region_id, name, token_hash, hint, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, 'bench')", [c.kind, c.terminalId, c.regionId, c.name, sha256(c.token), c.token.slice(-4), now]);
    }
    // Ids were given explicitly: move the sequences past them.
    for (const table of ['regions', 'suppliers', 'models', 'terminals']) await client.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT MAX(id) FROM ${table}))`);
    await client.query('COMMIT');
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------- heartbeats

/**
 * Pre-serialized heartbeats: for each terminal, `variants` successive
 * heartbeats of its simulated twin (libs/shared), split around the sequence
 * so a body is `prefix + sequence + suffix`. Sequences start at the wall
 * clock in ms and grow by one per send, so a run never repeats one.
 */
export function heartbeatSource(ids, { seed = 1, variants = 2, intervalSeconds = 60 } = {}) {
  const { seededRandom, simulatedTerminal, nextHeartbeat } = shared;
  const random = seededRandom(seed);
  const prefixes = [];
  const suffixes = [];
  for (const id of ids) {
    const twin = simulatedTerminal(id, categoryOf(id), random, { annualFailureRate: 0.05, firmwareVersion: '2.4.0', appVersion: '3.2.0' });
    // The twin's clock starts a day ago: sentAt stays well inside the API's 30-day window.
    let at = Date.now() - 86_400_000;
    for (let v = 0; v < variants; v++) {
      let heartbeat = null;
      // Down (at most an hour) or lost: its next heartbeat, one interval later.
      while (heartbeat === null) heartbeat = nextHeartbeat(twin, (at += intervalSeconds * 1000), intervalSeconds, random);
      const text = JSON.stringify({ ...heartbeat, sequence: 0 });
      const cut = text.indexOf('"sequence":0') + '"sequence":'.length;
      prefixes.push(text.slice(0, cut));
      suffixes.push(text.slice(cut + 1));
    }
  }
  const sends = new Float64Array(ids.length);
  const base = Date.now();
  return {
    ids,
    /** The JSON of terminal number `index`'s next heartbeat. */
    next(index) {
      const count = sends[index]++;
      const template = index * variants + (count % variants);
      return prefixes[template] + (base + count) + suffixes[template];
    },
  };
}

/** Hands out heartbeats round-robin over the terminals, as batch bodies or one at a time. */
export function rotation(source) {
  let cursor = 0;
  return {
    one() {
      const index = cursor;
      cursor = (cursor + 1) % source.ids.length;
      return { index, body: source.next(index) };
    },
    batch(size) {
      let body = '{"heartbeats":[';
      for (let i = 0; i < size; i++) {
        body += (i === 0 ? '' : ',') + source.next(cursor);
        cursor = (cursor + 1) % source.ids.length;
      }
      return `${body}]}`;
    },
  };
}

// ---------------------------------------------------------------- HTTP load

/** POSTs JSON over keep-alive sockets; never rejects: a failure is status 0. */
export function poster(baseUrl, sockets) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  const { hostname, port } = new URL(baseUrl);
  const post = (path, token, body) =>
    new Promise((resolve) => {
      const request = http.request({ host: hostname, port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` } }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode, retryAfter: Number(response.headers['retry-after']) || 0, text }));
        response.on('error', (error) => resolve({ status: 0, error: error.message }));
      });
      request.setTimeout(120_000, () => request.destroy(new Error('no answer within 120 s')));
      request.on('error', (error) => resolve({ status: 0, error: error.message }));
      request.end(body);
    });
  onCleanup(() => agent.destroy());
  return { post };
}

/** Counts answers; heartbeats stored are read from the 200 answers. */
export function outcomes() {
  const o = { requests: 0, ok: 0, refused: 0, other: 0, failed: 0, dropped: 0, accepted: 0, duplicates: 0, retryAfter: [], errors: new Map() };
  o.add = (reply) => {
    o.requests++;
    if (reply.status === 200) {
      o.ok++;
      const { accepted, duplicates } = JSON.parse(reply.text);
      o.accepted += accepted;
      o.duplicates += duplicates;
    } else if (reply.status === 503) {
      o.refused++;
      o.retryAfter.push(reply.retryAfter);
    } else {
      if (reply.status === 0) o.failed++;
      else o.other++;
      const key = reply.status === 0 ? reply.error : `${reply.status} ${reply.text.slice(0, 120)}`;
      o.errors.set(key, (o.errors.get(key) ?? 0) + 1);
    }
  };
  return o;
}

/**
 * C workers each send, wait for the answer, and send again, for `seconds`
 * after `warmupSeconds`. Returns the outcomes, latencies (ms) and heartbeats
 * stored per one-second window.
 */
export async function closedLoop({ concurrency, seconds, warmupSeconds = 0, send }) {
  const warmEnd = performance.now() + warmupSeconds * 1000;
  const end = warmEnd + seconds * 1000;
  const o = outcomes();
  const latencies = [];
  const windows = new Float64Array(Math.ceil(seconds) + 1);
  const worker = async () => {
    while (performance.now() < end) {
      const started = performance.now();
      const reply = await send();
      const finished = performance.now();
      if (started < warmEnd) continue;
      o.add(reply);
      latencies.push(finished - started);
      if (reply.status === 200 && finished < end) windows[Math.floor((finished - warmEnd) / 1000)] += JSON.parse(reply.text).accepted;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { outcomes: o, latencies, perSecond: Array.from(windows.subarray(0, Math.floor(seconds))) };
}

/**
 * Open loop: request k is due at start + k / rate whatever the answers (no
 * coordinated omission). At most `maxInFlight` are outstanding; a due
 * request waits for a free slot and its latency counts from when it was
 * due. One that waited more than `maxBacklogSeconds` is not sent and counts
 * as dropped (infinite latency), so memory stays bounded when the server
 * falls behind. Returns the outcomes and the due time and latency of every request.
 */
export async function openLoop({ rate, seconds, maxInFlight = 256, maxBacklogSeconds = 5, send, drainSeconds = 30 }) {
  const period = 1000 / rate;
  const total = Math.floor(rate * seconds);
  const o = outcomes();
  const due = new Float64Array(total);
  const latency = new Float64Array(total).fill(Infinity);
  const start = performance.now() + 50;
  let next = 0;
  let launched = 0;
  let inFlight = 0;
  let timer = null;
  let finish;
  const finished = new Promise((resolve) => (finish = resolve));
  const pump = () => {
    clearTimeout(timer);
    timer = null;
    const now = performance.now();
    while (next < total && start + next * period <= now) {
      const k = next;
      due[k] = start + k * period;
      if (now - due[k] > maxBacklogSeconds * 1000) {
        o.dropped++;
        next++;
        continue;
      }
      if (inFlight >= maxInFlight) break;
      next++;
      launched++;
      inFlight++;
      send().then((reply) => {
        latency[k] = performance.now() - due[k];
        o.add(reply);
        inFlight--;
        if (next >= total && inFlight === 0) finish();
        else if (inFlight === maxInFlight - 1) pump();
      });
    }
    if (next < total && inFlight < maxInFlight) timer = setTimeout(pump, Math.max(0, start + next * period - performance.now()));
    else if (next >= total && inFlight === 0) finish();
  };
  pump();
  await Promise.race([finished, new Promise((resolve) => setTimeout(resolve, (seconds + drainSeconds) * 1000).unref())]);
  clearTimeout(timer);
  next = total; // stop whatever is still backlogged
  return { outcomes: o, due, latency, start, sent: launched, unanswered: inFlight };
}

// ---------------------------------------------------------------- statistics

export function percentile(values, p) {
  const sorted = Float64Array.from(values).sort();
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * p) - 1))];
}

export const median = (values) => percentile(values, 0.5);

export const fmt = (value, digits = 1) => (Number.isFinite(value) ? value.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : value === Infinity ? '∞' : '–');

export const ms = (value) => (value === Infinity ? '∞' : fmt(value, value < 1 ? 3 : value < 10 ? 2 : 1));

export function table(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  console.log(['', line(header), line(header.map(() => '---')), ...rows.map(line), ''].join('\n'));
}

/** Copies an SQLite database whose connections are closed (file and WAL). */
export function copySqlite(from, to) {
  copyFileSync(from, to);
  if (existsSync(`${from}-wal`)) copyFileSync(`${from}-wal`, `${to}-wal`);
}
