#!/usr/bin/env node
/**
 * Realtime push benchmarks: what a dashboard connected over socket.io sees
 * when heartbeats change the fleet. Each sub-command runs a reference in the
 * same invocation and prints a table:
 *
 *   latency  N terminals (100,000) reporting once a minute in gateway batches
 *            (N / 60 heartbeats a second), a share of them flipping between
 *            low battery and ok, so status changes happen all the time. A
 *            socket.io client subscribed to `feed` and `fleet` times every
 *            change it can attribute: from the server's receipt of the
 *            heartbeat (the change's `at`) and from the POST, to the event.
 *            References: a bare socket.io server (this file run as a child)
 *            receiving the same heartbeats and emitting each change at once,
 *            and the same server emitting every 300 ms, so the cost of
 *            coalescing and the cost of the API are shown apart.
 *   storm    N terminals (100,000) with a 30-s offline policy report once,
 *            then go silent; the API is restarted, which gives every online
 *            terminal a full timeout from then, so all N deadlines fall in the
 *            same second and one sweep marks them offline (one more terminal
 *            keeps reporting, so the sweep runs with the next write, as in a
 *            live fleet). 20 clients count the messages and bytes per room
 *            until counts show all N offline, the time from the deadline, and
 *            whether they stayed connected. Reference: a bare socket.io server
 *            sending the same storm as N individual change events, and as one
 *            summary (counts + feed capped at 50).
 *   all      latency, then storm (default)
 *
 *   npx nx run-many -t build -p shared,api
 *   node tools/bench/realtime.mjs [latency|storm|all] [options]   (--help)
 *
 * Everything listens on 127.0.0.1; the API and the reference servers are
 * child processes, stopped at the end and killed on an error or Ctrl-C; the
 * fleet's database is in a temporary directory, removed at the end.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import {
  fmt,
  ms,
  percentile,
  median,
  poster,
  prepareFleet,
  rssBytes,
  run,
  shared,
  signIn,
  startApi,
  startNodeServer,
  table,
} from './heartbeats-support.mjs';

const require = createRequire(import.meta.url);
const { io } = require('socket.io-client');

const HELP = `node tools/bench/realtime.mjs [latency|storm|all] [options]

latency  --terminals N (100000)  --seconds S streamed per target (60, or $BENCH_SECONDS; e.g. 20 for a quick run)
         --interval S each terminal's heartbeat period (60)  --flip F share of terminals flipping low battery <-> ok (0.05)
         --tick-ms T one gateway batch every T ms (50)
storm    --terminals N (100000)  --clients C (20)  --timeout S offline policy set on every model (30, the minimum)
         --individual-max N skip the reference of N individual events above this size (200000)`;

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    terminals: { type: 'string' },
    seconds: { type: 'string' },
    interval: { type: 'string', default: '60' },
    flip: { type: 'string', default: '0.05' },
    'tick-ms': { type: 'string', default: '50' },
    clients: { type: 'string', default: '20' },
    timeout: { type: 'string', default: '30' },
    'individual-max': { type: 'string', default: '200000' },
    help: { type: 'boolean', default: false },
  },
});

const num = (value, fallback) => {
  const n = Number(value ?? fallback);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`not a positive number: ${value}`);
  return n;
};
const count = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en') : '–');
const ratio = (a, b) => (Number.isFinite(a / b) ? fmt(a / b, 2) : '–');
const kb = (bytes) => `${fmt(bytes / 1024, bytes < 10_240 ? 2 : 1)} kB`;
/** Wall clock with sub-millisecond resolution (the server stamps with Date.now()). */
const wall = () => performance.timeOrigin + performance.now();
const sleep = (msec) => new Promise((resolve) => setTimeout(resolve, msec));
const SELF = new URL(import.meta.url).pathname;

// ---------------------------------------------------------------- heartbeats

/** A heartbeat: healthy apart from the battery (10 % is low, 80 % is ok; not charging). */
function heartbeat(id, sequence, battery, sentAt) {
  return `{"terminalId":${id},"sequence":${sequence},"sentAt":"${sentAt}","batteryPct":${battery},"charging":false,"signalDbm":-70,"network":"4g","printer":"ok","temperatureC":35,"firmwareVersion":"2.4.0","appVersion":"3.2.0","errorCodes":[]}`;
}

/** Sequences grow with every heartbeat sent by this process, so a terminal never repeats one. */
let nextSequence = Date.now();

/** One healthy heartbeat for each of terminals 1..n, batches of 1,000, `concurrency` in flight. */
async function primeAll(client, token, n, concurrency = 4) {
  let next = 1;
  let accepted = 0;
  const worker = async () => {
    while (next <= n) {
      const from = next;
      const to = Math.min(n, from + 999);
      next = to + 1;
      const sentAt = new Date().toISOString();
      const parts = [];
      for (let id = from; id <= to; id++) parts.push(heartbeat(id, nextSequence++, 80, sentAt));
      let reply;
      for (let attempt = 0; attempt < 20; attempt++) {
        reply = await client.post('/api/v1/heartbeats/batch', token, `{"heartbeats":[${parts.join(',')}]}`);
        if (reply.status !== 503) break;
        await sleep(Math.max(1, reply.retryAfter) * 1000);
      }
      if (reply.status !== 200) throw new Error(`priming: ${reply.status} ${reply.error ?? reply.text?.slice(0, 200)}`);
      accepted += JSON.parse(reply.text).accepted;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return accepted;
}

// ---------------------------------------------------------------- socket.io clients

/** The room an event belongs to. */
const ROOM_OF = { 'fleet:counts': 'fleet', 'feed:changes': 'feed', 'terminal:health': 'terminal', 'realtime:error': 'error' };

/**
 * A socket.io client (websocket transport, like the dashboard's first
 * choice) subscribed to `rooms`. Counts messages and bytes per room from
 * the engine's packets (the websocket frame payloads, engine type included)
 * and every disconnection; `reset()` starts the counts again.
 */
async function connectClient(url, token, rooms) {
  const socket = io(url, { path: '/socket.io', transports: ['websocket'], auth: token ? { token } : {}, reconnection: true, forceNew: true });
  const stats = { messages: {}, bytes: {}, disconnects: 0, reasons: [] };
  const reset = () => {
    stats.messages = { fleet: 0, feed: 0, other: 0 };
    stats.bytes = { fleet: 0, feed: 0, other: 0 };
    stats.totalBytes = 0;
  };
  reset();
  socket.io.on('open', () => {
    socket.io.engine.on('packet', (packet) => {
      const size = 1 + (typeof packet.data === 'string' ? Buffer.byteLength(packet.data) : (packet.data?.byteLength ?? 0));
      stats.totalBytes += size;
      if (packet.type !== 'message' || typeof packet.data !== 'string') return;
      const event = /^\d+\["([^"]+)"/.exec(packet.data)?.[1];
      const room = ROOM_OF[event] ?? 'other';
      const key = room in stats.messages ? room : 'other';
      stats.messages[key]++;
      stats.bytes[key] += size;
    });
  });
  socket.on('disconnect', (reason) => {
    stats.disconnects++;
    stats.reasons.push(reason);
  });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`socket.io connection to ${url} not open within 30 s`)), 30_000);
    socket.once('connect', () => (clearTimeout(timer), resolve()));
    socket.once('connect_error', (error) => (clearTimeout(timer), reject(new Error(`socket.io: ${error.message}`))));
  });
  for (const room of rooms) {
    const ok = await socket.timeout(30_000).emitWithAck('subscribe', room);
    if (ok !== true) throw new Error(`subscribe ${room}: ${ok}`);
  }
  return { socket, stats, reset, close: () => socket.disconnect() };
}

// ---------------------------------------------------------------- latency

/**
 * Streams heartbeats to `target` for `seconds` at N / interval a second:
 * terminal ids in turn, one gateway batch every tick (open loop: a tick
 * never waits for earlier answers). Flippers alternate 10 % and 80 %
 * battery, so each of their heartbeats is a status change; the client
 * attributes each change to its heartbeat by terminal and new state.
 */
async function latencyRun(name, target, o) {
  console.log(`\n${name}: priming ${count(o.terminals)} terminals (one healthy heartbeat each)`);
  const client = poster(target.url, 16);
  const listener = await connectClient(target.url, target.clientToken, ['fleet', 'feed']);
  const primed = await primeAll(client, target.heartbeatToken, o.terminals);
  // Let the unknown -> online wave of the priming go out before counting.
  await sleep(1500);
  const pending = new Map();
  const lat = { receipt: [], sent: [], ack: [] };
  let attributed = 0;
  let unattributed = 0;
  let omitted = 0;
  listener.socket.on('feed:changes', (message) => {
    if (message.snapshot) return;
    const now = wall();
    omitted += message.omitted;
    for (const change of message.changes) {
      const p = pending.get(change.terminalId);
      if (!p || p.to !== change.to) {
        unattributed++;
        continue;
      }
      pending.delete(change.terminalId);
      attributed++;
      lat.receipt.push(now - Date.parse(change.at));
      lat.sent.push(now - p.sentAt);
    }
  });
  listener.reset();

  const flipEvery = Math.max(1, Math.round(1 / o.flip));
  const rate = o.terminals / o.interval;
  const sent = { heartbeats: 0, flips: 0, requests: 0, ok: 0, failed: 0 };
  const outstanding = new Set();
  let cursor = 0; // heartbeats of the stream so far; heartbeat k goes to terminal (k mod N) + 1
  const start = performance.now();
  const end = start + o.seconds * 1000;
  console.log(`${name}: streaming ${count(rate)} heartbeats/s for ${o.seconds} s, 1 terminal in ${flipEvery} flipping`);
  while (performance.now() < end) {
    const due = Math.min(Math.floor(((performance.now() - start) / 1000) * rate), Math.floor(o.seconds * rate));
    if (due > cursor) {
      const sentAt = new Date().toISOString();
      const flips = [];
      const parts = [];
      for (; cursor < due; cursor++) {
        const id = (cursor % o.terminals) + 1;
        const round = Math.floor(cursor / o.terminals); // the terminal's n-th heartbeat of the stream
        const flipper = id % flipEvery === 0;
        const low = flipper && round % 2 === 0;
        parts.push(heartbeat(id, nextSequence++, low ? 10 : 80, sentAt));
        if (flipper) flips.push({ id, to: low ? 'degraded' : 'online' });
      }
      const at = wall();
      for (const flip of flips) pending.set(flip.id, { to: flip.to, sentAt: at });
      sent.heartbeats += parts.length;
      sent.flips += flips.length;
      // Batches of at most 1,000 (the API's limit); at the default rate a tick is about 83.
      for (let from = 0; from < parts.length; from += 1000) {
        const body = `{"heartbeats":[${parts.slice(from, from + 1000).join(',')}]}`;
        sent.requests++;
        const request = client.post('/api/v1/heartbeats/batch', target.heartbeatToken, body).then((reply) => {
          outstanding.delete(request);
          const took = wall() - at;
          if (reply.status === 200) {
            sent.ok++;
            lat.ack.push(took);
          } else {
            sent.failed++;
            sent.lastError = `${reply.status} ${reply.error ?? reply.text?.slice(0, 160)}`;
          }
        });
        outstanding.add(request);
      }
    }
    await sleep(o.tickMs);
  }
  const streamSeconds = (performance.now() - start) / 1000;
  await Promise.all(outstanding);
  // The last changes are at most one flush (300 ms) plus a commit away.
  const settle = performance.now() + 5000;
  while (pending.size > 0 && performance.now() < settle) await sleep(100);
  const messages = { ...listener.stats.messages };
  const bytes = { ...listener.stats.bytes };
  const disconnects = listener.stats.disconnects;
  listener.close();
  return { name, primed, sent, attributed, unattributed, omitted, missing: pending.size, lat, messages, bytes, seconds: streamSeconds, disconnects };
}

async function latencyBench() {
  const o = {
    terminals: num(args.terminals, 100_000),
    seconds: num(args.seconds ?? process.env.BENCH_SECONDS, 60),
    interval: num(args.interval),
    flip: num(args.flip),
    tickMs: num(args['tick-ms']),
  };
  if (o.flip > 1) throw new Error('--flip is a share: 0 < F <= 1');
  console.log(`# latency: ${count(o.terminals)} terminals, each every ${o.interval} s = ${count(o.terminals / o.interval)} heartbeats/s, ${o.seconds} s per target`);
  const fleet = await prepareFleet({ engine: 'sqlite', terminals: o.terminals });
  const api = await startApi(fleet);
  const { accessToken } = await signIn(api.url);
  const results = [];
  for (const mode of ['immediate', 'batched']) {
    const bare = await startNodeServer([SELF, '__bare', mode], { TERMINALS: String(o.terminals) }, `bare socket.io (${mode})`);
    results.push(await latencyRun(mode === 'immediate' ? 'bare socket.io, each change at once' : 'bare socket.io, 300-ms batches', { url: bare.url, heartbeatToken: 'bare', clientToken: null }, o));
    await bare.stop();
  }
  results.push(await latencyRun('API', { url: api.url, heartbeatToken: fleet.gatewayToken, clientToken: accessToken }, o));
  const [now, batched, apiResult] = results;

  const p = (r, key, q) => percentile(r.lat[key], q);
  const max = (r, key) => (r.lat[key].length ? Math.max(...r.lat[key]) : NaN);
  /** A row of figures (ms) with the two ratios, or a row of text without. */
  const figures = (label, f) => [label, ...results.map((r) => ms(f(r))), ratio(f(apiResult), f(batched)), ratio(f(batched), f(now))];
  const text = (label, f) => [label, ...results.map(f), '', ''];
  console.log(`\n## latency: ${count(o.terminals)} terminals every ${o.interval} s (${count(o.terminals / o.interval)} heartbeats/s in gateway batches every ${o.tickMs} ms), 1 in ${Math.round(1 / o.flip)} flipping low battery <-> ok; ${o.seconds} s per target`);
  table(
    ['measure', 'bare socket.io, each change at once', 'bare socket.io, 300-ms batches', 'API (gateway, 300-ms flush)', 'API / bare batched', 'bare batched / at once'],
    [
      text('heartbeats sent (requests answered 200 / failed)', (r) => `${count(r.sent.heartbeats)} (${count(r.sent.ok)} / ${count(r.sent.failed)})`),
      text('status changes sent / attributed / not seen', (r) => `${count(r.sent.flips)} / ${count(r.attributed)} / ${count(r.missing)}`),
      text('changes left out of feed messages (omitted) / unattributed', (r) => `${count(r.omitted)} / ${count(r.unattributed)}`),
      figures('receipt → client event p50 (ms)', (r) => p(r, 'receipt', 0.5)),
      figures('receipt → client event p99 (ms)', (r) => p(r, 'receipt', 0.99)),
      figures('receipt → client event max (ms)', (r) => max(r, 'receipt')),
      figures('POST sent → client event p50 (ms)', (r) => p(r, 'sent', 0.5)),
      figures('POST sent → client event p99 (ms)', (r) => p(r, 'sent', 0.99)),
      figures('POST sent → 200 answer p50 (ms)', (r) => p(r, 'ack', 0.5)),
      figures('POST sent → 200 answer p99 (ms)', (r) => p(r, 'ack', 0.99)),
      text('messages received per second: feed / fleet', (r) => `${fmt(r.messages.feed / r.seconds)} / ${fmt(r.messages.fleet / r.seconds)}`),
      text('bytes received per second (all rooms)', (r) => kb((r.bytes.feed + r.bytes.fleet + r.bytes.other) / r.seconds)),
      text('client disconnections', (r) => String(r.disconnects)),
    ],
  );
  for (const r of results) if (r.sent.lastError) console.log(`  ${r.name}: last error ${r.sent.lastError}`);
  console.log('receipt = the server\'s own timestamp of the heartbeat (the feed change\'s `at`, Date.now() when the request was taken in), same clock as the client\'s.');
  return results;
}

// ---------------------------------------------------------------- storm

/** Clients of one storm: each notes its first offline message and when counts show `n` offline. */
function watchStorm(clients, n) {
  const marks = clients.map(() => ({ first: null, all: null, deadline: null }));
  clients.forEach((client, i) => {
    const mark = marks[i];
    client.socket.on('fleet:counts', (message) => {
      if (message.snapshot) return;
      const now = wall();
      if (message.counts.offline > 0 && mark.first === null) mark.first = now;
      if (message.counts.offline >= n && mark.all === null) mark.all = now;
    });
    client.socket.on('feed:changes', (message) => {
      if (message.snapshot) return;
      const now = wall();
      const offline = message.changes.filter((change) => change.to === 'offline');
      if (offline.length > 0 && mark.first === null) mark.first = now;
      for (const change of offline) {
        const at = Date.parse(change.at);
        if (mark.deadline === null || at < mark.deadline) mark.deadline = at;
      }
    });
  });
  return marks;
}

/** Waits until every client has counts with all offline (or `seconds` pass), then `quiet` ms more for stragglers. */
async function untilAllOffline(marks, seconds, quiet = 2000) {
  const deadline = performance.now() + seconds * 1000;
  while (marks.some((m) => m.all === null) && performance.now() < deadline) await sleep(50);
  await sleep(quiet);
}

/** `starts`: per client, when the storm began (the API: the deadline second of the terminals; bare: the trigger). */
function stormSummary(clients, marks, starts) {
  const done = marks.filter((m) => m.all !== null && m.first !== null);
  const elapsed = done.map((m) => m.all - m.first);
  const fromStart = marks.map((m, i) => (m.all !== null && starts[i] !== null ? m.all - starts[i] : NaN)).filter(Number.isFinite);
  const per = (f) => clients.map(f);
  return {
    clients: clients.length,
    complete: done.length,
    connected: clients.filter((c) => c.stats.disconnects === 0 && c.socket.connected).length,
    disconnects: clients.reduce((sum, c) => sum + c.stats.disconnects, 0),
    reasons: [...new Set(clients.flatMap((c) => c.stats.reasons))],
    elapsedMedian: median(elapsed),
    elapsedMax: elapsed.length ? Math.max(...elapsed) : NaN,
    messages: { fleet: median(per((c) => c.stats.messages.fleet)), feed: median(per((c) => c.stats.messages.feed)), other: median(per((c) => c.stats.messages.other)) },
    bytes: { fleet: median(per((c) => c.stats.bytes.fleet)), feed: median(per((c) => c.stats.bytes.feed)), other: median(per((c) => c.stats.bytes.other)), total: median(per((c) => c.stats.totalBytes)) },
    startToAll: median(fromStart),
    startToAllMax: fromStart.length ? Math.max(...fromStart) : NaN,
  };
}

/** GET /api/health every 100 ms while the storm runs: the longest answer is how long the API's event loop was held. */
function probeHealth(url) {
  const times = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = wall();
      try {
        await fetch(`${url}/api/health`).then((r) => r.arrayBuffer());
        times.push({ at: started, took: wall() - started, failed: null });
      } catch (error) {
        times.push({ at: started, took: wall() - started, failed: error.cause?.code ?? error.message });
      }
      await sleep(100);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return times;
    },
  };
}

async function apiStorm(o) {
  console.log(`\n# storm through the API: ${count(o.terminals)} terminals, offline after ${o.timeout} s without a heartbeat`);
  // One more terminal, the canary, keeps reporting: as in a live fleet, heartbeats keep arriving, and the
  // API sweeps expired deadlines with every write (not only on its 5-s timer), so the sweep starts on time.
  const canary = o.terminals + 1;
  const fleet = await prepareFleet({ engine: 'sqlite', terminals: o.terminals + 1 });
  let api = await startApi(fleet);
  const { accessToken } = await signIn(api.url);
  for (let model = 1; model <= 4; model++) {
    const response = await fetch(`${api.url}/api/v1/models/${model}/health-policy`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ offlineAfterSeconds: o.timeout }),
    });
    if (!response.ok) throw new Error(`PUT health-policy of model ${model}: ${response.status} ${await response.text()}`);
  }
  const primeStarted = performance.now();
  const primed = await primeAll(poster(api.url, 8), fleet.gatewayToken, o.terminals + 1);
  const primeSeconds = (performance.now() - primeStarted) / 1000;
  console.log(`${count(primed)} heartbeats accepted in ${fmt(primeSeconds)} s; restarting the API so that every deadline falls in the same second`);
  // On start the API gives every online terminal a full timeout from then: all N deadlines in one second, one sweep.
  await api.stop();
  api = await startApi(fleet);
  const restartedAt = wall();
  const canaryClient = poster(api.url, 2);
  let canaryRunning = true;
  const canaryReplies = [];
  const canaryLoop = (async () => {
    while (canaryRunning) {
      const started = wall();
      const reply = await canaryClient.post('/api/v1/heartbeats', fleet.gatewayToken, heartbeat(canary, nextSequence++, 80, new Date().toISOString()));
      canaryReplies.push({ at: started, took: wall() - started, outcome: reply.status === 0 ? reply.error : String(reply.status) });
      await sleep(o.canaryMs);
    }
  })();
  const clients = [];
  for (let c = 0; c < o.clients; c++) clients.push(await connectClient(api.url, accessToken, ['fleet', 'feed']));
  const snapshotBytes = median(clients.map((c) => c.stats.totalBytes));
  const health = await (await fetch(`${api.url}/api/v1/fleet/health`, { headers: { authorization: `Bearer ${accessToken}` } })).json();
  console.log(`${o.clients} clients connected ${fmt((wall() - restartedAt) / 1000)} s after the restarted API was ready; counts now ${JSON.stringify(health.counts ?? health)}; waiting for the sweep`);
  if (health.counts?.offline > 0) {
    console.log(`WARNING: terminals went offline before the clients subscribed: the restart grace (a full ${o.timeout}-s timeout) was partly spent rebuilding the live state; try a longer --timeout`);
  }
  for (const c of clients) c.reset();
  const marks = watchStorm(clients, o.terminals);
  const probe = probeHealth(api.url);
  const rssBefore = rssBytes(api.pid);
  await untilAllOffline(marks, o.timeout + 90);
  const rssAfter = rssBytes(api.pid);
  const probes = await probe.stop();
  canaryRunning = false;
  await canaryLoop;
  const summary = stormSummary(clients, marks, marks.map((m) => m.deadline));
  // The probes from 5 s before the deadline on: the sweep starts at the deadline.
  const firstDeadline = Math.min(...marks.map((m) => m.deadline ?? Infinity));
  const around = probes.filter((p) => p.at >= (Number.isFinite(firstDeadline) ? firstDeadline : -Infinity) - 5000);
  summary.probeMax = around.length ? Math.max(...around.map((p) => p.took)) : NaN;
  summary.probeMedian = median(around.map((p) => p.took));
  summary.probeFailures = around.filter((p) => p.failed).map((p) => `${p.failed} after ${fmt(p.took, 0)} ms`);
  // The canary's heartbeats around the storm: the slowest acknowledgement and the answers other than 200.
  const canaryAround = canaryReplies.filter((r) => r.at >= (Number.isFinite(firstDeadline) ? firstDeadline : -Infinity) - 5000);
  summary.canary = { sent: canaryAround.length, slowest: canaryAround.length ? Math.max(...canaryAround.map((r) => r.took)) : NaN, other: canaryAround.filter((r) => r.outcome !== '200').map((r) => `${r.outcome} after ${fmt(r.took, 0)} ms`) };
  summary.rss = [rssBefore, rssAfter];
  summary.snapshotBytes = snapshotBytes;
  summary.primeSeconds = primeSeconds;
  const deadlines = marks.map((m) => m.deadline).filter((d) => d !== null);
  summary.deadlineAfterReady = deadlines.length ? Math.min(...deadlines) - restartedAt : NaN;
  for (const c of clients) c.close();
  await api.stop();
  return summary;
}

async function bareStorm(o, style) {
  console.log(`\n# storm reference: bare socket.io, ${style === 'individual' ? `${count(o.terminals)} individual change events` : 'one summary'}, ${o.clients} clients`);
  const bare = await startNodeServer([SELF, '__bare', 'storm'], { TERMINALS: String(o.terminals) }, 'bare socket.io (storm)');
  const clients = [];
  for (let c = 0; c < o.clients; c++) clients.push(await connectClient(bare.url, null, ['fleet', 'feed']));
  for (const c of clients) c.reset();
  const marks = watchStorm(clients, o.terminals);
  const rssBefore = rssBytes(bare.pid);
  const triggered = wall();
  const reply = await fetch(`${bare.url}/storm?style=${style}&n=${o.terminals}`, { method: 'POST' }).then((r) => r.json());
  await untilAllOffline(marks, 240);
  const summary = stormSummary(clients, marks, marks.map(() => triggered));
  summary.emitMs = reply.emitMs;
  summary.rss = [rssBefore, reply.rssAfterEmit, rssBytes(bare.pid)];
  for (const c of clients) c.close();
  await bare.stop();
  return summary;
}

async function stormBench() {
  const o = { terminals: num(args.terminals, 100_000), clients: num(args.clients), timeout: num(args.timeout), canaryMs: 50, individualMax: num(args['individual-max']) };
  if (o.timeout < 30) throw new Error('--timeout: the API allows 30 s at least');
  const api = await apiStorm(o);
  // Beyond a few hundred thousand the individual reference needs gigabytes in the server and minutes of decoding: skipped.
  const skipped = { complete: '–', connected: '–', elapsedMedian: NaN, elapsedMax: NaN, startToAll: NaN, startToAllMax: NaN, messages: { fleet: NaN, feed: NaN }, bytes: { fleet: NaN, feed: NaN, total: NaN }, emitMs: NaN, rss: [NaN, NaN, NaN], disconnects: 0 };
  const individual = o.terminals <= o.individualMax ? await bareStorm(o, 'individual') : skipped;
  if (individual === skipped) console.log(`\n(the individual-events reference is skipped above --individual-max ${count(o.individualMax)})`);
  const summary = await bareStorm(o, 'summary');
  const all = [api, individual, summary];
  const mb = (bytes) => `${fmt(bytes / 2 ** 20, 0)} MB`;
  const cell = (f) => all.map(f);
  console.log(`\n## storm: ${count(o.terminals)} terminals go offline at once, ${o.clients} socket.io clients subscribed to fleet and feed`);
  table(
    ['measure (per client: median of the clients)', 'API (one sweep, coalesced)', `bare: ${count(o.terminals)} individual events`, 'bare: one summary', 'API / summary', 'individual / summary'],
    [
      ['clients that saw all offline / stayed connected (of ' + o.clients + ')', ...cell((s) => `${s.complete} / ${s.connected}`), '', ''],
      ['first offline message → counts show all offline, median (ms)', ...cell((s) => ms(s.elapsedMedian)), ratio(api.elapsedMedian, summary.elapsedMedian), ratio(individual.elapsedMedian, summary.elapsedMedian)],
      ['  the same, slowest client (ms)', ...cell((s) => ms(s.elapsedMax)), ratio(api.elapsedMax, summary.elapsedMax), ratio(individual.elapsedMax, summary.elapsedMax)],
      ['messages per client: fleet / feed', ...cell((s) => `${count(s.messages.fleet)} / ${count(s.messages.feed)}`), '', ''],
      ['bytes per client: fleet / feed', ...cell((s) => `${kb(s.bytes.fleet)} / ${kb(s.bytes.feed)}`), ratio(api.bytes.total, summary.bytes.total), ratio(individual.bytes.total, summary.bytes.total)],
      ['bytes per client, all frames', ...cell((s) => kb(s.bytes.total)), '', ''],
      ['storm start → counts show all offline, median (ms; API: from the deadline second, bare: from the trigger)', ...cell((s) => ms(s.startToAll)), ratio(api.startToAll, summary.startToAll), ratio(individual.startToAll, summary.startToAll)],
      ['  the same, slowest client (ms)', ...cell((s) => ms(s.startToAllMax)), ratio(api.startToAllMax, summary.startToAllMax), ratio(individual.startToAllMax, summary.startToAllMax)],
      ['server: time to emit the storm (ms, bare only)', '', ms(individual.emitMs), ms(summary.emitMs), '', ''],
      ['server: longest GET /api/health during the storm, ms (median; failed)', `${ms(api.probeMax)} (${ms(api.probeMedian)}; ${api.probeFailures.length})`, '', '', '', ''],
      ["canary terminal's heartbeats from 5 s before the deadline: sent / slowest answer (ms) / not 200", `${api.canary.sent} / ${ms(api.canary.slowest)} / ${api.canary.other.length}`, '', '', '', ''],
      ['server RSS before → after (bare: after the emit loop → at the end)', `${mb(api.rss[0])} → ${mb(api.rss[1])}`, `${mb(individual.rss[0])} → ${mb(individual.rss[1])} → ${mb(individual.rss[2])}`, `${mb(summary.rss[0])} → ${mb(summary.rss[1])} → ${mb(summary.rss[2])}`, '', ''],
    ],
  );
  for (const [name, s] of [['API', api], ['bare individual', individual], ['bare summary', summary]]) if (s.disconnects > 0) console.log(`  ${name}: ${s.disconnects} disconnections (${s.reasons.join(', ')})`);
  console.log(`API: one more terminal (the canary) sent a heartbeat every ${o.canaryMs} ms throughout, so the sweep ran with the first write after the deadline.`);
  if (api.probeFailures.length > 0) console.log(`API: GET /api/health probes that failed during the storm: ${api.probeFailures.join('; ')}`);
  if (api.canary.other.length > 0) console.log(`API: canary heartbeats not answered 200 during the storm: ${api.canary.other.join('; ')}`);
  console.log(`API: the offline deadline fell ${fmt(api.deadlineAfterReady / 1000)} s after the restarted API answered /api/health (policy ${o.timeout} s: a restored terminal gets the whole timeout from when the API is ready).`);
  console.log(`API: snapshot on subscribing ${kb(api.snapshotBytes)} per client; priming ${count(o.terminals)} heartbeats took ${fmt(api.primeSeconds)} s. The ${o.clients} clients share the bench process: in the individual run their decoding of ${count(o.terminals * o.clients)} frames is part of the time.`);
}

// ---------------------------------------------------------------- the reference server (child process)

/**
 * A plain socket.io server on an HTTP server, no framework, no storage, no
 * authentication. `immediate` and `batched` take heartbeat batches on any
 * POST, derive each terminal's state with libs/shared's rules (in memory)
 * and emit every change at once, or every 300 ms in one feed message (the
 * newest 50 plus the number left out, as the API does) and one counts
 * message. `storm` emits N offline changes on POST /storm, as N events or
 * as one summary.
 */
function bareServer(mode) {
  const { Server } = require('socket.io');
  const { degradedReasons, reasonsToMask, maskToReasons, stateFromReasons, DEFAULT_HEALTH_POLICY, FEED_SIZE, REALTIME_FLUSH_MS } = shared;
  const n = Number(process.env.TERMINALS);
  const STATES = ['unknown', 'online', 'degraded', 'offline'];
  const state = new Uint8Array(n + 1);
  const mask = new Uint8Array(n + 1);
  const totals = new Int32Array(4);
  totals[0] = n;
  const countsMessage = (snapshot) => ({
    at: new Date().toISOString(),
    counts: { unknown: totals[0], online: totals[1], degraded: totals[2], offline: totals[3] },
    reasons: {},
    regions: [],
    snapshot,
  });
  let pending = [];
  let changed = false;

  const server = http.createServer((request, response) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk) => (text += chunk));
    request.on('end', () => {
      const url = new URL(request.url, 'http://127.0.0.1');
      if (url.pathname === '/storm') {
        const total = Number(url.searchParams.get('n'));
        const at = new Date().toISOString();
        const started = performance.now();
        const change = (id) => ({ terminalId: id, regionId: 2 + (id % 8), from: 'online', to: 'offline', reasons: [], at });
        if (url.searchParams.get('style') === 'individual') {
          for (let id = 1; id <= total; id++) io.to('feed').emit('feed:changes', { changes: [change(id)], omitted: 0, snapshot: false });
        } else {
          const changes = [];
          for (let id = total; id > total - Math.min(FEED_SIZE, total); id--) changes.push(change(id));
          io.to('feed').emit('feed:changes', { changes, omitted: total - changes.length, snapshot: false });
        }
        const regions = Array.from({ length: 9 }, (_, r) => ({ regionId: r + 1, counts: { unknown: 0, online: 0, degraded: 0, offline: r === 0 ? total : Math.floor(total / 8) } }));
        io.to('fleet').emit('fleet:counts', { at, counts: { unknown: 0, online: 0, degraded: 0, offline: total }, reasons: {}, regions, snapshot: false });
        const emitMs = performance.now() - started;
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ emitMs, rssAfterEmit: process.memoryUsage().rss }));
        return;
      }
      let body;
      try {
        body = JSON.parse(text);
      } catch {
        response.writeHead(400).end();
        return;
      }
      const receivedAt = Date.now();
      const heartbeats = Array.isArray(body.heartbeats) ? body.heartbeats : [body];
      let any = false;
      for (const hb of heartbeats) {
        const id = hb.terminalId;
        const previous = state[id];
        const reasons = degradedReasons(hb, DEFAULT_HEALTH_POLICY, mask[id], 0);
        const next = STATES.indexOf(stateFromReasons(reasons));
        const nextMask = reasonsToMask(reasons);
        if (next === previous && nextMask === mask[id]) continue;
        totals[previous]--;
        totals[next]++;
        state[id] = next;
        mask[id] = nextMask;
        any = true;
        const change = { terminalId: id, regionId: 0, from: STATES[previous], to: STATES[next], reasons: maskToReasons(nextMask), at: new Date(receivedAt).toISOString() };
        if (mode === 'immediate') io.to('feed').emit('feed:changes', { changes: [change], omitted: 0, snapshot: false });
        else pending.push(change);
      }
      if (any) {
        if (mode === 'immediate') io.to('fleet').emit('fleet:counts', countsMessage(false));
        else changed = true;
      }
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ accepted: heartbeats.length, duplicates: 0 }));
    });
  });
  const io = new Server(server, { serveClient: false });
  io.on('connection', (socket) => {
    socket.on('subscribe', (room, ack) => {
      socket.join(room);
      if (typeof ack === 'function') ack(true);
      if (room === 'fleet') socket.emit('fleet:counts', countsMessage(true));
      if (room === 'feed') socket.emit('feed:changes', { changes: [], omitted: 0, snapshot: true });
    });
  });
  if (mode === 'batched') {
    setInterval(() => {
      if (pending.length > 0) {
        const changes = pending.slice(-FEED_SIZE).reverse();
        io.to('feed').emit('feed:changes', { changes, omitted: pending.length - changes.length, snapshot: false });
        pending = [];
      }
      if (changed) {
        changed = false;
        io.to('fleet').emit('fleet:counts', countsMessage(false));
      }
    }, REALTIME_FLUSH_MS).unref();
  }
  server.keepAliveTimeout = 5_000;
  server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('ready'));
  process.once('SIGTERM', () => {
    io.close();
    server.closeAllConnections();
    process.exit(0);
  });
}

// ---------------------------------------------------------------- main

const [command = 'all', ...rest] = positionals;
if (command === '__bare') {
  bareServer(rest[0]);
} else if (args.help || !['latency', 'storm', 'all'].includes(command)) {
  console.log(HELP);
  process.exit(args.help ? 0 : 2);
} else {
  run(async () => {
    if (command === 'latency' || command === 'all') await latencyBench();
    if (command === 'storm' || command === 'all') await stormBench();
  });
}
