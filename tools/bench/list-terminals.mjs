#!/usr/bin/env node
// Terminal list and filter latency at fleet scale, through the API (HTTP,
// NestJS, TypeORM) next to the same queries run straight on the raw
// better-sqlite3 driver in the same process tree. Prints medians, p90s and the
// API/raw ratio, and the query plan of each raw query (index use).
//
//   npx nx run-many -t build -p shared,api && node tools/bench/list-terminals.mjs 100000 1000000
//
// Bounded: each query runs ROUNDS times; the API listens on 127.0.0.1 only.
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const root = new URL('../..', import.meta.url).pathname;
const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const ROUNDS = 15;
const PORT = 39123;
const PASSWORD = 'bench-password-123';
const STATUSES = ['deployed', 'deployed', 'deployed', 'deployed', 'deployed', 'deployed', 'in_stock', 'spare', 'in_repair', 'retired'];
const CATEGORIES = ['desktop', 'mobile', 'smart', 'mpos'];

function rng(seed) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function startApi(dataDir) {
  const child = spawn(process.execPath, [join(root, 'dist/apps/api/main.js')], {
    env: { ...process.env, PORT: String(PORT), HOST: '127.0.0.1', DATA_DIR: dataDir, DEMO: 'off', ADMIN_PASSWORD: PASSWORD, LOG_LEVEL: 'warn', LOGIN_RATE_LIMIT: '1000' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${PORT}/api/health`)).ok) return child;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  child.kill();
  throw new Error('API did not start');
}

async function stopApi(child) {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

function seed(dbPath, count) {
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  const random = rng(42);
  const now = new Date().toISOString();
  const insertRegion = db.prepare('INSERT INTO regions (code, name, parent_id, path, depth, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?)');
  const leaves = [];
  db.transaction(() => {
    for (const province of ['BJ', 'SH', 'GD', 'ZJ', 'JS', 'SC']) {
      const { lastInsertRowid: pid } = insertRegion.run(province, province, null, '', 0, now, now);
      db.prepare('UPDATE regions SET path = ? WHERE id = ?').run(`/${pid}/`, pid);
      for (let b = 1; b <= 4; b++) {
        const { lastInsertRowid: id } = insertRegion.run(`${province}B${b}`, `${province} branch ${b}`, pid, '', 1, now, now);
        db.prepare('UPDATE regions SET path = ? WHERE id = ?').run(`/${pid}/${id}/`, id);
        leaves.push({ id: Number(id), code: `${province}B${b}`, seq: 0 });
      }
    }
    for (let s = 1; s <= 5; s++) db.prepare('INSERT INTO suppliers (name, version, created_at, updated_at) VALUES (?, 1, ?, ?)').run(`Supplier ${s}`, now, now);
    for (let m = 1; m <= 10; m++) {
      db.prepare('INSERT INTO models (name, manufacturer, category, currency, default_warranty_months, version, created_at, updated_at) VALUES (?, ?, ?, ?, 24, 1, ?, ?)').run(`Model ${m}`, `Maker ${m % 5}`, CATEGORIES[m % 4], 'CNY', now, now);
    }
    const insertMerchant = db.prepare('INSERT INTO merchants (name, region_id, version, created_at, updated_at) VALUES (?, ?, 1, ?, ?)');
    for (let i = 0; i < Math.max(100, count / 20); i++) insertMerchant.run(`Merchant ${i} shop`, leaves[i % leaves.length].id, now, now);
  })();
  const merchants = Math.max(100, count / 20);
  const insert = db.prepare(
    `INSERT INTO terminals (asset_number, serial_number, model_id, supplier_id, category, region_id, merchant_id, status, purchase_date, purchase_price, currency, warranty_start, warranty_end, version, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 2000, 'CNY', ?, ?, 1, ?, ?)`,
  );
  const batch = db.transaction((from, to) => {
    for (let i = from; i < to; i++) {
      const leaf = leaves[Math.floor(random() * leaves.length)];
      leaf.seq++;
      const model = 1 + Math.floor(random() * 10);
      const day = new Date(Date.now() - Math.floor(random() * 6 * 365) * 86_400_000).toISOString().slice(0, 10);
      const end = new Date(new Date(day).getTime() + 730 * 86_400_000).toISOString().slice(0, 10);
      const status = STATUSES[Math.floor(random() * STATUSES.length)];
      insert.run(`POS-${leaf.code}-${String(leaf.seq).padStart(6, '0')}`, `SN${String(i).padStart(9, '0')}`, model, 1 + (model % 5), CATEGORIES[model % 4], leaf.id, status === 'deployed' ? 1 + Math.floor(random() * merchants) : null, status, day, day, end, now, now);
    }
  });
  for (let from = 0; from < count; from += 50_000) batch(from, Math.min(count, from + 50_000));
  for (const leaf of leaves) db.prepare('INSERT INTO asset_sequences (region_id, last_value) VALUES (?, ?)').run(leaf.id, leaf.seq);
  db.exec('ANALYZE');
  db.close();
}

const stats = (samples) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], p90: sorted[Math.floor(sorted.length * 0.9)] };
};

const JOINS = `LEFT JOIN models m ON m.id = t.model_id LEFT JOIN suppliers s ON s.id = t.supplier_id LEFT JOIN regions r ON r.id = t.region_id
  LEFT JOIN merchants mc ON mc.id = t.merchant_id LEFT JOIN insurance_policies p ON p.id = t.insurance_policy_id`;

function cases(today, in30) {
  return [
    { name: 'first page, by asset number', query: '', where: '1=1', params: [], order: 't.asset_number' },
    { name: 'status=deployed', query: 'status=deployed', where: "t.status IN ('deployed')", params: [], order: 't.asset_number' },
    { name: 'region (with branches) + status', query: 'regionId=1&status=in_repair', where: "t.region_id IN (SELECT id FROM regions WHERE path >= '/1/' AND path < '/10') AND t.status IN ('in_repair')", params: [], order: 't.asset_number' },
    { name: 'model, sorted by warranty end', query: 'modelId=3&sort=warrantyEnd', where: 't.model_id = 3', params: [], order: 't.warranty_end' },
    { name: 'warranty ending within 30 days', query: 'warrantyEndingWithinDays=30', where: 't.warranty_end >= ? AND t.warranty_end <= ?', params: [today, in30], order: 't.asset_number' },
    { name: 'search serial prefix', query: 'q=SN00000123', where: "((t.asset_number >= 'SN00000123' AND t.asset_number < 'SN00000124') OR (t.serial_number >= 'SN00000123' AND t.serial_number < 'SN00000124') OR t.merchant_id IN (SELECT id FROM merchants WHERE LOWER(name) LIKE '%sn00000123%'))", params: [], order: 't.asset_number' },
    { name: 'page 200 of everything', query: 'page=200', where: '1=1', params: [], order: 't.asset_number', offset: 199 * 25 },
  ];
}

for (const size of sizes) {
  const dataDir = mkdtempSync(join(tmpdir(), 'fleet-bench-'));
  const dbPath = join(dataDir, 'fleet.sqlite');
  try {
    await stopApi(await startApi(dataDir)); // migrations
    const seedStart = performance.now();
    seed(dbPath, size);
    console.log(`\n## ${size.toLocaleString('en')} terminals (seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s)\n`);
    const api = await startApi(dataDir);
    const login = await (await fetch(`http://127.0.0.1:${PORT}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) })).json();
    const headers = { authorization: `Bearer ${login.accessToken}` };
    const raw = new Database(dbPath, { readonly: true });
    const today = new Date().toISOString().slice(0, 10);
    const in30 = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    console.log('| query | total | API median (ms) | API p90 | raw driver median (ms) | ratio API/raw | plan |');
    console.log('|---|---|---|---|---|---|---|');
    for (const c of cases(today, in30)) {
      const offset = c.offset ?? 0;
      const countSql = `SELECT COUNT(*) AS n FROM terminals t WHERE ${c.where}`;
      const pageSql = `SELECT t.*, m.name, s.name, r.code, mc.name, p.policy_number FROM terminals t ${JOINS} WHERE t.id IN (SELECT t.id FROM terminals t WHERE ${c.where} ORDER BY ${c.order}, t.id LIMIT 25 OFFSET ${offset})`;
      const countStmt = raw.prepare(countSql);
      const pageStmt = raw.prepare(pageSql);
      const rawSamples = [];
      const apiSamples = [];
      let total = 0;
      for (let i = 0; i < ROUNDS; i++) {
        let t0 = performance.now();
        const response = await fetch(`http://127.0.0.1:${PORT}/api/v1/terminals?${c.query}`, { headers });
        const body = await response.json();
        apiSamples.push(performance.now() - t0);
        total = body.total;
        t0 = performance.now();
        countStmt.get(...c.params);
        pageStmt.all(...c.params);
        rawSamples.push(performance.now() - t0);
      }
      const plan = raw
        .prepare(`EXPLAIN QUERY PLAN SELECT t.id FROM terminals t WHERE ${c.where} ORDER BY ${c.order}, t.id LIMIT 25`)
        .all(...c.params)
        .map((row) => row.detail)
        .filter((d) => /USING|SCAN/.test(d))
        .join('; ')
        .replace(/\|/g, '/');
      const a = stats(apiSamples);
      const r = stats(rawSamples);
      console.log(`| ${c.name} | ${total} | ${a.median.toFixed(1)} | ${a.p90.toFixed(1)} | ${r.median.toFixed(1)} | ${(a.median / r.median).toFixed(2)} | ${plan} |`);
    }
    raw.close();
    await stopApi(api);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
