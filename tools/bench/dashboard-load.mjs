#!/usr/bin/env node
/**
 * Dashboard first load at fleet scale: the overview `/` and the terminal
 * list `/terminals` opened in headless Chromium with a cold browser cache,
 * against the built API serving the built dashboard, with N terminals
 * (1,000,000) and, in the same run, the reference fleet (1,000 terminals),
 * so the cost of the fleet's size shows as a ratio.
 *
 *   npx nx run-many -t build -p shared,api,web
 *   node tools/bench/dashboard-load.mjs [--terminals 1000000] [--reference 1000] [--loads 5]
 *
 * Per fleet: an embedded database migrated by the API, seeded with the raw
 * driver (support.mjs seedSqlite: 30 regions, 10 models, merchants, 60%
 * deployed) plus a persisted health row for 98% of the deployed terminals
 * (online, 6% degraded, 3% offline), the API started on 127.0.0.1, one
 * sign-in through the login page; then each page is loaded once to warm the
 * server and `--loads` times measured, each in a fresh browser context (empty
 * cache, the session cookie of the sign-in). Medians are printed.
 *
 * Chromium is /usr/bin/chromium (BENCH_CHROMIUM to change it). The API is a
 * child process and the database a temporary directory, both removed at the
 * end, also on an error or Ctrl-C; the browser is closed.
 */
import Database from 'better-sqlite3';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { ADMIN_PASSWORD, fmt, median, ms, onCleanup, run, startApi, table } from './heartbeats-support.mjs';
import { rng, seedSqlite } from './support.mjs';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const { values: args } = parseArgs({
  options: {
    terminals: { type: 'string', default: '1000000' },
    reference: { type: 'string', default: '1000' },
    loads: { type: 'string', default: '5' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log('node tools/bench/dashboard-load.mjs [--terminals N (1000000)] [--reference N (1000)] [--loads L (5)]');
  process.exit(0);
}
const num = (value) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`not a positive integer: ${value}`);
  return n;
};
const count = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en') : '–');
const ratio = (a, b) => (Number.isFinite(a / b) ? fmt(a / b, 2) : '–');
const kb = (bytes) => `${fmt(bytes / 1024, 1)} kB`;
const CHROMIUM = process.env.BENCH_CHROMIUM ?? '/usr/bin/chromium';
const ROOT = new URL('../..', import.meta.url).pathname;

/**
 * A copy of the built dashboard for the run (the API serves it via WEB_DIR),
 * so a rebuild of dist/apps/web during the run cannot swap the chunks under
 * a page that is loading.
 */
function snapshotWeb() {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-bench-web-'));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(join(ROOT, 'dist/apps/web'), dir, { recursive: true });
  const entry = /src="\/assets\/(index-[^"]+\.js)"/.exec(readFileSync(join(dir, 'index.html'), 'utf8'))?.[1];
  if (!entry) throw new Error('dist/apps/web/index.html has no entry script: build the web app (npx nx run-many -t build -p shared,api,web)');
  return { dir, entry };
}

// ---------------------------------------------------------------- the fleet

/**
 * Latest health of the deployed terminals, as the API persists it: 2% never
 * reported (no row: unknown), 3% offline, 6% degraded (low battery or paper
 * out), the rest online, all seen within the last minute.
 */
function seedHealth(path) {
  const { HEALTH_COLUMNS } = require(join(ROOT, 'dist/apps/api/heartbeats/heartbeat-rows.js'));
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  const random = rng(7);
  const now = Date.now();
  const insert = db.prepare(`INSERT INTO terminal_health (${HEALTH_COLUMNS.join(', ')}) VALUES (${HEALTH_COLUMNS.map(() => '?').join(', ')})`);
  const ids = db.prepare("SELECT id FROM terminals WHERE status = 'deployed' ORDER BY id").pluck().all();
  const mix = { unknown: 0, online: 0, degraded: 0, offline: 0 };
  const write = db.transaction((slice) => {
    for (const id of slice) {
      const r = random();
      if (r < 0.02) {
        mix.unknown++;
        continue;
      }
      const state = r < 0.05 ? 'offline' : r < 0.11 ? 'degraded' : 'online';
      mix[state]++;
      const seen = state === 'offline' ? now - 3_600_000 - Math.floor(random() * 86_400_000) : now - Math.floor(random() * 60_000);
      const lowBattery = state === 'degraded' && random() < 0.5;
      const reasons = state === 'degraded' ? (lowBattery ? 1 : 4) : 0;
      // terminal_id, state, reasons, since, last_seen_at, last_sent_at, last_sequence, error_streak, then the reported values
      insert.run(id, state, reasons, seen - 600_000, seen, seen - 200, seen, 0, lowBattery ? 9 : 80, 0, -70, '4g', reasons === 4 ? 'paper_out' : 'ok', 35, '2.4.0', '3.2.0', seen - 30_000, 1000, 900, null, null, null);
    }
  });
  for (let from = 0; from < ids.length; from += 50_000) write(ids.slice(from, from + 50_000));
  db.exec('ANALYZE');
  db.close();
  return mix;
}

async function prepareDashboardFleet(terminals) {
  const dataDir = mkdtempSync(join(tmpdir(), 'fleet-bench-'));
  onCleanup(() => rmSync(dataDir, { recursive: true, force: true }));
  const fleet = { engine: 'sqlite', dataDir, terminals };
  const started = performance.now();
  const migrating = await startApi(fleet);
  await migrating.stop();
  seedSqlite(join(dataDir, 'fleet.sqlite'), terminals);
  const mix = seedHealth(join(dataDir, 'fleet.sqlite'));
  console.log(`seeded ${count(terminals)} terminals in ${fmt((performance.now() - started) / 1000)} s; health rows: ${Object.entries(mix).map(([k, v]) => `${k} ${count(v)}`).join(', ')}`);
  return fleet;
}

// ---------------------------------------------------------------- the browser

/**
 * Runs in the page before its scripts: notes (performance.now(), ms since
 * navigation start) when the page is ready by the definitions below, and
 * when the first `fleet:counts` frame arrives on the websocket.
 */
function pageProbe() {
  const bench = { ready: null, complete: null, wsCreated: null, wsOpen: null, firstCounts: null, nodes: null };
  window.__bench = bench;
  const digits = (selector) => {
    const el = document.querySelector(selector);
    return el !== null && /\d/.test(el.textContent);
  };
  const check = () => {
    const path = location.pathname;
    if (path === '/') {
      // Ready: the live count cards show numbers, which only the first fleet:counts snapshot gives them.
      if (bench.ready === null && digits('[data-test=count-online-value]')) bench.ready = performance.now();
      // Complete: every figure on the page is there (lifecycle and warranty totals come from the REST API).
      if (bench.ready !== null && bench.complete === null) {
        const pending = [...document.querySelectorAll('.stat-value, [data-test^=warranty-] strong')].some((el) => el.textContent.includes('…'));
        const cards = document.querySelectorAll('.stat-value').length;
        if (cards >= 7 && !pending && document.querySelector('[data-test^=region-tile-]')) bench.complete = performance.now();
      }
    } else if (path === '/terminals') {
      // Ready and complete: the first page of rows and the total are shown.
      if (bench.ready === null && digits('[data-test=total]') && document.querySelector('[data-test=terminal-row]')) bench.ready = bench.complete = performance.now();
    }
    if (bench.complete !== null && bench.nodes === null) bench.nodes = document.getElementsByTagName('*').length;
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true, attributes: false });
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...rest) {
      super(...rest);
      if (bench.wsCreated === null) bench.wsCreated = performance.now();
      this.addEventListener('open', () => (bench.wsOpen ??= performance.now()));
      this.addEventListener('message', (event) => {
        if (bench.firstCounts === null && typeof event.data === 'string' && event.data.startsWith('42["fleet:counts"')) bench.firstCounts = performance.now();
      });
    }
  };
}

/** BENCH_DEBUG=1: the page's console, responses and websocket frames. */
function debug(page) {
  if (!process.env.BENCH_DEBUG) return;
  page.on('console', (message) => console.log(`  console ${message.type()}: ${message.text()}`));
  page.on('response', (response) => console.log(`  ${response.status()} ${response.url()}`));
  page.on('websocket', (ws) => ws.on('framereceived', (frame) => console.log(`  ws in: ${String(frame.payload).slice(0, 160)}`)));
}

/**
 * GET /api/health every 25 ms from the bench process while a page loads: the
 * longest answer is how long the API's single event loop was held (a
 * synchronous SQLite query holds it; heartbeats and the websocket wait too).
 */
function probeEventLoop(base) {
  let running = true;
  let longest = 0;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      await fetch(`${base}/api/health`).then((r) => r.arrayBuffer(), () => undefined);
      longest = Math.max(longest, performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  })();
  return async () => {
    running = false;
    await loop;
    return longest;
  };
}

/** One measured load of `path` in a fresh context: cold cache, signed in with the cookie of `storageState`. */
async function loadOnce(browser, base, path, storageState) {
  const context = await browser.newContext({ storageState, viewport: { width: 1440, height: 900 } });
  const stopProbe = probeEventLoop(base);
  try {
    const page = await context.newPage();
    debug(page);
    await page.addInitScript(pageProbe);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    const requests = new Map();
    const net = { http: { static: 0, api: 0 }, requests: { static: 0, api: 0 }, wsIn: 0, wsOut: 0, wsFrames: 0, slowest: { ms: 0, url: '' }, api: [] };
    cdp.on('Network.requestWillBeSent', (e) => requests.set(e.requestId, { url: e.request.url, started: e.timestamp, wallMs: e.wallTime * 1000 }));
    cdp.on('Network.loadingFinished', (e) => {
      const request = requests.get(e.requestId);
      if (!request) return;
      const kind = new URL(request.url).pathname.startsWith('/api/') ? 'api' : 'static';
      net.http[kind] += e.encodedDataLength;
      net.requests[kind]++;
      const took = (e.timestamp - request.started) * 1000;
      const path = new URL(request.url).pathname + new URL(request.url).search;
      if (kind === 'api' && took > net.slowest.ms) net.slowest = { ms: took, url: path };
      if (kind === 'api') net.api.push({ path, startWallMs: request.wallMs, took });
    });
    cdp.on('Network.webSocketFrameReceived', (e) => {
      net.wsIn += Buffer.byteLength(e.response.payloadData);
      net.wsFrames++;
    });
    cdp.on('Network.webSocketFrameSent', (e) => (net.wsOut += Buffer.byteLength(e.response.payloadData)));
    await page.goto(`${base}${path}`, { waitUntil: 'commit', timeout: 120_000 });
    await page.waitForFunction(() => window.__bench.complete !== null && window.__bench.nodes !== null, null, { timeout: 180_000, polling: 50 });
    // Frames and responses still on their way when the page became complete.
    await page.waitForTimeout(300);
    const marks = await page.evaluate(() => {
      const navigation = performance.getEntriesByType('navigation')[0];
      return { ...window.__bench, timeOrigin: performance.timeOrigin, dcl: navigation.domContentLoadedEventEnd, load: navigation.loadEventEnd, nodesNow: document.getElementsByTagName('*').length, url: location.pathname };
    });
    if (marks.url !== path) throw new Error(`${path} ended on ${marks.url}`);
    // Each API request of the load: when it started and ended, in ms from navigation start.
    const timeline = net.api.map((r) => ({ path: r.path, start: r.startWallMs - marks.timeOrigin, end: r.startWallMs - marks.timeOrigin + r.took })).sort((a, b) => a.start - b.start);
    return { ...marks, ...net, timeline, held: await stopProbe(), bytes: net.http.static + net.http.api + net.wsIn + net.wsOut };
  } finally {
    await stopProbe();
    await context.close();
  }
}

/** Signs in through the login page; returns the storage state (the session cookie) and how long it took. */
async function signInThroughPage(browser, base) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    debug(page);
    await page.goto(`${base}/login`);
    await page.fill('[data-test=login-username]', 'admin');
    await page.fill('[data-test=login-password]', ADMIN_PASSWORD);
    const started = performance.now();
    await page.click('[data-test=login-submit]');
    await page.waitForURL(`${base}/`, { timeout: 60_000 });
    await page.waitForFunction(() => /\d/.test(document.querySelector('[data-test=count-online-value]')?.textContent ?? ''), null, { timeout: 120_000 });
    const took = performance.now() - started;
    return { storageState: await context.storageState(), took };
  } finally {
    await context.close();
  }
}

async function measureFleet(browser, web, terminals, loads) {
  console.log(`\n# ${count(terminals)} terminals`);
  const fleet = await prepareDashboardFleet(terminals);
  const startedAt = performance.now();
  // Health loaded from the rows stays put for the run (no terminal reports): a day before anyone goes offline.
  const api = await startApi(fleet, { HEALTH_OFFLINE_AFTER_SECONDS: '86400', LOGIN_RATE_LIMIT: '1000', WEB_DIR: web.dir });
  console.log(`API up in ${fmt((performance.now() - startedAt) / 1000)} s (live state rebuilt from the rows)`);
  const { storageState, took } = await signInThroughPage(browser, api.url);
  console.log(`signed in through the login page; submit → overview counts ${ms(took)} ms`);
  const results = { '/': [], '/terminals': [] };
  for (const path of Object.keys(results)) await loadOnce(browser, api.url, path, storageState); // warm the server
  for (let i = 0; i < loads; i++) {
    for (const path of Object.keys(results)) {
      const r = await loadOnce(browser, api.url, path, storageState);
      results[path].push(r);
      console.log(`  ${path} load ${i + 1}: ready ${ms(r.ready)} ms, complete ${ms(r.complete)} ms, DCL ${ms(r.dcl)} ms, ws open ${ms(r.wsOpen)} ms, API held ${ms(r.held)} ms, ${kb(r.bytes)}, ${count(r.nodes)} nodes, slowest API ${ms(r.slowest.ms)} ms ${r.slowest.url}`);
    }
  }
  // The same API requests one at a time, nothing else running: what each costs the server on its own.
  const cookie = storageState.cookies.find((c) => c.name === 'fleet_session');
  const alone = new Map();
  for (const path of Object.keys(results)) {
    for (const { path: request } of results[path].flatMap((r) => r.timeline)) {
      if (alone.has(request)) continue;
      const times = [];
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        const response = await fetch(`${api.url}${request}`, { headers: { cookie: `fleet_session=${cookie.value}` } });
        await response.arrayBuffer();
        times.push(performance.now() - started);
      }
      alone.set(request, median(times));
    }
  }
  results.alone = alone;
  await api.stop();
  return results;
}

function pageTable(path, sizes, results) {
  const [small, large] = sizes;
  const m = (size, f) => median(results.get(size)[path].map(f));
  const figure = (label, f, format = ms) => [label, format(m(small, f)), format(m(large, f)), ratio(m(large, f), m(small, f))];
  const slowest = (size) => {
    const runs = results.get(size)[path];
    const urls = new Map();
    for (const r of runs) urls.set(r.slowest.url, (urls.get(r.slowest.url) ?? 0) + 1);
    const [url] = [...urls].sort((a, b) => b[1] - a[1])[0];
    return `${ms(median(runs.map((r) => r.slowest.ms)))} ms (${url})`;
  };
  const rows = [
    figure(path === '/' ? 'ready: live count cards show numbers (ms from navigation start)' : 'ready: total and first 25 rows shown (ms)', (r) => r.ready),
  ];
  if (path === '/') {
    rows.push(['  websocket created / open (ms)', ...[small, large].map((size) => `${ms(m(size, (r) => r.wsCreated))} / ${ms(m(size, (r) => r.wsOpen))}`), '']);
    rows.push(figure('  first fleet:counts frame received (ms)', (r) => r.firstCounts));
    rows.push(figure('complete: every figure of the page shown, REST totals included (ms)', (r) => r.complete));
  }
  rows.push(
    figure('DOMContentLoaded (ms)', (r) => r.dcl),
    figure('load event (ms)', (r) => r.load),
    figure('bytes transferred, all (HTTP encoded incl. headers + websocket payloads)', (r) => r.bytes, kb),
    figure('  static (HTML, JS, CSS)', (r) => r.http.static, kb),
    figure('  API responses', (r) => r.http.api, kb),
    figure('  websocket frames received', (r) => r.wsIn, kb),
    ['HTTP requests: static / API', ...[small, large].map((size) => `${m(size, (r) => r.requests.static)} / ${m(size, (r) => r.requests.api)}`), ''],
    figure('DOM nodes when complete', (r) => r.nodes, count),
    figure('API event loop held: longest GET /api/health during the load (ms)', (r) => r.held),
    ['slowest API request, median (most frequent)', slowest(small), slowest(large), ''],
  );
  console.log(`\n## ${path}: median of ${results.get(small)[path].length} cold-cache loads`);
  table(['measure', `${count(small)} terminals`, `${count(large)} terminals`, 'ratio'], rows);
  // The API requests of the median load (by ready time) of each size, and each request alone.
  const medianLoad = (size) => {
    const runs = [...results.get(size)[path]].sort((a, b) => a.ready - b.ready);
    return runs[Math.floor((runs.length - 1) / 2)];
  };
  const span = (size, request) => {
    const r = medianLoad(size).timeline.find((t) => t.path === request);
    return r ? `${fmt(r.start, 0)} → ${fmt(r.end, 0)}` : '–';
  };
  const requests = [...new Set([...medianLoad(small).timeline, ...medianLoad(large).timeline].map((t) => t.path))];
  console.log(`API requests of ${path}: in the median load (ms from navigation start), and alone (median of 5 sequential requests after the loads)`);
  table(
    ['request', `${count(small)}: in the load`, `${count(large)}: in the load`, `${count(small)}: alone (ms)`, `${count(large)}: alone (ms)`, 'ratio alone'],
    requests.map((request) => [request, span(small, request), span(large, request), ms(results.get(small).alone.get(request)), ms(results.get(large).alone.get(request)), ratio(results.get(large).alone.get(request), results.get(small).alone.get(request))]),
  );
}

run(async () => {
  const sizes = [num(args.reference), num(args.terminals)];
  const loads = num(args.loads);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  onCleanup(() => browser.close());
  const web = snapshotWeb();
  console.log(`dashboard: dist/apps/web as built (entry ${web.entry}), copied for the run`);
  const results = new Map();
  for (const size of sizes) results.set(size, await measureFleet(browser, web, size, loads));
  for (const path of ['/', '/terminals']) pageTable(path, sizes, results);
  console.log('Each load is a new browser context (empty cache) with the session cookie of one sign-in through the login page; the server was warmed by one unmeasured load of each page.');
});
