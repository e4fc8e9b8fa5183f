#!/usr/bin/env node
/**
 * Reliability analytics at fleet scale (issue 7: every analytics page answers
 * in ≤ 300 ms at 1M terminals): each endpoint the dashboard calls, timed over
 * HTTP against the built API, next to two references in the same run:
 *
 * - the same SQL on the raw driver: one request per endpoint is made with the
 *   API recording the statements it runs (analytics-sql-hook.mjs), and those
 *   exact statements and parameters are replayed on better-sqlite3 (read-only
 *   connection on the same file, statements prepared once, as TypeORM caches
 *   them);
 * - the HTTP floor: a bare node:http server (this file run as `__bare`)
 *   answering a fixed body of the same size.
 *
 *   npx nx run-many -t build -p shared,api
 *   node tools/bench/analytics.mjs --terminals 20000      # smoke test, about a minute
 *   node tools/bench/analytics.mjs                        # 1,000,000 terminals
 *
 * The fleet (analytics-seed.mjs) goes straight into a SQLite database the
 * API migrated; the API's first rollup run (5 s after start) rebuilds every
 * month and is timed from its log line. Everything listens on 127.0.0.1, in a
 * temporary directory removed at the end; children are stopped at the end and
 * killed on an error or Ctrl-C.
 */
import Database from 'better-sqlite3';
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { copyToPostgres, seedAnalyticsFleet } from './analytics-seed.mjs';
import { ADMIN_PASSWORD, cleanup, fmt, freePort, ms, onCleanup, percentile, pgClient, rssBytes, run, startNodeServer } from './heartbeats-support.mjs';

const ROOT = new URL('../..', import.meta.url).pathname;
const SELF = new URL(import.meta.url).pathname;
const LIMIT_MS = 300;
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function pgVersion() {
  const client = await pgClient();
  const { rows } = await client.query('SHOW server_version');
  await client.end();
  return `PostgreSQL ${rows[0].server_version} on loopback (pg client, the API's pool of 10)`;
}

if (process.argv[2] === '__bare') bareServer();
else {
  const { values: o } = parseArgs({
    options: {
      terminals: { type: 'string', default: '1000000' },
      engine: { type: 'string', default: 'sqlite' },
      rounds: { type: 'string', default: '15' },
      warmup: { type: 'string', default: '3' },
      'case-seconds': { type: 'string', default: '10' },
      'rollup-timeout': { type: 'string', default: '1200' },
      only: { type: 'string' },
      sql: { type: 'boolean', default: false },
      out: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (o.help) {
    console.log(`node tools/bench/analytics.mjs [--terminals 1000000] [--engine sqlite|postgres] [--rounds 15] [--warmup 3] [--case-seconds 10] [--rollup-timeout 1200] [--only failure-rates] [--out file.md]

  --terminals       fleet size (default 1,000,000; 20,000 for a smoke test)
  --engine          sqlite (default) or postgres: a fresh schema bench_analytics_<random> on
                    $BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/test), dropped at the end
  --rounds          measured requests per endpoint (after --warmup unmeasured ones)
  --case-seconds    stop an endpoint's API rounds after this long (at least 5 rounds)
  --rollup-timeout  seconds to wait for the first rollup run
  --only            only the endpoints whose path contains this text
  --sql             print the statements recorded for each endpoint (to stderr)
  --out             also write the report (markdown) to this file`);
    process.exit(0);
  }
  if (!['sqlite', 'postgres'].includes(o.engine)) throw new Error('--engine is sqlite or postgres');
  run(() => main({ engine: o.engine, terminals: Number(o.terminals), rounds: Number(o.rounds), warmup: Number(o.warmup), caseSeconds: Number(o['case-seconds']), rollupTimeout: Number(o['rollup-timeout']), only: o.only, sql: o.sql, out: o.out }));
}

// ---------------------------------------------------------------- the reference HTTP server

function bareServer() {
  const bodies = new Map();
  const body = (size) => {
    if (!bodies.has(size)) {
      const filler = 'x'.repeat(Math.max(0, size - 12));
      bodies.set(size, Buffer.from(JSON.stringify({ data: filler })));
    }
    return bodies.get(size);
  };
  const server = http.createServer((request, response) => {
    const size = Number(/^\/bytes\/(\d+)/.exec(request.url ?? '')?.[1] ?? 2);
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(body(size));
  });
  server.keepAliveTimeout = 5_000;
  server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('ready'));
  process.once('SIGTERM', () => server.close(() => process.exit(0)).closeAllConnections());
}

// ---------------------------------------------------------------- the API child

/** A copy of the built API and shared library taken at the start, so a rebuild during the run cannot swap modules under it. */
function snapshotBuild(dir) {
  const main = join(ROOT, 'dist/apps/api/main.js');
  if (!existsSync(main) || !existsSync(join(ROOT, 'libs/shared/dist/index.js'))) throw new Error('build first: npx nx run-many -t build -p shared,api');
  const built = statSync(join(ROOT, 'dist/apps/api/analytics/analytics.service.js')).mtime.toISOString().slice(0, 16).replace('T', ' ');
  const git = (...args) => {
    try {
      return execFileSync('git', ['-C', ROOT, ...args], { encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  };
  const head = git('rev-parse', '--short', 'HEAD') || 'unknown';
  const dirty = git('status', '--porcelain', '--', 'apps/api', 'libs/shared') !== '';
  cpSync(join(ROOT, 'dist/apps/api'), join(dir, 'api'), { recursive: true });
  const shared = join(dir, 'node_modules/@fleet/shared');
  mkdirSync(shared, { recursive: true });
  cpSync(join(ROOT, 'libs/shared/package.json'), join(shared, 'package.json'));
  cpSync(join(ROOT, 'libs/shared/dist'), join(shared, 'dist'), { recursive: true });
  return { main: join(dir, 'api/main.js'), build: `API built ${built} UTC; HEAD ${head}${dirty ? ' with uncommitted changes in apps/api or libs/shared' : ''}` };
}

async function startApi({ main, dataDir, sqlLog, env = {} }) {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', join(ROOT, 'tools/bench/analytics-sql-hook.mjs'), main], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_PATH: join(ROOT, 'node_modules'),
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DEMO: 'off',
      ADMIN_PASSWORD,
      LOG_LEVEL: 'log',
      LOGIN_RATE_LIMIT: '1000',
      BENCH_SQL_LOG: sqlLog,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const lines = [];
  const keep = (chunk) => {
    const text = chunk.toString();
    tail = (tail + text).slice(-20_000);
    for (const line of text.split('\n')) if (/Reliability rollup|ERROR|Listening/.test(line)) lines.push(line.replace(/\x1b\[[0-9;]*m/g, ''));
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  let stopping = false;
  const stop = async () => {
    stopping = true;
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  };
  onCleanup(stop);
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`API exited:\n${tail}`);
    if (performance.now() - started > 300_000) throw new Error(`API not ready within 300 s:\n${tail}`);
    if (await fetch(`${url}/api/health`).then((r) => r.ok, () => false)) break;
    await sleep(100);
  }
  return { child, pid: child.pid, url, port, stop, lines, output: () => tail, crashed: () => !stopping && (child.exitCode !== null || child.signalCode !== null), startSeconds: (performance.now() - started) / 1000 };
}

const sleep = (msec) => new Promise((resolve) => setTimeout(resolve, msec));

// ---------------------------------------------------------------- HTTP client

/**
 * Sequential GETs over one keep-alive connection; the time is until the last
 * byte of the body. A request on a reused connection that the server closed
 * as idle meanwhile (keepAliveTimeout) is sent again, as Node's docs advise.
 */
function client(base, headers = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const { hostname, port } = new URL(base);
  const once = (path, extra) =>
    new Promise((resolve, reject) => {
      const started = performance.now();
      const request = http.get({ hostname, port, path, agent, headers: { ...headers, ...extra } }, (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: response.statusCode, ms: performance.now() - started, bytes: body.length, body });
        });
        response.on('error', reject);
      });
      request.setTimeout(120_000, () => request.destroy(new Error(`timeout: ${path}`)));
      request.on('error', (error) => {
        error.stale = request.reusedSocket && (error.code === 'ECONNRESET' || error.message === 'socket hang up');
        reject(error);
      });
    });
  const get = (path, extra = {}) =>
    once(path, extra).catch((error) => {
      if (error.stale) return once(path, extra);
      throw new Error(`GET ${base}${path}: ${error.message}`);
    });
  return { get, close: () => agent.destroy() };
}

const markdownTable = (header, rows) => [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`);

const stats = (samples) => ({ median: percentile(samples, 0.5), p90: percentile(samples, 0.9), n: samples.length });

// ---------------------------------------------------------------- SQL capture and replay

/** The statements the API ran for one request (the analytics reads; not the session check of the guard). */
async function capture(sqlLog, apiClient, path, id) {
  const answer = await apiClient.get(path, { 'x-bench-capture': String(id) });
  for (let i = 0; ; i++) {
    if (existsSync(`${sqlLog}.state`) && readFileSync(`${sqlLog}.state`, 'utf8') === String(id)) break;
    if (i > 500) throw new Error(`the SQL hook did not record ${path}`);
    await sleep(10);
  }
  const all = JSON.parse(readFileSync(sqlLog, 'utf8'));
  const statements = all.filter((s) => /^\s*(SELECT|WITH)\b/i.test(s.sql) && !/\bFROM\s+("?\w+"?\.)?"?sessions"?\s/i.test(s.sql));
  return { answer, statements, skipped: all.length - statements.length };
}

/**
 * The raw driver on the API's database: better-sqlite3 read-only on the same
 * file, or a pg client on the same schema. `replayer` prepares a request's
 * statements once and returns a function that runs them all in order and
 * gives the time of each.
 */
async function rawDriver(engine, { dbPath, schema }) {
  if (engine === 'sqlite') {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    return {
      all: async (sql, params = []) => db.prepare(sql).all(...params),
      replayer: (statements) => {
        const prepared = statements.map((s) => ({ ...s, stmt: db.prepare(s.sql) }));
        return async () =>
          prepared.map((s) => {
            const t0 = performance.now();
            s.stmt.all(...s.params);
            return performance.now() - t0;
          });
      },
      plan: async (s) => (await guard(() => db.prepare(`EXPLAIN QUERY PLAN ${s.sql}`).all(...s.params))).map((row) => row.detail).join('; '),
      close: async () => db.close(),
    };
  }
  const client = await pgClient(schema);
  return {
    all: async (sql, params = []) => (await client.query(sql, params)).rows,
    // Unnamed statements, as TypeORM sends them: PostgreSQL plans each one with its parameters
    // (a named statement may switch to a generic plan, much slower for the region sub-tree filter).
    replayer: (statements) => async () => {
      const times = [];
      for (const s of statements) {
        const t0 = performance.now();
        await client.query(s.sql, s.params);
        times.push(performance.now() - t0);
      }
      return times;
    },
    plan: async (s) => (await guard(async () => (await client.query({ text: `EXPLAIN ${s.sql}`, values: s.params })).rows)).map((row) => row['QUERY PLAN']?.trim()).filter((line) => line && !/^(Planning|Execution)/.test(line)).slice(0, 6).join('; '),
    close: () => client.end(),
  };
}

async function guard(work) {
  try {
    return await work();
  } catch (error) {
    return [{ detail: `(${error.message})`, 'QUERY PLAN': `(${error.message})` }];
  }
}

const shortSql = (sql) => sql.replace(/\s+/g, ' ').replace(/"/g, '').replace(/\|/g, '/').slice(0, 150);

// ---------------------------------------------------------------- the run

function cases({ province, modelIds, terminalId }) {
  const three = modelIds.slice(0, 3).join(',');
  const base = [
    'failure-rates?groupBy=model',
    'failure-rates?groupBy=supplier',
    'failure-rates?groupBy=batch',
    'failure-rates?groupBy=region',
    'failure-rates?groupBy=category',
    'failure-rates?groupBy=age_band',
    'failure-rates?groupBy=firmware',
    'failure-rates?groupBy=cause',
    'survival',
    'repair-times?groupBy=model',
    'repair-times?groupBy=supplier',
    'repair-times?groupBy=vendor',
    'repair-times?groupBy=region',
    'repair-times?groupBy=technician',
    'costs?groupBy=model',
    'costs?groupBy=supplier',
    'tco',
    'supplier-scorecard',
    `model-comparison?modelIds=${three}`,
    `model-comparison.csv?modelIds=${three}`,
    'spares',
  ];
  const add = (path, query) => `${path}${path.includes('?') ? '&' : '?'}${query}`;
  // The pages that read the period's tickets over about 90 days instead of a year: the three whole months before this one, and this one so far.
  const to = new Date().toISOString().slice(0, 7);
  const from = new Date(Date.UTC(Number(to.slice(0, 4)), Number(to.slice(5, 7)) - 4, 1)).toISOString().slice(0, 7);
  const ticketPages = ['failure-rates?groupBy=cause', 'repair-times?groupBy=model', 'costs?groupBy=model', 'tco', 'supplier-scorecard', `model-comparison?modelIds=${three}`, 'spares'];
  return [
    'status',
    ...base,
    `terminals/${terminalId}/repair-or-replace`,
    ...base.map((path) => add(path, `regionId=${province}`)),
    ...ticketPages.map((path) => add(path, `from=${from}&to=${to}`)),
  ].map((path) => ({ path, url: `/api/v1/analytics/${path}` }));
}

async function main(o) {
  const report = [];
  const say = (line = '') => {
    console.log(line);
    report.push(line);
  };
  const tmp = mkdtempSync(join(tmpdir(), 'fleet-analytics-'));
  onCleanup(() => rmSync(tmp, { recursive: true, force: true }));
  const { main, build } = snapshotBuild(join(tmp, 'app'));
  const dataDir = join(tmp, 'data');
  const dbPath = join(dataDir, 'fleet.sqlite');
  const sqlLog = join(tmp, 'sql.json');

  // 1. the schema, by the API's own migrations; then the fleet (into SQLite; copied to PostgreSQL)
  const first = await startApi({ main, dataDir, sqlLog, env: { ANALYTICS_ROLLUP_SECONDS: '0' } });
  await first.stop();
  if (!existsSync(dbPath)) throw new Error(`no database at ${dbPath}`);
  console.error(`seeding ${o.terminals.toLocaleString('en')} terminals…`);
  const fleet = seedAnalyticsFleet(dbPath, { terminals: o.terminals });
  const fileMb = (readSize(dbPath) / 1e6).toFixed(0);
  let engineEnv = {};
  let schema = null;
  let copied = null;
  if (o.engine === 'postgres') {
    schema = `bench_analytics_${randomBytes(4).toString('hex')}`;
    onCleanup(async () => {
      const client = await pgClient();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    });
    engineEnv = { DATABASE_URL: PG_URL, DATABASE_SCHEMA: schema };
    const migrating = await startApi({ main, dataDir, sqlLog, env: { ...engineEnv, ANALYTICS_ROLLUP_SECONDS: '0' } });
    await migrating.stop();
    console.error(`copying the fleet to PostgreSQL schema ${schema}…`);
    const client = await pgClient(schema);
    copied = await copyToPostgres(dbPath, client);
    await client.end();
  }

  say(`# Analytics at ${o.terminals.toLocaleString('en')} terminals, ${o.engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'}`);
  say();
  const engineVersion = o.engine === 'sqlite' ? `SQLite ${new Database(':memory:').prepare('SELECT sqlite_version() AS v').get().v} (better-sqlite3, WAL)` : await pgVersion();
  say(`${new Date().toISOString()}; ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GB; Node ${process.version}; ${engineVersion}; ${build}.`);
  say();
  say(
    `Fleet: ${fleet.terminals.toLocaleString('en')} terminals in ${fleet.batches} purchase batches (${Object.entries(fleet.byStatus)
      .map(([status, n]) => `${status} ${n.toLocaleString('en')}`)
      .join(', ')}), ${fleet.spans.toLocaleString('en')} service spans, ${fleet.incidents.toLocaleString('en')} tickets (${fleet.failures.toLocaleString('en')} failures, ${fleet.openIncidents.toLocaleString('en')} open), ${fleet.costs.toLocaleString('en')} cost lines (${fleet.claims.toLocaleString('en')} claims); seeded into SQLite in ${fleet.seconds.toFixed(1)} s (${fileMb} MB)${copied ? `, copied to PostgreSQL in ${copied.seconds.toFixed(1)} s (${copied.rows.toLocaleString('en')} rows)` : ''}.`,
  );

  // 2. the API with its first rollup run
  const bare = await startNodeServer([SELF, '__bare'], {}, 'bare http server');
  const spawned = performance.now();
  const api = await startApi({ main, dataDir, sqlLog, env: { ...engineEnv, ANALYTICS_ROLLUP_SECONDS: '86400' } });
  console.error(`API ready on ${api.url} in ${api.startSeconds.toFixed(1)} s (bare server on ${bare.url}); waiting for the first rollup…`);
  onCleanup(() => {
    if (process.env.BENCH_DEBUG || api.crashed()) console.error(`API (exit ${api.child.exitCode ?? api.child.signalCode}), its last output:\n${api.output().slice(-4_000)}`);
  });
  const login = await (
    await fetch(`${api.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) })
  ).json();
  if (!login.accessToken) throw new Error(`login failed: ${JSON.stringify(login)}`);
  const apiClient = client(api.url, { authorization: `Bearer ${login.accessToken}` });
  const probe = client(api.url);
  let health = 0;
  let rss = 0;
  let status;
  for (let lastRss = 0; ; ) {
    if ((performance.now() - spawned) / 1000 > o.rollupTimeout) throw new Error(`no rollup within ${o.rollupTimeout} s:\n${api.output()}`);
    if (api.child.exitCode !== null) throw new Error(`API exited:\n${api.output()}`);
    const answer = await probe.get('/api/health').catch((error) => {
      throw new Error(`${error.message}; API output:\n${api.output()}`);
    });
    health = Math.max(health, answer.ms);
    if (performance.now() - lastRss > 1000) {
      lastRss = performance.now();
      rss = Math.max(rss, rssBytes(api.pid));
      status = JSON.parse((await apiClient.get('/api/v1/analytics/status')).body.toString());
      if (status.asOf) break;
    }
    await sleep(200);
  }
  probe.close();
  const rollupLine = api.lines.find((line) => line.includes('Reliability rollup')) ?? '(no log line)';
  const rollupMs = Number(/in (\d+) ms/.exec(rollupLine)?.[1] ?? NaN);
  const raw = await rawDriver(o.engine, { dbPath, schema });
  // The rollup tables were empty when the copy was analysed; autovacuum would refresh their statistics within minutes, but the local server may run without it.
  const autovacuum = o.engine === 'postgres' ? (await raw.all('SHOW autovacuum'))[0].autovacuum : null;
  if (o.engine === 'postgres') await raw.all('ANALYZE');
  const cellCounts = (await raw.all('SELECT dimension, COUNT(*) AS n FROM reliability_exposure GROUP BY dimension ORDER BY dimension')).map((row) => ({ dimension: row.dimension, n: Number(row.n) }));
  const survivalCells = Number((await raw.all('SELECT COUNT(*) AS n FROM reliability_survival'))[0].n);
  say();
  say(
    `API started in ${api.startSeconds.toFixed(1)} s. First rollup run (all months): ${(rollupMs / 1000).toFixed(1)} s — \`${rollupLine.replace(/^.*Reliability rollup: /, '')}\`; ` +
      `exposure cells ${cellCounts.map((c) => `${c.dimension} ${c.n.toLocaleString('en')}`).join(', ')}; survival cells ${survivalCells.toLocaleString('en')}; months ${status.firstMonth}…${status.lastMonth}. ` +
      `During it: API RSS up to ${(rss / 2 ** 20).toFixed(0)} MB, GET /api/health answered in at most ${fmt(health)} ms.` +
      (autovacuum === null ? '' : ` Then ANALYZE, as autovacuum would (it is ${autovacuum} on this server): the planner had the rollup tables as empty.`),
  );

  // 3. the endpoints: capture the SQL, time the API, the raw driver and the bare server
  const target = {
    province: fleet.province.id,
    modelIds: fleet.models,
    terminalId: fleet.sampleTerminal,
  };
  const bareClient = client(bare.url);
  const loads = [loadavg()[0]];
  const sampler = setInterval(() => loads.push(loadavg()[0]), 30_000);
  onCleanup(() => clearInterval(sampler));
  const results = [];
  for (const c of cases(target).filter((item) => !o.only || item.path.includes(o.only))) {
    const { answer, statements } = await capture(sqlLog, apiClient, c.url, results.length + 1);
    if (o.sql) for (const s of statements) console.error(`  ${s.rows} rows, ${ms(s.ms)} ms in the API: ${shortSql(s.sql)} ${JSON.stringify(s.params).slice(0, 120)}`);
    if (answer.status !== 200) throw new Error(`${c.path}: ${answer.status} ${answer.body.toString().slice(0, 500)}`);
    const apiSamples = [];
    for (let i = 0; i < o.warmup; i++) await apiClient.get(c.url);
    const caseStarted = performance.now();
    for (let i = 0; i < o.rounds; i++) {
      if (i >= 5 && performance.now() - caseStarted > o.caseSeconds * 1000) break;
      const r = await apiClient.get(c.url);
      if (r.status !== 200) throw new Error(`${c.path}: ${r.status}`);
      apiSamples.push(r.ms);
    }
    const replay = raw.replayer(statements);
    for (let i = 0; i < o.warmup; i++) await replay();
    const rawSamples = [];
    const perStatement = statements.map(() => []);
    for (let i = 0; i < apiSamples.length; i++) {
      const times = await replay();
      rawSamples.push(times.reduce((sum, t) => sum + t, 0));
      times.forEach((t, k) => perStatement[k].push(t));
    }
    for (let i = 0; i < o.warmup; i++) await bareClient.get(`/bytes/${answer.bytes}`);
    const bareSamples = [];
    for (let i = 0; i < apiSamples.length; i++) bareSamples.push((await bareClient.get(`/bytes/${answer.bytes}`)).ms);
    const heaviest = statements.map((s, k) => ({ ...s, median: percentile(perStatement[k], 0.5) })).sort((a, b) => b.median - a.median)[0];
    const result = {
      path: c.path,
      bytes: answer.bytes,
      api: stats(apiSamples),
      raw: stats(rawSamples),
      bare: stats(bareSamples),
      statements: statements.length,
      rows: statements.reduce((sum, s) => sum + s.rows, 0),
      sqliteInApi: statements.reduce((sum, s) => sum + s.ms, 0),
      heaviest,
    };
    results.push(result);
    console.error(`${c.path}: API ${ms(result.api.median)} ms, raw SQL ${ms(result.raw.median)} ms (${result.statements} statements, ${result.rows} rows), bare ${ms(result.bare.median)} ms`);
  }
  apiClient.close();
  bareClient.close();
  clearInterval(sampler);

  // 4. a run that has little to do: the API restarted, so its first run (5 s after start) takes in only the current month
  await api.stop();
  const again = await startApi({ main, dataDir, sqlLog, env: { ...engineEnv, ANALYTICS_ROLLUP_SECONDS: '86400' } });
  const probeAgain = client(again.url);
  let healthAgain = 0;
  const restarted = performance.now();
  while (!again.lines.some((line) => line.includes('Reliability rollup'))) {
    if ((performance.now() - restarted) / 1000 > o.rollupTimeout) throw new Error(`no second rollup within ${o.rollupTimeout} s:\n${again.output()}`);
    healthAgain = Math.max(healthAgain, (await probeAgain.get('/api/health')).ms);
    await sleep(200);
  }
  probeAgain.close();
  const secondLine = again.lines.find((line) => line.includes('Reliability rollup')) ?? '';
  await again.stop();

  // 5. the report
  say(
    `Next run (the API restarted with the rollups up to date): ${(Number(/in (\d+) ms/.exec(secondLine)?.[1] ?? NaN) / 1000).toFixed(1)} s — \`${secondLine.replace(/^.*Reliability rollup: /, '')}\`; GET /api/health answered in at most ${fmt(healthAgain)} ms meanwhile.`,
  );
  say();
  say(`Period: the default (the last 12 months, the current one up to asOf), or, where the path has from/to, the three whole months before the current one and the current one so far (at least 90 days). "region" rows add \`regionId=${target.province}\` (province ${fleet.province.code}, ${fleet.province.size.toLocaleString('en')} terminals); repair-or-replace on terminal ${target.terminalId}; model comparison of models ${target.modelIds.slice(0, 3).join(', ')}.`);
  say(
    `Per endpoint: ${o.warmup} unmeasured requests, then up to ${o.rounds} (fewer when an endpoint passed ${o.caseSeconds} s, at least 5) sequential requests on one keep-alive connection, time to the last byte. ` +
      `raw SQL: the SELECT statements the API ran for that request (recorded in the API process; the session lookup of the guard left out), replayed with the same parameters as many times, one after another, ` +
      (o.engine === 'sqlite'
        ? 'on a read-only better-sqlite3 connection to the same file, each statement prepared once (TypeORM caches them too). '
        : 'on one pg connection to the same schema, unnamed as TypeORM sends them (planned with their parameters each time); the API runs a request\'s independent reads concurrently on its pool of 10, so on PostgreSQL it can beat the sequential replay. ') +
      `rows: what those statements return. bare: a node:http server answering a body of the same size. ratio = API median / (raw SQL median + bare median).`,
  );
  say();
  const rowsOut = results.map((r) => [
    r.path,
    r.bytes.toLocaleString('en'),
    ms(r.api.median),
    ms(r.api.p90),
    `${ms(r.raw.median)} (${r.statements}, ${r.rows.toLocaleString('en')})`,
    ms(r.bare.median),
    fmt(r.api.median / (r.raw.median + r.bare.median), 1),
    r.api.median <= LIMIT_MS ? 'yes' : `**no** (${fmt(r.api.median / LIMIT_MS, 1)}×)`,
  ]);
  for (const line of markdownTable(['endpoint (/api/v1/analytics/…)', 'bytes', 'API median ms', 'API p90', 'raw SQL median ms (statements, rows)', 'bare http ms', 'API / (SQL + http)', `≤ ${LIMIT_MS} ms`], rowsOut)) say(line);
  say();
  say(`Heaviest statement of each endpoint on the raw driver (median ms; plan from ${o.engine === 'sqlite' ? 'EXPLAIN QUERY PLAN' : 'EXPLAIN, first lines'}):`);
  say();
  const heavy = [];
  for (const r of results.filter((item) => item.heaviest)) heavy.push([r.path, ms(r.heaviest.median), r.heaviest.rows.toLocaleString('en'), `\`${shortSql(r.heaviest.sql)}\``, (await raw.plan(r.heaviest)).replace(/\|/g, '/')]);
  for (const line of markdownTable(['endpoint', 'ms', 'rows', 'statement', 'plan'], heavy)) say(line);
  const missed = results.filter((r) => r.api.median > LIMIT_MS);
  say();
  say(`${results.length - missed.length} of ${results.length} endpoints answer in ≤ ${LIMIT_MS} ms (median). Load average (1 min) of the machine while the endpoints were timed: ${loads.map((l) => l.toFixed(1)).join(', ')} (every 30 s; ${cpus().length} CPUs, shared with the rest of the machine).`);
  await raw.close();
  if (o.out) writeFileSync(o.out, `${report.join('\n')}\n`);
  await cleanup();
}

function readSize(path) {
  return ['', '-wal'].reduce((total, suffix) => total + (existsSync(path + suffix) ? statSync(path + suffix).size : 0), 0);
}
