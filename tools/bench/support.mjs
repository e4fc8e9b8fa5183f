// What the benchmarks share: starting the built API on loopback, and seeding
// an embedded database with a fleet through the raw driver.
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
export const STATUSES = ['deployed', 'deployed', 'deployed', 'deployed', 'deployed', 'deployed', 'in_stock', 'spare', 'in_repair', 'retired'];
const CATEGORIES = ['desktop', 'mobile', 'smart', 'mpos'];

export function rng(seed) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function startApi(dataDir, PORT, PASSWORD, env = {}) {
  const child = spawn(process.execPath, [join(root, 'dist/apps/api/main.js')], {
    env: { ...process.env, PORT: String(PORT), HOST: '127.0.0.1', DATA_DIR: dataDir, DEMO: 'off', ADMIN_PASSWORD: PASSWORD, LOG_LEVEL: 'warn', LOGIN_RATE_LIMIT: '1000', ...env },
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

export async function stopApi(child) {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** Fills a migrated SQLite database with regions, catalog, merchants and `count` terminals (60% deployed), through the raw driver. */
export function seedSqlite(dbPath, count) {
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

