#!/usr/bin/env node
/**
 * Heartbeat ingest and live-state benchmarks. Each sub-command measures one
 * thing against a reference run in the same invocation and prints a table:
 *
 *   http      one heartbeat per request through the built API, next to a bare
 *             node:http server that parses the body and answers 200: maximum
 *             rate with C closed-loop keep-alive clients, and p50/p99 at a
 *             fixed offered rate from an open-loop generator
 *   batch     batches of 1,000 from a gateway on SQLite and PostgreSQL: the
 *             sustained rate, and p50/p99 of the acknowledgement at the
 *             16,700/s target; reference: the raw driver writing the same rows
 *   sweep     FleetState.collectExpired at 10k/100k/1M terminals with 0, 1 and
 *             10% newly stale, against 10 ms + 0.02 ms per stale terminal
 *   memory    bytes per terminal of FleetState at 1M, against a bare Map of
 *             objects with the same fields; target 400 B
 *   overload  10× the sustainable batch rate for 30 s: API memory, share
 *             refused with 503, and how long normal-load p99 takes to recover
 *
 *   npx nx run-many -t build -p shared,api
 *   node tools/bench/heartbeats.mjs <sub-command> [options]   (--help for the options)
 *
 * Everything listens on 127.0.0.1; the API and the reference server are
 * child processes, killed on exit, error or Ctrl-C; fleets are seeded in a
 * temporary directory or a fresh PostgreSQL schema, removed at the end.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import {
  closedLoop,
  copySqlite,
  cpuSeconds,
  dist,
  fmt,
  heartbeatSource,
  median,
  ms,
  openLoop,
  percentile,
  pgClient,
  postgresAnswers,
  poster,
  prepareFleet,
  rotation,
  rssBytes,
  run,
  shared,
  startApi,
  startBareServer,
  table,
} from './heartbeats-support.mjs';

const HELP = `node tools/bench/heartbeats.mjs <http|batch|sweep|memory|overload> [options]

http      --engine sqlite|postgres (sqlite)  --terminals N (10000)  --credentials N (1000)
          --concurrency C (32)  --seconds S per phase (15)  --rate R requests/s (half the API's closed-loop maximum)
batch     --engines sqlite,postgres (both when PostgreSQL answers)  --terminals N (100000)  --batch-size B (1000)
          --concurrency C (4)  --seconds S per phase (15)  --target heartbeats/s (16700)  --p99 ms (100)
sweep     --sizes 10000,100000,1000000  --stale 0,0.01,0.1  --repeats R (9)
memory    --terminals N (1000000)
overload  --engine sqlite|postgres (sqlite)  --terminals N (100000)  --batch-size B (1000)  --seconds S (30)
          --factor F (10)  --connections N (64)  --recovery S (30)  --queue-limit N (the API's default, 50000)`;

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    engine: { type: 'string', default: 'sqlite' },
    engines: { type: 'string' },
    terminals: { type: 'string' },
    credentials: { type: 'string', default: '1000' },
    concurrency: { type: 'string' },
    seconds: { type: 'string' },
    rate: { type: 'string' },
    'batch-size': { type: 'string', default: '1000' },
    target: { type: 'string', default: '16700' },
    p99: { type: 'string', default: '100' },
    sizes: { type: 'string', default: '10000,100000,1000000' },
    stale: { type: 'string', default: '0,0.01,0.1' },
    repeats: { type: 'string', default: '9' },
    factor: { type: 'string', default: '10' },
    connections: { type: 'string', default: '64' },
    recovery: { type: 'string', default: '30' },
    'queue-limit': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

const [command, ...rest] = positionals;
const int = (value, fallback) => {
  const n = Number(value ?? fallback);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`not a positive number: ${value}`);
  return n;
};
const list = (text) => text.split(',').map((item) => Number(item.trim()));
const engine = (name) => {
  if (name !== 'sqlite' && name !== 'postgres') throw new Error(`unknown engine ${name}: sqlite or postgres`);
  return name;
};
const count = (n) => Math.round(n).toLocaleString('en');
const ratio = (a, b) => fmt(a / b, 2);

// ---------------------------------------------------------------- http

async function httpBench() {
  const seconds = int(args.seconds, 15);
  const concurrency = int(args.concurrency, 32);
  const fleet = await prepareFleet({ engine: engine(args.engine), terminals: int(args.terminals, 10_000), credentials: int(args.credentials, 1000) });
  const api = await startApi(fleet);
  const bare = await startBareServer();
  const ids = fleet.terminalTokens.map((_, index) => index + 1);
  const ring = rotation(heartbeatSource(ids));
  const sender = (server, sockets) => {
    const client = poster(server.url, sockets);
    return () => {
      const { index, body } = ring.one();
      return client.post('/api/v1/heartbeats', fleet.terminalTokens[index], body);
    };
  };
  const results = {};
  for (const [name, server] of [['bare', bare], ['api', api]]) {
    console.log(`closed loop, ${concurrency} clients, ${seconds} s (+3 s warm-up): ${name}`);
    const before = { at: performance.now(), server: cpuSeconds(server.pid), generator: cpuSeconds() };
    const closed = await closedLoop({ concurrency, seconds, warmupSeconds: 3, send: sender(server, concurrency) });
    const elapsed = (performance.now() - before.at) / 1000;
    const cpu = { server: (cpuSeconds(server.pid) - before.server) / elapsed, generator: (cpuSeconds() - before.generator) / elapsed };
    results[name] = { closed, cpu };
  }
  const rate = args.rate ? int(args.rate) : Math.max(50, Math.round(median(results.api.closed.perSecond) / 2 / 50) * 50);
  for (const [name, server] of [['bare', bare], ['api', api]]) {
    console.log(`open loop at ${count(rate)} requests/s, ${seconds} s: ${name}`);
    results[name].open = await openLoop({ rate, seconds, send: sender(server, 256), maxInFlight: 256 });
  }
  const { api: a, bare: b } = results;
  const rateOf = (r) => median(r.closed.perSecond);
  const p = (r, phase, q) => (phase === 'closed' ? percentile(r.closed.latencies, q) : percentile(r.open.latency, q));
  const answered = (r) => `${count(r.open.outcomes.ok)} / ${count(r.open.outcomes.refused)} / ${count(r.open.outcomes.other + r.open.outcomes.failed + r.open.outcomes.dropped + r.open.unanswered)}`;
  console.log(`\n## http: one heartbeat per request, ${fleet.engine}, ${count(fleet.terminals)} terminals, ${count(ids.length)} device tokens`);
  table(
    ['measure', 'API', 'bare node:http', 'API / bare'],
    [
      [`closed loop, ${concurrency} clients: heartbeats/s (median of 1-s windows)`, count(rateOf(a)), count(rateOf(b)), ratio(rateOf(a), rateOf(b))],
      ['closed loop: latency p50 (ms)', ms(p(a, 'closed', 0.5)), ms(p(b, 'closed', 0.5)), ratio(p(a, 'closed', 0.5), p(b, 'closed', 0.5))],
      ['closed loop: latency p99 (ms)', ms(p(a, 'closed', 0.99)), ms(p(b, 'closed', 0.99)), ratio(p(a, 'closed', 0.99), p(b, 'closed', 0.99))],
      ['closed loop: CPU of the server / of the load generator (% of one core)', `${fmt(a.cpu.server * 100, 0)} / ${fmt(a.cpu.generator * 100, 0)}`, `${fmt(b.cpu.server * 100, 0)} / ${fmt(b.cpu.generator * 100, 0)}`, ''],
      [`open loop at ${count(rate)}/s: latency p50 (ms, from the scheduled send)`, ms(p(a, 'open', 0.5)), ms(p(b, 'open', 0.5)), ratio(p(a, 'open', 0.5), p(b, 'open', 0.5))],
      ['open loop: latency p99 (ms)', ms(p(a, 'open', 0.99)), ms(p(b, 'open', 0.99)), ratio(p(a, 'open', 0.99), p(b, 'open', 0.99))],
      ['open loop: answered 200 / 503 / other or not answered', answered(a), answered(b), ''],
    ],
  );
  reportErrors(a.closed.outcomes, a.open.outcomes);
}

function reportErrors(...all) {
  for (const o of all) for (const [message, n] of o.errors) console.log(`  error ×${n}: ${message}`);
}

// ---------------------------------------------------------------- batch

const PG_TYPES = {
  terminal_id: 'int', sequence: 'bigint', sent_at: 'bigint', received_at: 'bigint', battery_pct: 'smallint', charging: 'boolean', signal_dbm: 'smallint', network: 'varchar', printer: 'varchar',
  temperature_c: 'real', firmware_version: 'varchar', app_version: 'varchar', last_transaction_at: 'bigint', transaction_count: 'bigint', print_count: 'bigint', error_codes: 'varchar',
  lat: 'real', lon: 'real', up_ms: 'int', error_count: 'int', transactions: 'int', prints: 'int', state: 'varchar', reasons: 'int', since: 'bigint', last_seen_at: 'bigint',
  last_sent_at: 'bigint', last_sequence: 'bigint', error_streak: 'int',
};

/**
 * The rows the API writes for a batch (one heartbeat row each, one latest-state
 * row per terminal), computed with the API's own step and column order.
 */
function rowsOf(batchBody) {
  const { step } = dist('heartbeats/heartbeat-step.js');
  const { heartbeatValues, healthValues } = dist('heartbeats/heartbeat-rows.js');
  const now = Date.now();
  const heartbeats = [];
  const health = new Map();
  for (const heartbeat of JSON.parse(batchBody).heartbeats) {
    const previous = { id: heartbeat.terminalId, state: 'unknown', reasons: 0, sinceMs: 0, lastSeenMs: 0, lastSequence: -1, errorStreak: 0, transactionCount: -1, printCount: -1 };
    const { row, next } = step(previous, heartbeat, now, shared.DEFAULT_HEALTH_POLICY, true);
    heartbeats.push(heartbeatValues(row));
    health.set(row.terminalId, healthValues({ ...row, state: next.state, reasons: next.reasons, since: next.sinceMs, lastSeenAt: next.lastSeenMs, lastSentAt: row.sentAt, lastSequence: next.lastSequence, errorStreak: next.errorStreak }));
  }
  return { heartbeats, health: [...health.values()] };
}

/**
 * The reference: the raw driver writes the same rows, one transaction per
 * batch, one batch after another (as the API's single writer does), until
 * `seconds` of write time. SQLite: prepared statements on a copy of the
 * seeded database, WAL, synchronous=FULL, foreign keys on. PostgreSQL: the
 * same multi-row unnest statements into LIKE-copies of the tables.
 */
async function rawReference(fleet, ring, batchSize, seconds) {
  const { HEARTBEAT_COLUMNS, HEALTH_COLUMNS } = dist('heartbeats/heartbeat-rows.js');
  const updates = HEALTH_COLUMNS.slice(1).map((c) => `${c} = excluded.${c}`).join(', ');
  const times = [];
  let rows = 0;
  let write;
  let close;
  if (fleet.engine === 'sqlite') {
    const path = join(fleet.dataDir, 'raw.sqlite');
    copySqlite(join(fleet.dataDir, 'fleet.sqlite'), path);
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    const insert = db.prepare(`INSERT INTO heartbeats (${HEARTBEAT_COLUMNS.join(', ')}) VALUES (${HEARTBEAT_COLUMNS.map(() => '?').join(', ')}) ON CONFLICT DO NOTHING`);
    const upsert = db.prepare(`INSERT INTO terminal_health (${HEALTH_COLUMNS.join(', ')}) VALUES (${HEALTH_COLUMNS.map(() => '?').join(', ')}) ON CONFLICT (terminal_id) DO UPDATE SET ${updates}`);
    const bind = (values) => values.map((v) => (typeof v === 'boolean' ? Number(v) : v));
    const transaction = db.transaction((batch) => {
      for (const values of batch.heartbeats) insert.run(...bind(values));
      for (const values of batch.health) upsert.run(...bind(values));
    });
    write = async (batch) => transaction(batch);
    close = async () => db.close();
  } else {
    const client = await pgClient(fleet.schema);
    await client.query('CREATE TABLE raw_heartbeats (LIKE heartbeats INCLUDING ALL)');
    await client.query('CREATE TABLE raw_terminal_health (LIKE terminal_health INCLUDING ALL)');
    await client.query('ALTER TABLE raw_terminal_health ADD FOREIGN KEY (terminal_id) REFERENCES terminals (id) ON DELETE CASCADE');
    const unnest = (columns) => `SELECT * FROM unnest(${columns.map((c, i) => `$${i + 1}::${PG_TYPES[c]}[]`).join(', ')})`;
    const transpose = (values, width) => Array.from({ length: width }, (_, c) => values.map((row) => row[c]));
    write = async (batch) => {
      await client.query('BEGIN');
      await client.query(`INSERT INTO raw_heartbeats (${HEARTBEAT_COLUMNS.join(', ')}) ${unnest(HEARTBEAT_COLUMNS)} ON CONFLICT DO NOTHING`, transpose(batch.heartbeats, HEARTBEAT_COLUMNS.length));
      await client.query(`INSERT INTO raw_terminal_health (${HEALTH_COLUMNS.join(', ')}) ${unnest(HEALTH_COLUMNS)} ON CONFLICT (terminal_id) DO UPDATE SET ${updates}`, transpose(batch.health, HEALTH_COLUMNS.length));
      await client.query('COMMIT');
    };
    close = () => client.end();
  }
  try {
    const wallEnd = performance.now() + seconds * 3000;
    for (let spent = 0; spent < seconds * 1000 && performance.now() < wallEnd; ) {
      const batch = rowsOf(ring.batch(batchSize));
      const started = performance.now();
      await write(batch);
      const elapsed = performance.now() - started;
      times.push(elapsed);
      spent += elapsed;
      rows += batch.heartbeats.length;
    }
  } finally {
    await close();
  }
  const spent = times.reduce((sum, t) => sum + t, 0);
  return { rate: (rows / spent) * 1000, p50: percentile(times, 0.5), p99: percentile(times, 0.99) };
}

async function storedHeartbeats(fleet) {
  if (fleet.engine === 'sqlite') {
    const db = new Database(join(fleet.dataDir, 'fleet.sqlite'), { readonly: true });
    const { n } = db.prepare('SELECT COUNT(*) AS n FROM heartbeats').get();
    db.close();
    return n;
  }
  const client = await pgClient(fleet.schema);
  const { rows } = await client.query('SELECT COUNT(*) AS n FROM heartbeats');
  await client.end();
  return Number(rows[0].n);
}

async function batchOn(engineName, o) {
  console.log(`\n# batch on ${engineName}`);
  const fleet = await prepareFleet({ engine: engineName, terminals: o.terminals });
  const ring = rotation(heartbeatSource(Array.from({ length: o.terminals }, (_, i) => i + 1)));
  console.log(`raw driver reference, ${Math.min(o.seconds, 10)} s of writes`);
  const raw = await rawReference(fleet, ring, o.batchSize, Math.min(o.seconds, 10));
  const api = await startApi(fleet);
  const client = poster(api.url, 64);
  const send = () => client.post('/api/v1/heartbeats/batch', fleet.gatewayToken, ring.batch(o.batchSize));
  console.log(`API: warm-up 3 s, open loop at ${count(o.target)}/s for ${o.seconds} s, closed loop ${o.concurrency} × ${o.batchSize} for ${o.seconds} s`);
  const warm = await closedLoop({ concurrency: o.concurrency, seconds: 3, send });
  const open = await openLoop({ rate: o.target / o.batchSize, seconds: o.seconds, send, maxInFlight: 64 });
  const closed = await closedLoop({ concurrency: o.concurrency, seconds: o.seconds, send });
  await api.stop();
  reportErrors(warm.outcomes, open.outcomes, closed.outcomes);
  const acknowledged = warm.outcomes.accepted + open.outcomes.accepted + closed.outcomes.accepted;
  return { raw, open, closed, acknowledged, stored: await storedHeartbeats(fleet) };
}

async function batchBench() {
  const o = {
    terminals: int(args.terminals, 100_000),
    batchSize: int(args['batch-size']),
    concurrency: int(args.concurrency, 4),
    seconds: int(args.seconds, 15),
    target: int(args.target),
    p99: int(args.p99),
  };
  const engines = args.engines ? args.engines.split(',').map(engine) : ['sqlite', ...((await postgresAnswers()) ? ['postgres'] : [])];
  if (!args.engines && engines.length === 1) console.log('PostgreSQL does not answer on 127.0.0.1:5432: SQLite only');
  const results = [];
  for (const name of engines) results.push(await batchOn(name, o));
  const column = (f) => results.map(f);
  const verdict = (r) => {
    const achieved = r.open.outcomes.accepted / o.seconds;
    const p99 = percentile(r.open.latency, 0.99);
    const missed = [];
    if (achieved < o.target * 0.98) missed.push(`rate ${fmt((1 - achieved / o.target) * 100)}% short`);
    if (!(p99 <= o.p99)) missed.push(`p99 ${p99 === Infinity ? 'unbounded' : `${fmt(p99 / o.p99, 1)}× the limit`}`);
    return missed.length === 0 ? 'met' : `missed: ${missed.join(', ')}`;
  };
  console.log(`\n## batch: batches of ${o.batchSize} from one gateway, ${count(o.terminals)} terminals`);
  table(
    ['measure', ...engines],
    [
      [`API open loop at ${count(o.target)}/s: heartbeats stored/s`, ...column((r) => count(r.open.outcomes.accepted / o.seconds))],
      ['  acknowledgement p50 / p99 (ms, from the scheduled send)', ...column((r) => `${ms(percentile(r.open.latency, 0.5))} / ${ms(percentile(r.open.latency, 0.99))}`)],
      ['  answered 200 / 503 / other or none', ...column((r) => `${r.open.outcomes.ok} / ${r.open.outcomes.refused} / ${r.open.outcomes.other + r.open.outcomes.failed + r.open.outcomes.dropped + r.open.unanswered}`)],
      [`  target ${count(o.target)}/s with p99 ≤ ${o.p99} ms`, ...column(verdict)],
      [`API closed loop ${o.concurrency} × ${o.batchSize}: sustained heartbeats/s (median of 1-s windows)`, ...column((r) => count(median(r.closed.perSecond)))],
      ['  acknowledgement p50 / p99 (ms)', ...column((r) => `${ms(percentile(r.closed.latencies, 0.5))} / ${ms(percentile(r.closed.latencies, 0.99))}`)],
      ['raw driver, same rows, one transaction per batch: rows/s', ...column((r) => count(r.raw.rate))],
      ['  commit p50 / p99 (ms)', ...column((r) => `${ms(r.raw.p50)} / ${ms(r.raw.p99)}`)],
      ['history append vs raw driver (API sustained / raw rows/s)', ...column((r) => ratio(median(r.closed.perSecond), r.raw.rate))],
      ['rows in heartbeats after the run / acknowledged as accepted', ...column((r) => `${count(r.stored)} / ${count(r.acknowledged)}`)],
    ],
  );
}

// ---------------------------------------------------------------- sweep

const TIMEOUT_SECONDS = 900;
const SWEEP_SECONDS = 5;

function onlineSnapshot(id, lastSeenMs) {
  return { id, state: 'online', reasons: 0, sinceMs: lastSeenMs, lastSeenMs, lastSequence: 1, errorStreak: 0, transactionCount: 100, printCount: 100 };
}

/** A fleet state of `size` online terminals, deadlines spread over the next 300–900 s (beyond every measured sweep). */
function onlineFleet(size, startMs) {
  const { FleetState } = dist('heartbeats/fleet-state.js');
  const state = new FleetState(() => TIMEOUT_SECONDS, startMs);
  for (let id = 1; id <= size; id++) {
    state.upsertTerminal({ id, regionId: 2 + (id % 8), modelId: 1 + (id % 4), supplierId: 1 + (id % 3), monitored: true });
    state.apply(onlineSnapshot(id, startMs - 600_000 + ((id * 7919) % size) * (600_000 / size)));
  }
  return state;
}

function sweepBench() {
  const sizes = list(args.sizes);
  const shares = list(args.stale);
  const repeats = int(args.repeats);
  // Every measured sweep is a 5-s window before the first deadline of the fleet (300 s in).
  if (shares.length * (repeats + 1) * SWEEP_SECONDS >= 300) throw new Error('too many sweeps for the 300-s window: lower --repeats');
  const rows = [];
  // Warm the JIT on a throwaway fleet, so the first size measured is not billed for compilation.
  const warm = onlineFleet(10_000, Math.floor(Date.now() / 1000) * 1000);
  const warmStart = Math.floor(Date.now() / 1000) * 1000;
  for (let w = 0; w < 40; w++) {
    for (let id = 1; id <= 1000; id++) warm.apply(onlineSnapshot(id, warmStart + (w * SWEEP_SECONDS + 1) * 1000 - TIMEOUT_SECONDS * 1000));
    warm.collectExpired(warmStart + (w + 1) * SWEEP_SECONDS * 1000);
  }
  for (const size of sizes) {
    const startMs = Math.floor(Date.now() / 1000) * 1000;
    const built = performance.now();
    const state = onlineFleet(size, startMs);
    console.log(`${count(size)} terminals online, built in ${fmt((performance.now() - built) / 1000)} s`);
    let window = 0;
    const fit = {};
    for (const share of shares) {
      const stale = Math.round(size * share);
      const times = [];
      for (let r = 0; r <= repeats; r++) {
        // These terminals' last heartbeat was a timeout ago: their deadlines fall in this window's 5 seconds.
        const windowStart = startMs + window * SWEEP_SECONDS * 1000;
        for (let j = 0; j < stale; j++) state.apply(onlineSnapshot(1 + Math.floor((j * size) / stale), windowStart + (1 + (j % SWEEP_SECONDS)) * 1000 - TIMEOUT_SECONDS * 1000));
        globalThis.gc?.();
        const started = performance.now();
        const expired = state.collectExpired(windowStart + SWEEP_SECONDS * 1000);
        const elapsed = performance.now() - started;
        window++;
        if (expired.length !== stale) throw new Error(`expected ${stale} expired, got ${expired.length}`);
        if (r > 0) times.push(elapsed); // the first is a warm-up
      }
      const t = median(times);
      fit[share] = { stale, t };
      const budget = 10 + 0.02 * stale;
      rows.push([count(size), `${fmt(share * 100, 0)}%`, count(stale), ms(t), ms(Math.max(...times)), ms(budget), t <= budget ? `yes (${fmt((t / budget) * 100)}% of it)` : `NO (${fmt(t / budget, 2)}×)`]);
    }
    const most = Math.max(...shares);
    const slope = fit[most].stale > 0 ? (fit[most].t - (fit[0]?.t ?? 0)) / fit[most].stale : NaN;
    rows.push([count(size), 'fit', '', `${ms(fit[0]?.t ?? NaN)} + ${fmt(slope * 1000, 3)} µs × stale`, '', '10 ms + 20 µs × stale', '']);
  }
  console.log(`\n## sweep: FleetState.collectExpired over a ${SWEEP_SECONDS}-s window, median of ${repeats} runs (after one warm-up)`);
  table(['terminals', 'newly stale', 'stale', 'median (ms)', 'max (ms)', 'budget (ms)', 'within budget'], rows);
}

// ---------------------------------------------------------------- memory

/** Run in a fresh process with --expose-gc: builds one structure of n terminals and prints what it added. */
function memoryProbe(kind, n) {
  const settle = () => {
    gc();
    gc();
    return process.memoryUsage();
  };
  const before = settle();
  const started = performance.now();
  let keep;
  let memoryBytes = null;
  const now = Date.now();
  if (kind === 'fleet-state') {
    keep = onlineFleet(n, now);
    memoryBytes = keep.memoryBytes();
  } else {
    keep = new Map();
    for (let id = 1; id <= n; id++) {
      const lastSeenMs = now - ((id * 7919) % 600_000);
      keep.set(id, {
        id, regionId: 2 + (id % 8), modelId: 1 + (id % 4), supplierId: 1 + (id % 3), monitored: true, state: 'online', reasons: 0, sinceMs: lastSeenMs,
        lastSeenMs, lastSequence: now + id, errorStreak: 0, transactionCount: 100 + id, printCount: 100 + id, deadlineMs: lastSeenMs + TIMEOUT_SECONDS * 1000,
      });
    }
  }
  const buildMs = performance.now() - started;
  const after = settle();
  const heap = (m) => m.heapUsed + m.external;
  console.log(JSON.stringify({ size: keep.size, memoryBytes, heapBytes: heap(after) - heap(before), rssBytes: after.rss - before.rss, buildMs }));
}

function memoryBench() {
  const n = int(args.terminals, 1_000_000);
  const probe = (kind) => {
    const child = spawnSync(process.execPath, ['--expose-gc', new URL(import.meta.url).pathname, '__probe', kind, String(n)], { encoding: 'utf8', timeout: 300_000 });
    if (child.status !== 0) throw new Error(`memory probe ${kind} failed: ${child.stderr || child.error?.message}`);
    return JSON.parse(child.stdout.trim().split('\n').pop());
  };
  const state = probe('fleet-state');
  const map = probe('map');
  const per = (bytes) => bytes / n;
  const verdict = (r) => (per(Math.max(r.heapBytes, r.rssBytes)) <= 400 ? 'yes' : `NO (${fmt(per(Math.max(r.heapBytes, r.rssBytes)) / 400, 2)}×)`);
  console.log(`\n## memory: ${count(n)} terminals, each structure built in a fresh process (--expose-gc, measured after gc)`);
  table(
    ['structure', 'memoryBytes() B/terminal', 'heap + external B/terminal', 'RSS B/terminal', 'build (ms)', '≤ 400 B (heap and RSS)'],
    [
      ['FleetState (typed columns, timing wheel)', fmt(per(state.memoryBytes)), fmt(per(state.heapBytes)), fmt(per(state.rssBytes)), fmt(state.buildMs, 0), verdict(state)],
      ['Map<number, object> with the same fields', '–', fmt(per(map.heapBytes)), fmt(per(map.rssBytes)), fmt(map.buildMs, 0), verdict(map)],
      ['FleetState / Map', '', ratio(state.heapBytes, map.heapBytes), ratio(state.rssBytes, map.rssBytes), ratio(state.buildMs, map.buildMs), ''],
    ],
  );
}

// ---------------------------------------------------------------- overload

/** p99 of the requests due in each one-second window of an open-loop run. */
function windowP99(result, seconds) {
  const buckets = Array.from({ length: seconds }, () => []);
  for (let k = 0; k < result.due.length; k++) {
    if (result.due[k] === 0) continue;
    const w = Math.floor((result.due[k] - result.start) / 1000);
    if (w >= 0 && w < seconds) buckets[w].push(result.latency[k]);
  }
  return buckets.map((latencies) => (latencies.length ? percentile(latencies, 0.99) : NaN));
}

async function overloadBench() {
  const o = {
    engine: engine(args.engine),
    terminals: int(args.terminals, 100_000),
    batchSize: int(args['batch-size']),
    seconds: int(args.seconds, 30),
    factor: int(args.factor),
    connections: int(args.connections),
    recovery: int(args.recovery),
  };
  const fleet = await prepareFleet({ engine: o.engine, terminals: o.terminals });
  const api = await startApi(fleet, args['queue-limit'] ? { HEARTBEAT_QUEUE_LIMIT: args['queue-limit'] } : {});
  const ring = rotation(heartbeatSource(Array.from({ length: o.terminals }, (_, i) => i + 1)));
  const client = poster(api.url, o.connections);
  const send = () => client.post('/api/v1/heartbeats/batch', fleet.gatewayToken, ring.batch(o.batchSize));
  const memory = [];
  const t0 = performance.now();
  // Every second: the API's RSS, and its ingest queue from /metrics (read asynchronously, one scrape at a time).
  const queued = { max: 0, scraping: false };
  const sampler = setInterval(() => {
    memory.push([(performance.now() - t0) / 1000, rssBytes(api.pid)]);
    if (queued.scraping) return;
    queued.scraping = true;
    fetch(`${api.url}/metrics`)
      .then((response) => response.text())
      .then((text) => (queued.max = Math.max(queued.max, Number(/^fleet_heartbeats_queued (\d+)/m.exec(text)?.[1] ?? 0))))
      .catch(() => undefined)
      .finally(() => (queued.scraping = false));
  }, 1000);
  try {
    console.log('sustainable rate: closed loop 4 × batches for 10 s (after 3 s warm-up)');
    await closedLoop({ concurrency: 4, seconds: 3, send });
    const sustainable = median((await closedLoop({ concurrency: 4, seconds: 10, send })).perSecond);
    const normal = sustainable / 2;
    console.log(`normal load (half of ${count(sustainable)}/s) for 10 s`);
    const before = await openLoop({ rate: normal / o.batchSize, seconds: 10, send, maxInFlight: o.connections });
    const baselineP99 = percentile(before.latency, 0.99);
    const rssBefore = rssBytes(api.pid);
    const overStart = (performance.now() - t0) / 1000;
    console.log(`overload: ${o.factor}× = ${count(sustainable * o.factor)}/s offered for ${o.seconds} s over at most ${o.connections} connections`);
    const over = await openLoop({ rate: (sustainable * o.factor) / o.batchSize, seconds: o.seconds, send, maxInFlight: o.connections, maxBacklogSeconds: 1, drainSeconds: 0 });
    const overEnd = (performance.now() - t0) / 1000;
    const storedDuring = over.outcomes.accepted;
    console.log(`recovery: normal load again for ${o.recovery} s`);
    const after = await openLoop({ rate: normal / o.batchSize, seconds: o.recovery, send, maxInFlight: o.connections });
    const rssAfter = rssBytes(api.pid);
    clearInterval(sampler);

    const threshold = Math.max(2 * baselineP99, baselineP99 + 20);
    const p99s = windowP99(after, o.recovery);
    const recoveredAt = p99s.findIndex((p, w) => p <= threshold && (w + 1 >= p99s.length || p99s[w + 1] <= threshold));
    const during = memory.filter(([t]) => t >= overStart && t <= overEnd).map(([, rss]) => rss);
    const mb = (bytes) => fmt(bytes / 2 ** 20, 0);
    const oo = over.outcomes;
    const answered = oo.ok + oo.refused + oo.other + oo.failed;
    reportErrors(before.outcomes, oo, after.outcomes);
    console.log(`\n## overload: ${o.factor}× the sustainable batch rate for ${o.seconds} s, ${fleet.engine}, ${count(o.terminals)} terminals, batches of ${o.batchSize}`);
    table(
      ['figure', 'value'],
      [
        ['sustainable rate (closed loop 4 × batches, median of 1-s windows)', `${count(sustainable)} heartbeats/s`],
        ['offered during the overload', `${count(sustainable * o.factor)} heartbeats/s = ${fmt((sustainable * o.factor) / o.batchSize)} requests/s`],
        ['actually sent (the rest waited > 1 s for one of the connections and was dropped)', `${count(over.sent / o.seconds)} requests/s; ${count(oo.dropped)} dropped`],
        ['answered 503 INGEST_OVERLOADED', `${fmt((oo.refused / Math.max(1, answered)) * 100)}% of ${count(answered)} answered requests (Retry-After median ${fmt(median(oo.retryAfter), 0)} s)`],
        ['stored during the overload (answered before it ended)', `${count(storedDuring / o.seconds)} heartbeats/s`],
        ['other answers or failures', `${count(oo.other + oo.failed)}`],
        [`most heartbeats seen waiting in the ingest queue (/metrics, limit ${args['queue-limit'] ?? '50000'})`, count(queued.max)],
        ['API RSS before / max during / end of overload / after recovery (MB)', `${mb(rssBefore)} / ${mb(Math.max(...during))} / ${mb(during.at(-1))} / ${mb(rssAfter)}`],
        [`normal load (${count(normal)}/s) p99 before the overload`, `${ms(baselineP99)} ms`],
        ['p99 in the first second after the overload stopped', `${ms(p99s[0])} ms`],
        [`time until p99 ≤ ${ms(threshold)} ms (2× before, ≥ +20 ms) for 2 s in a row`, recoveredAt < 0 ? `not within ${o.recovery} s` : `${recoveredAt} s`],
        ['normal load p99 over the whole recovery phase', `${ms(percentile(after.latency, 0.99))} ms`],
      ],
    );
    console.log(`API RSS (MB) every second from the start of the sustainable-rate phase; overload from ${fmt(overStart, 0)} s to ${fmt(overEnd, 0)} s:`);
    console.log(memory.map(([, rss]) => mb(rss)).join(' '));
  } finally {
    clearInterval(sampler);
  }
}

// ---------------------------------------------------------------- main

const commands = { http: httpBench, batch: batchBench, sweep: sweepBench, memory: memoryBench, overload: overloadBench };

if (command === '__probe') {
  memoryProbe(rest[0], Number(rest[1]));
} else if (args.help || !commands[command]) {
  console.log(HELP);
  process.exit(args.help ? 0 : 2);
} else if (command === 'sweep' && typeof globalThis.gc !== 'function') {
  // Collect garbage before each timed sweep, so a GC pause is not billed to it.
  const child = spawnSync(process.execPath, ['--expose-gc', ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(child.status ?? 1);
} else {
  run(async () => commands[command]());
}
