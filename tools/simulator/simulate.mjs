#!/usr/bin/env node
// Terminal simulator: N terminals send heartbeats to a running Fleet API over
// HTTP (one per request), HTTP batches (a gateway per region) or MQTT, with
// the behaviour of libs/shared's simulated terminal (battery cycles, flaky
// network, paper running out, failures at each model's rate). Each terminal
// reports once per interval, spread evenly over it; a 503 is retried after
// its Retry-After. Deterministic for a seed; stops after --duration seconds.
//
//   npx nx run shared:build
//   node tools/simulator/simulate.mjs --url http://127.0.0.1:3000 --password <admin password> \
//        --terminals 1000 --interval 60 --duration 300 --mode batch
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const { seededRandom, simulatedTerminal, nextHeartbeat } = require('@fleet/shared');

const { values: args } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:3000' },
    username: { type: 'string', default: 'admin' },
    password: { type: 'string' },
    terminals: { type: 'string', default: '100' },
    interval: { type: 'string', default: '60' },
    duration: { type: 'string', default: '60' },
    mode: { type: 'string', default: 'batch' },
    'mqtt-url': { type: 'string', default: 'mqtt://127.0.0.1:1883' },
    seed: { type: 'string', default: '1' },
    create: { type: 'boolean', default: false },
    'failure-rate': { type: 'string', default: '0.05' },
    concurrency: { type: 'string', default: '32' },
  },
});
const N = Number(args.terminals);
const INTERVAL = Number(args.interval);
const DURATION = Number(args.duration);
const MODE = args.mode;
if (!args.password || !(N > 0) || !(INTERVAL >= 1) || !(DURATION > 0) || !['http', 'batch', 'mqtt'].includes(MODE)) {
  console.error('usage: simulate.mjs --password P [--url U] [--terminals N] [--interval s] [--duration s] [--mode http|batch|mqtt] [--create] [--seed n]');
  process.exit(2);
}
const random = seededRandom(Number(args.seed));
const api = `${args.url.replace(/\/$/, '')}/api/v1`;

async function call(method, path, token, body) {
  const response = await fetch(`${api}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

async function login() {
  const reply = await fetch(`${api}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: args.username, password: args.password }) });
  if (!reply.ok) throw new Error(`login failed: ${reply.status} ${await reply.text()}`);
  return (await reply.json()).accessToken;
}

/** The first N deployed terminals, or N new ones (with a region, supplier and model of their own) with --create. */
async function terminalsToSimulate(admin) {
  if (args.create) {
    const tag = `SIM${Number(args.seed).toString(36).toUpperCase()}${Date.now().toString(36).slice(-4).toUpperCase()}`.slice(0, 8);
    const region = await call('POST', '/regions', admin, { code: tag, name: `Simulated ${tag}` });
    const supplier = await call('POST', '/suppliers', admin, { name: `Simulated supplier ${tag}` });
    const model = await call('POST', '/models', admin, { name: `Simulated model ${tag}`, manufacturer: 'Simulator', category: 'smart' });
    const created = [];
    for (let i = 0; i < N; i++) {
      const reply = await call('POST', '/terminals', admin, { serialNumber: `${tag}-${i}`, modelId: model.body.id, supplierId: supplier.body.id, regionId: region.body.id, status: 'deployed' });
      if (reply.status !== 201) throw new Error(`create terminal: ${reply.status} ${JSON.stringify(reply.body)}`);
      created.push(reply.body);
    }
    return created;
  }
  const found = [];
  for (let page = 1; found.length < N; page++) {
    const reply = await call('GET', `/terminals?status=deployed&pageSize=200&page=${page}&sort=assetNumber`, admin);
    if (reply.status !== 200) throw new Error(`list terminals: ${reply.status}`);
    found.push(...reply.body.items);
    if (reply.body.items.length < 200) break;
  }
  if (found.length < N) console.warn(`only ${found.length} deployed terminals; simulating those (use --create for more)`);
  return found.slice(0, N);
}

async function credentials(admin, terminals) {
  if (MODE === 'batch') {
    const gateways = new Map();
    for (const terminal of terminals) {
      if (!gateways.has(terminal.region.id)) {
        const reply = await call('POST', '/gateways', admin, { name: `Simulator ${terminal.region.code}`, regionId: terminal.region.id });
        if (reply.status !== 201) throw new Error(`gateway: ${reply.status} ${JSON.stringify(reply.body)}`);
        gateways.set(terminal.region.id, reply.body.token);
      }
    }
    return terminals.map((terminal) => gateways.get(terminal.region.id));
  }
  const tokens = [];
  for (const terminal of terminals) {
    const reply = await call('POST', `/terminals/${terminal.id}/credentials`, admin);
    if (reply.status !== 201) throw new Error(`credential: ${reply.status} ${JSON.stringify(reply.body)}`);
    tokens.push(reply.body.token);
  }
  return tokens;
}

const stats = { sent: 0, accepted: 0, duplicates: 0, refused: 0, errors: 0, silent: 0, latencies: [] };

function record(reply, count, started) {
  stats.latencies.push(performance.now() - started);
  if (reply.status === 200) {
    stats.accepted += reply.body.accepted;
    stats.duplicates += reply.body.duplicates;
  } else if (reply.status === 503) stats.refused += count;
  else {
    stats.errors += count;
    if (stats.errors === count) console.warn(`first error: ${reply.status} ${JSON.stringify(reply.body).slice(0, 300)}`);
  }
}

/** Sends with retries after a 503's Retry-After while the run lasts. */
async function post(path, token, body, count, deadline) {
  for (;;) {
    const started = performance.now();
    let reply;
    try {
      reply = await call('POST', path, token, body);
    } catch {
      stats.errors += count;
      return;
    }
    record(reply, count, started);
    if (reply.status !== 503 || Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, Number(reply.headers.get('retry-after') ?? 1) * 1000));
  }
}

async function main() {
  const admin = await login();
  const terminals = await terminalsToSimulate(admin);
  const tokens = await credentials(admin, terminals);
  const simulated = terminals.map((terminal) => simulatedTerminal(terminal.id, terminal.category, random, { annualFailureRate: Number(args['failure-rate']), firmwareVersion: terminal.firmwareVersion, appVersion: terminal.appVersion }));
  let mqtt = null;
  if (MODE === 'mqtt') mqtt = await (await import('mqtt')).connectAsync(args['mqtt-url'], { clientId: `fleet-simulator-${args.seed}-${process.pid}` });

  console.log(`${terminals.length} terminals, one heartbeat each every ${INTERVAL} s over ${MODE}, for ${DURATION} s`);
  const start = Date.now();
  const deadline = start + DURATION * 1000;
  const offsets = simulated.map((_, i) => (i / simulated.length) * INTERVAL * 1000);
  const next = offsets.map((offset) => start + offset);
  const inFlight = new Set();
  const limit = Number(args.concurrency);
  while (Date.now() < deadline) {
    const now = Date.now();
    const due = [];
    for (let i = 0; i < simulated.length; i++) {
      if (next[i] > now) continue;
      next[i] += INTERVAL * 1000;
      const heartbeat = nextHeartbeat(simulated[i], now, INTERVAL, random);
      if (heartbeat) due.push([i, heartbeat]);
      else stats.silent++;
    }
    if (MODE === 'batch') {
      const byToken = new Map();
      for (const [i, heartbeat] of due) byToken.set(tokens[i], [...(byToken.get(tokens[i]) ?? []), heartbeat]);
      for (const [token, heartbeats] of byToken) {
        for (let from = 0; from < heartbeats.length; from += 1000) {
          const chunk = heartbeats.slice(from, from + 1000);
          stats.sent += chunk.length;
          const task = post('/heartbeats/batch', token, { heartbeats: chunk }, chunk.length, deadline).finally(() => inFlight.delete(task));
          inFlight.add(task);
        }
      }
    } else {
      for (const [i, heartbeat] of due) {
        while (inFlight.size >= limit) await Promise.race(inFlight);
        stats.sent++;
        const task =
          MODE === 'mqtt'
            ? (async () => {
                const started = performance.now();
                await mqtt.publishAsync(`fleet/terminals/${heartbeat.terminalId}/heartbeats`, JSON.stringify({ token: tokens[i], heartbeat }), { qos: 1 });
                stats.latencies.push(performance.now() - started);
                stats.accepted++;
              })().catch(() => stats.errors++)
            : post('/heartbeats', tokens[i], heartbeat, 1, deadline);
        const tracked = task.finally(() => inFlight.delete(tracked));
        inFlight.add(tracked);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await Promise.all(inFlight);
  await mqtt?.endAsync();
  const sorted = stats.latencies.sort((a, b) => a - b);
  const pct = (p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(1) : '-');
  const seconds = (Date.now() - start) / 1000;
  console.log(`sent ${stats.sent} (${(stats.sent / seconds).toFixed(0)}/s), accepted ${stats.accepted}, duplicates ${stats.duplicates}, refused 503 ${stats.refused}, errors ${stats.errors}, silent (down or lost) ${stats.silent}`);
  console.log(`acknowledgement latency ms: p50 ${pct(0.5)}, p99 ${pct(0.99)} (${MODE === 'mqtt' ? 'PUBACK from the broker' : 'durable answer from the API'})`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
