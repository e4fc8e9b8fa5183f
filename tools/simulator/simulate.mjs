#!/usr/bin/env node
/**
 * Terminal simulator: N terminals of a running Fleet API report every
 * --interval seconds for --duration seconds, behaving as libs/shared's
 * simulated terminal does (battery cycles, wandering signal, paper running
 * out, error bursts, lost heartbeats, failures during which a unit is
 * silent). Sends are spread evenly over the interval and scheduled by the
 * clock (open loop: a slow answer never delays the next send), over HTTP one
 * by one, as gateway batches, or over MQTT. A 503 is sent again after its
 * Retry-After. Ends with a summary: sent, accepted, duplicates, refused,
 * errors, p50/p99 latency.
 *
 *   npx nx run shared:build
 *   node tools/simulator/simulate.mjs --url http://127.0.0.1:3000 --password '...' \
 *     --terminals 1000 --interval 60 --duration 300 --mode http|batch|mqtt [--create] [--seed 1]
 *
 * README.md beside this file lists every option and what the figures mean.
 */
import http from 'node:http';
import https from 'node:https';
import { parseArgs } from 'node:util';
import shared from '@fleet/shared';

const { seededRandom, simulatedTerminal, nextHeartbeat, DEFAULT_SIMULATION, HEARTBEAT_LIMITS } = shared;

const HELP = `Usage: node tools/simulator/simulate.mjs --password P [options]
  --url URL              the API (default http://127.0.0.1:3000)
  --username NAME        an admin, to issue credentials (default admin)
  --password PASSWORD    its password (or FLEET_PASSWORD in the environment)
  --terminals N          terminals to simulate (default 100)
  --interval S           seconds between two heartbeats of a terminal (default 60)
  --duration S           seconds to run (default 60)
  --mode M               http | batch | mqtt (default http)
  --mqtt-url URL         the broker for --mode mqtt (default mqtt://127.0.0.1:1883)
  --seed N               behaviour seed (default 1)
  --create               create the simulator's terminals (region SIM, catalog) that are missing
  --batch-size N         heartbeats per gateway batch, at most 1000 (default 500)
  --flush-ms MS          a gateway posts what it holds at least this often (default 1000)
  --connections N        HTTP sockets or MQTT connections (default 64 for HTTP, 4 for MQTT)
  --failure-rate R       annual failure rate of every terminal (default by category)
  --acceleration X       failures come X times faster than their annual rate (default ${DEFAULT_SIMULATION.acceleration})
  --loss R               share of heartbeats lost on the way (default ${DEFAULT_SIMULATION.lossRate})`;

const FAILURE_RATE_BY_CATEGORY = { desktop: 0.02, smart: 0.04, mobile: 0.06, mpos: 0.08 };
const CATEGORIES = Object.keys(FAILURE_RATE_BY_CATEGORY);
const VERSION = new RegExp(HEARTBEAT_LIMITS.versionPattern);
const BRANCHES = 4;
const TICK_MS = 20;
const DRAIN_MS = 15_000;
const ADMIN_CONCURRENCY = 8;

function fail(message) {
  console.error(`simulate: ${message}`);
  process.exit(2);
}

function options() {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:3000' },
      username: { type: 'string', default: 'admin' },
      password: { type: 'string' },
      terminals: { type: 'string', default: '100' },
      interval: { type: 'string', default: '60' },
      duration: { type: 'string', default: '60' },
      mode: { type: 'string', default: 'http' },
      'mqtt-url': { type: 'string', default: 'mqtt://127.0.0.1:1883' },
      seed: { type: 'string', default: '1' },
      create: { type: 'boolean', default: false },
      'batch-size': { type: 'string', default: '500' },
      'flush-ms': { type: 'string', default: '1000' },
      connections: { type: 'string' },
      'failure-rate': { type: 'string' },
      acceleration: { type: 'string', default: String(DEFAULT_SIMULATION.acceleration) },
      loss: { type: 'string', default: String(DEFAULT_SIMULATION.lossRate) },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const number = (name, min, max, integer = true) => {
    const value = Number(values[name]);
    if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) fail(`--${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`);
    return value;
  };
  const mode = values.mode;
  if (!['http', 'batch', 'mqtt'].includes(mode)) fail('--mode must be http, batch or mqtt');
  const password = values.password ?? process.env.FLEET_PASSWORD;
  if (!password) fail('--password (or FLEET_PASSWORD) is required');
  return {
    url: new URL(values.url),
    username: values.username,
    password,
    terminals: number('terminals', 1, 10_000_000),
    interval: number('interval', 1, 86_400, false),
    duration: number('duration', 1, 7 * 86_400, false),
    mode,
    mqttUrl: values['mqtt-url'],
    seed: number('seed', 0, 2 ** 32 - 1),
    create: values.create,
    batchSize: number('batch-size', 1, HEARTBEAT_LIMITS.batchMax),
    flushMs: number('flush-ms', 10, 600_000),
    connections: values.connections === undefined ? (mode === 'mqtt' ? 4 : 64) : number('connections', 1, 10_000),
    failureRate: values['failure-rate'] === undefined ? null : number('failure-rate', 0, 1, false),
    simulation: { acceleration: number('acceleration', 0, 1e9, false), lossRate: number('loss', 0, 1, false) },
  };
}

/** JSON over keep-alive sockets; resolves with status, headers and parsed body whatever the status. */
function client(base, sockets) {
  const transport = base.protocol === 'https:' ? https : http;
  const agent = new transport.Agent({ keepAlive: true, maxSockets: sockets });
  const call = (method, path, { token, body } = {}) =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      const headers = { accept: 'application/json' };
      if (token) headers.authorization = `Bearer ${token}`;
      if (payload !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
      const request = transport.request(new URL(path, base), { method, agent, headers }, (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed;
          try {
            parsed = text ? JSON.parse(text) : null;
          } catch {
            parsed = { message: text.slice(0, 200) };
          }
          resolve({ status: response.statusCode, headers: response.headers, body: parsed });
        });
        response.on('error', reject);
      });
      request.on('error', reject);
      request.setTimeout(60_000, () => request.destroy(new Error(`${method} ${path}: no answer within 60 s`)));
      request.end(payload);
    });
  return { call, close: () => agent.destroy() };
}

/** An admin call that must succeed, else the run stops with the API's answer. */
async function expect(api, method, path, options) {
  const reply = await api.call(method, path, options);
  if (reply.status !== 200 && reply.status !== 201) throw new Error(`${method} ${path}: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply;
}

/** Runs `work` over `items`, `limit` at a time, reporting progress every 5 s. */
async function mapLimit(items, limit, work, label) {
  const results = new Array(items.length);
  const started = Date.now();
  let next = 0;
  let done = 0;
  let reported = started;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
      done++;
      if (Date.now() - reported > 5_000) {
        reported = Date.now();
        console.log(`  ${label}: ${done}/${items.length}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  console.log(`${label}: ${items.length} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return results;
}

/** Pages (of 200) of a list endpoint until `limit` items. */
async function listAll(api, token, path, limit) {
  const items = [];
  for (let page = 1; items.length < limit; page++) {
    const { body } = await expect(api, 'GET', `${path}&pageSize=200&page=${page}`, { token });
    items.push(...body.items);
    if (body.items.length < 200) break;
  }
  return items.slice(0, limit);
}

async function findOrCreate(api, token, path, name, body) {
  const found = (await expect(api, 'GET', path, { token })).body.find((item) => item.name === name);
  return found ?? (await expect(api, 'POST', path, { token, body: { name, ...body } })).body;
}

/**
 * The simulator's own terminals, serials SIM-S<seed>-<n>, in region SIM's
 * branches with a model per category: those already there are reused, the
 * missing ones created, so --create can be given again.
 */
async function createTerminals(api, token, count, seed) {
  const supplier = await findOrCreate(api, token, '/api/v1/suppliers', 'Simulator supplier', {});
  const models = [];
  for (const category of CATEGORIES) models.push(await findOrCreate(api, token, '/api/v1/models', `Simulator ${category}`, { manufacturer: 'Simulator', category, defaultWarrantyMonths: 24 }));
  const byCode = new Map((await expect(api, 'GET', '/api/v1/regions', { token })).body.map((region) => [region.code, region]));
  const root = byCode.get('SIM') ?? (await expect(api, 'POST', '/api/v1/regions', { token, body: { code: 'SIM', name: 'Simulator' } })).body;
  const branches = [];
  for (let b = 1; b <= BRANCHES; b++) {
    const code = `SIMB${b}`;
    branches.push(byCode.get(code) ?? (await expect(api, 'POST', '/api/v1/regions', { token, body: { code, name: `Simulator branch ${b}`, parentId: root.id } })).body);
  }
  const prefix = `SIM-S${seed}-`;
  const existing = await listAll(api, token, `/api/v1/terminals?status=deployed&sort=serialNumber&q=${encodeURIComponent(prefix)}`, count);
  const have = new Set(existing.map((terminal) => terminal.serialNumber));
  const missing = [];
  for (let n = 0; have.size + missing.length < count; n++) {
    const serialNumber = `${prefix}${String(n).padStart(7, '0')}`;
    if (!have.has(serialNumber)) missing.push({ n, serialNumber });
  }
  console.log(`${existing.length} simulator terminals found, ${missing.length} to create`);
  const created = await mapLimit(
    missing,
    ADMIN_CONCURRENCY,
    async ({ n, serialNumber }) => {
      const body = { serialNumber, modelId: models[n % models.length].id, supplierId: supplier.id, regionId: branches[n % branches.length].id, status: 'deployed' };
      return (await expect(api, 'POST', '/api/v1/terminals', { token, body })).body;
    },
    'terminals created',
  );
  return [...existing, ...created];
}

/** One gateway per root region of the simulated terminals (it may report for the whole sub-tree). */
async function gatewayTokens(api, token, terminals) {
  const regions = new Map((await expect(api, 'GET', '/api/v1/regions', { token })).body.map((region) => [region.id, region]));
  const rootOf = (id) => {
    let region = regions.get(id);
    while (region && region.parentId !== null) region = regions.get(region.parentId);
    if (!region) throw new Error(`region ${id} not found`);
    return region;
  };
  const byRoot = new Map();
  const tokens = new Map();
  for (const terminal of terminals) {
    const root = rootOf(terminal.region.id);
    if (!byRoot.has(root.id)) {
      byRoot.set(root.id, (await expect(api, 'POST', '/api/v1/gateways', { token, body: { name: `Simulator gateway ${root.code}`, regionId: root.id } })).body.token);
      console.log(`gateway issued for region ${root.code} and its sub-regions`);
    }
    tokens.set(terminal.id, byRoot.get(root.id));
  }
  return tokens;
}

/** A credential per terminal; issuing one revokes the terminal's previous one (rotation). */
async function terminalTokens(api, token, terminals) {
  const issued = await mapLimit(terminals, ADMIN_CONCURRENCY, async (terminal) => (await expect(api, 'POST', `/api/v1/terminals/${terminal.id}/credentials`, { token })).body.token, 'credentials issued');
  return new Map(terminals.map((terminal, index) => [terminal.id, issued[index]]));
}

/** Counters of a run; `waiting` counts heartbeats sent and not answered yet. */
function tally() {
  return { sent: 0, accepted: 0, duplicates: 0, refused: 0, retried: 0, errors: 0, silent: 0, waiting: 0, unsent: 0, requests: 0, latencies: [], errorSamples: new Map() };
}

function noteError(stats, count, message) {
  stats.errors += count;
  stats.errorSamples.set(message, (stats.errorSamples.get(message) ?? 0) + count);
}

/**
 * HTTP: one heartbeat per request, or per gateway a batch posted when full
 * or every --flush-ms. A 503 is retried, same heartbeats, after Retry-After.
 */
function httpSender(api, stats, tokens, config, retryLater) {
  const pending = new Map(); // gateway token → heartbeats of the next batch
  let lastFlush = Date.now();
  const post = async (path, token, heartbeats, body) => {
    const started = performance.now();
    stats.requests++;
    stats.waiting += heartbeats.length;
    try {
      const reply = await api.call('POST', path, { token, body });
      stats.latencies.push(performance.now() - started);
      if (reply.status === 200) {
        stats.accepted += reply.body.accepted;
        stats.duplicates += reply.body.duplicates;
      } else if (reply.status === 503) {
        stats.refused += heartbeats.length;
        const seconds = Number(reply.headers['retry-after']) || 1;
        retryLater(Date.now() + seconds * 1000, heartbeats.length, () => {
          stats.retried += heartbeats.length;
          return post(path, token, heartbeats, body);
        });
      } else {
        noteError(stats, heartbeats.length, `${reply.status} ${reply.body?.code ?? ''} ${reply.body?.message ?? ''}`.slice(0, 160));
      }
    } catch (error) {
      noteError(stats, heartbeats.length, error.message);
    } finally {
      stats.waiting -= heartbeats.length;
    }
  };
  const postBatch = (token, heartbeats) => post('/api/v1/heartbeats/batch', token, heartbeats, JSON.stringify({ heartbeats }));
  const flush = () => {
    lastFlush = Date.now();
    const posts = [];
    for (const [token, heartbeats] of pending) if (heartbeats.length > 0) posts.push(postBatch(token, heartbeats));
    pending.clear();
    return posts;
  };
  return {
    send(heartbeat) {
      const token = tokens.get(heartbeat.terminalId);
      if (config.mode === 'http') return post('/api/v1/heartbeats', token, [heartbeat], JSON.stringify(heartbeat));
      const waiting = pending.get(token) ?? [];
      waiting.push(heartbeat);
      if (waiting.length < config.batchSize) {
        pending.set(token, waiting);
        return undefined;
      }
      pending.delete(token);
      return postBatch(token, waiting);
    },
    tick: () => (config.mode === 'batch' && Date.now() - lastFlush >= config.flushMs ? flush() : []),
    finish: () => (config.mode === 'batch' ? flush() : []),
    close: async () => api.close(),
  };
}

/**
 * MQTT: QoS 1 on fleet/terminals/{id}/heartbeats over a few connections.
 * The broker's PUBACK means the broker has the message, not that the API
 * stored it (the API acknowledges the broker only once durable).
 */
async function mqttSender(stats, tokens, config) {
  const { connectAsync } = await import('mqtt');
  const clients = [];
  for (let n = 0; n < config.connections; n++) {
    clients.push(await connectAsync(config.mqttUrl, { clientId: `fleet-simulator-${process.pid}-${n}`, clean: true, reconnectPeriod: 1_000, connectTimeout: 10_000 }));
  }
  let next = 0;
  return {
    async send(heartbeat) {
      const connection = clients[next++ % clients.length];
      const started = performance.now();
      stats.requests++;
      stats.waiting++;
      try {
        await connection.publishAsync(`fleet/terminals/${heartbeat.terminalId}/heartbeats`, JSON.stringify({ token: tokens.get(heartbeat.terminalId), heartbeat }), { qos: 1 });
        stats.latencies.push(performance.now() - started);
        stats.accepted++;
      } catch (error) {
        noteError(stats, 1, error.message);
      } finally {
        stats.waiting--;
      }
    },
    tick: () => [],
    finish: () => [],
    close: () => Promise.all(clients.map((connection) => connection.endAsync())),
  };
}

function percentile(sorted, p) {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * p) - 1))];
}

function summary(stats, config, seconds, count) {
  const sorted = Float64Array.from(stats.latencies).sort();
  const mqtt = config.mode === 'mqtt';
  const rows = [
    ['run', `${config.mode}, ${count} terminals every ${config.interval} s, ${seconds.toFixed(1)} s, seed ${config.seed}`],
    ['heartbeats sent', stats.sent],
    [mqtt ? 'acknowledged by the broker (PUBACK)' : 'accepted (stored)', stats.accepted],
    ['duplicates', mqtt ? 'n/a' : stats.duplicates],
    ['refused 503 (heartbeats; sent again after Retry-After)', mqtt ? 'n/a' : stats.refused],
    ['sent again', stats.retried],
    ['errors (heartbeats)', stats.errors],
    ['not stored at the end (retry pending or no answer)', stats.unsent],
    ['silent (terminal down or heartbeat lost, simulated)', stats.silent],
    [mqtt ? 'publishes' : 'requests', stats.requests],
    [mqtt ? 'acknowledged heartbeats/s' : 'stored heartbeats/s', (stats.accepted / seconds).toFixed(1)],
    [`${mqtt ? 'PUBACK' : 'answer'} latency p50 (ms)`, percentile(sorted, 0.5).toFixed(1)],
    [`${mqtt ? 'PUBACK' : 'answer'} latency p99 (ms)`, percentile(sorted, 0.99).toFixed(1)],
  ];
  console.log('\n| figure | value |\n|---|---|');
  for (const [name, value] of rows) console.log(`| ${name} | ${value} |`);
  for (const [message, n] of stats.errorSamples) console.log(`error ×${n}: ${message}`);
}

async function main() {
  const config = options();
  const api = client(config.url, config.connections);
  const login = await expect(api, 'POST', '/api/v1/auth/login', { body: { username: config.username, password: config.password } });
  const token = login.body.accessToken;

  const terminals = config.create
    ? await createTerminals(api, token, config.terminals, config.seed)
    : await listAll(api, token, '/api/v1/terminals?status=deployed&sort=assetNumber', config.terminals);
  if (terminals.length < config.terminals) throw new Error(`only ${terminals.length} deployed terminals; add --create to create the simulator's own`);
  const tokens = config.mode === 'batch' ? await gatewayTokens(api, token, terminals) : await terminalTokens(api, token, terminals);

  // A random stream per terminal: its behaviour depends on the seed and its rank only, never on timing.
  const simulated = terminals.map((terminal, rank) => {
    const random = seededRandom((config.seed * 1_000_003 + rank) >>> 0);
    const version = (value, fallback) => (value && VERSION.test(value) ? value : fallback);
    const model = {
      annualFailureRate: config.failureRate ?? FAILURE_RATE_BY_CATEGORY[terminal.category] ?? 0.05,
      firmwareVersion: version(terminal.firmwareVersion, '2.4.0'),
      appVersion: version(terminal.appVersion, '3.2.0'),
    };
    return { random, state: simulatedTerminal(terminal.id, terminal.category, random, model) };
  });

  const stats = tally();
  const retries = [];
  const inFlight = new Set();
  const track = (promise) => {
    if (!promise) return;
    inFlight.add(promise);
    promise.finally(() => inFlight.delete(promise));
  };
  const retryLater = (at, heartbeats, again) => retries.push({ at, heartbeats, again });
  const sender = config.mode === 'mqtt' ? await mqttSender(stats, tokens, config) : httpSender(api, stats, tokens, config, retryLater);

  const count = simulated.length;
  const spacingMs = (config.interval * 1000) / count;
  const start = Date.now() + 500;
  let end = start + config.duration * 1000;
  process.once('SIGINT', () => {
    console.log('\ninterrupted: stopping, waiting for the answers');
    end = Math.min(end, Date.now());
  });
  console.log(`${count} terminals (${config.mode}) for ${config.duration} s, each every ${config.interval} s: ${(count / config.interval).toFixed(1)} heartbeats/s`);

  // Send k goes to terminal k mod N at start + k × spacing; the terminal's clock is that time, not when the tick ran.
  let k = 0;
  await new Promise((resolve) => {
    const timer = setInterval(() => {
      const now = Date.now();
      for (let due = start + k * spacingMs; due <= Math.min(now, end); due = start + ++k * spacingMs) {
        const terminal = simulated[k % count];
        const heartbeat = nextHeartbeat(terminal.state, Math.round(due), config.interval, terminal.random, config.simulation);
        if (!heartbeat) {
          stats.silent++;
          continue;
        }
        stats.sent++;
        track(sender.send(heartbeat));
      }
      for (let i = retries.length - 1; i >= 0; i--) {
        if (retries[i].at > Math.min(now, end)) continue;
        track(retries[i].again());
        retries.splice(i, 1);
      }
      for (const post of sender.tick()) track(post);
      if (now >= end) {
        clearInterval(timer);
        for (const post of sender.finish()) track(post);
        resolve();
      }
    }, TICK_MS);
  });

  await Promise.race([Promise.all(inFlight), new Promise((resolve) => setTimeout(resolve, DRAIN_MS).unref())]);
  stats.unsent = retries.reduce((sum, retry) => sum + retry.heartbeats, 0) + stats.waiting;
  summary(stats, config, Math.max(0.001, (Math.min(Date.now(), end) - start) / 1000), count);
  await sender.close();
  api.close();
}

main().catch((error) => {
  console.error(`simulate: ${error.message}`);
  process.exit(1);
});
