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
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { seedSqlite, startApi as start, stopApi } from './support.mjs';

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const ROUNDS = 15;
const PORT = 39123;
const PASSWORD = 'bench-password-123';
const startApi = (dataDir) => start(dataDir, PORT, PASSWORD);
const seed = seedSqlite;

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
