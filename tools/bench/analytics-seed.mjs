/**
 * The fleet of analytics.mjs, written straight into a SQLite database the API
 * has migrated (better-sqlite3, prepared statements, one transaction per
 * chunk): 30 provinces of 10 branches, 10 models with planted failure rates,
 * 5 suppliers, purchase batches of one model from one supplier delivered to
 * one province's branches over 3 years, their in-service spans (one, or two
 * when a firmware upgrade or a move split the history), fault tickets over
 * the whole history with their steps, and cost lines with warranty and
 * insurance claims. The rollup's job_state is set so its first run rebuilds
 * every month (no audit entries are written: the spans are the history).
 */
import Database from 'better-sqlite3';
import { performance } from 'node:perf_hooks';
import { rng } from './support.mjs';

const DAY = 86_400_000;
const YEAR = 365.25 * DAY;
const HOUR = 3_600_000;
const PROVINCES = 30;
const BRANCHES = 10;
const CATEGORIES = ['desktop', 'mobile', 'smart', 'mpos'];
/** Planted failures per 100 terminal-years, by model (model i+1); early life (first 90 days) twice that, and models 8–10 wear out (×1.6 after two years). */
export const PLANTED_RATES = [3, 4, 5, 6, 7, 8, 9, 11, 13, 15];
const SYMPTOMS = ['wont_boot', 'transaction_errors', 'error_code', 'screen', 'keys_touch', 'card_reader', 'printer', 'network', 'battery', 'physical_damage'];
const CAUSES = ['quality_defect', 'quality_defect', 'quality_defect', 'environment', 'power', 'software', 'installation', 'wear', 'wear', 'misuse'];
const PRIORITIES = ['urgent', 'high', 'normal', 'normal', 'normal', 'low'];
const OPEN_STAGES = ['reported', 'diagnosing', 'awaiting_repair', 'at_repair', 'testing'];
const VENDORS = ['Vendor Alpha', 'Vendor Beta', 'Vendor Gamma', 'Vendor Delta', 'Vendor Epsilon', 'Vendor Zeta'];
const CHUNK = 20_000;

/** A timestamp as TypeORM writes it into SQLite: UTC, 'YYYY-MM-DD HH:MM:SS.SSS'. */
const ts = (ms) => {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
};
const day = (ms) => new Date(ms).toISOString().slice(0, 10);

export function seedAnalyticsFleet(dbPath, { terminals: count, now = Date.now(), seed = 7 }) {
  const started = performance.now();
  const random = rng(seed);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const between = (lo, hi) => lo + random() * (hi - lo);
  const poisson = (mean) => {
    const limit = Math.exp(-mean);
    let k = 0;
    for (let p = random(); p > limit; p *= random()) k++;
    return k;
  };
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -1000000');
  const stamp = ts(now);

  // ---- reference data: regions, catalog, policies, merchants, technicians
  const provinces = [];
  const leaves = [];
  const models = [];
  const suppliers = [];
  db.transaction(() => {
    const region = db.prepare('INSERT INTO regions (code, name, parent_id, path, depth, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?)');
    const setPath = db.prepare('UPDATE regions SET path = ? WHERE id = ?');
    for (let p = 1; p <= PROVINCES; p++) {
      const code = `P${String(p).padStart(2, '0')}`;
      const id = Number(region.run(code, `Province ${p}`, null, '', 0, stamp, stamp).lastInsertRowid);
      setPath.run(`/${id}/`, id);
      const province = { id, code, path: `/${id}/`, leaves: [] };
      for (let b = 1; b <= BRANCHES; b++) {
        const leafCode = `${code}C${String(b).padStart(2, '0')}`;
        const leafId = Number(region.run(leafCode, `Province ${p} branch ${b}`, id, '', 1, stamp, stamp).lastInsertRowid);
        setPath.run(`/${id}/${leafId}/`, leafId);
        const leaf = { id: leafId, code: leafCode, province, seq: 0, merchants: [] };
        province.leaves.push(leaf);
        leaves.push(leaf);
      }
      provinces.push(province);
    }
    const supplier = db.prepare('INSERT INTO suppliers (name, contact_name, support_response_hours, version, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)');
    for (let s = 1; s <= 5; s++) suppliers.push({ id: Number(supplier.run(`Supplier ${s}`, `Contact ${s}`, 24 * s, stamp, stamp).lastInsertRowid), name: `Supplier ${s}` });
    const model = db.prepare(
      'INSERT INTO models (name, manufacturer, category, list_price, currency, default_warranty_months, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)',
    );
    for (let m = 1; m <= 10; m++) {
      const listPrice = 800 + 300 * m;
      const warrantyMonths = [12, 24, 36][m % 3];
      const id = Number(model.run(`Model ${String(m).padStart(2, '0')}`, `Maker ${1 + (m % 4)}`, CATEGORIES[m % 4], listPrice, 'CNY', warrantyMonths, stamp, stamp).lastInsertRowid);
      // Firmware releases: 1.0 from the start, 1.1 about 20 months ago, 2.0 about 7 months ago.
      const firmware = [
        { version: `M${m}-1.0`, at: now - 4 * YEAR },
        { version: `M${m}-1.1`, at: now - between(550, 650) * DAY },
        { version: `M${m}-2.0`, at: now - between(180, 240) * DAY },
      ];
      models.push({ id, listPrice, warrantyMonths, rate: PLANTED_RATES[m - 1] / 100, wearOut: m >= 8, firmware, suppliers: [suppliers[m % 5], suppliers[(m + 2) % 5]] });
    }
    const policy = db.prepare('INSERT INTO insurance_policies (insurer, policy_number, premium, currency, start_date, end_date, version, created_at, updated_at) VALUES (?, ?, 0, ?, ?, ?, 1, ?, ?)');
    for (const province of provinces) {
      province.policyId = Number(policy.run(`Insurer ${1 + (province.id % 3)}`, `POL-${province.code}-${new Date(now).getUTCFullYear()}`, 'CNY', day(now - 200 * DAY), day(now + 165 * DAY), stamp, stamp).lastInsertRowid);
      province.insured = 0;
    }
    const merchant = db.prepare('INSERT INTO merchants (name, region_id, version, created_at, updated_at) VALUES (?, ?, 1, ?, ?)');
    const merchantsPerLeaf = Math.max(5, Math.round(count / 20 / leaves.length));
    for (const leaf of leaves) for (let i = 0; i < merchantsPerLeaf; i++) leaf.merchants.push(Number(merchant.run(`Merchant ${leaf.code}-${i}`, leaf.id, stamp, stamp).lastInsertRowid));
    const user = db.prepare("INSERT INTO users (username, display_name, password_hash, role, active, region_id, version, created_at, updated_at) VALUES (?, ?, '!', 'technician', 1, ?, 1, ?, ?)");
    for (const province of provinces) {
      province.technicians = [1, 2].map((n) => Number(user.run(`tech-${province.code}-${n}`, `Technician ${province.code}-${n}`, province.id, stamp, stamp).lastInsertRowid));
    }
  })();

  // ---- terminals, spans, tickets, costs, in chunks
  const insertTerminal = db.prepare(
    `INSERT INTO terminals (asset_number, serial_number, model_id, supplier_id, category, region_id, merchant_id, status, purchase_date, purchase_price, currency, batch, firmware_version,
       warranty_start, warranty_end, insurance_policy_id, version, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'CNY', ?, ?, ?, ?, ?, 1, ?, ?)`,
  );
  const insertSpan = db.prepare('INSERT INTO terminal_service_spans (terminal_id, started_ms, ended_ms, region_id, firmware_version) VALUES (?, ?, ?, ?, ?)');
  const insertIncident = db.prepare(
    `INSERT INTO incidents (terminal_id, open_terminal_id, region_id, model_id, supplier_id, merchant_id, firmware_version, stage, priority, source, alarm, reporter_name, assignee_id,
       symptom, description, occurred_at, reported_at, responded_at, fault_type, cause, diagnosis_mode, responsibility, diagnosed_at, diagnosed_by, decision, repair_quote,
       repair_vendor, shipped_at, returned_at, spare_lent_at, test_attempts, restored_at, resolved_at, resolution, closed_at, reopen_count, version, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'bench', ?, ?, 'Generated by tools/bench/analytics.mjs', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
  );
  const insertCost = db.prepare(
    `INSERT INTO incident_costs (incident_id, kind, amount, currency, payer, claim_reference, claim_status, claimed_amount, approved_amount, paid_amount, version, created_at, updated_at)
     VALUES (?, ?, ?, 'CNY', ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
  );

  const totals = { terminals: 0, spans: 0, incidents: 0, failures: 0, openIncidents: 0, costs: 0, claims: 0, batches: 0, byStatus: {} };
  let batch = null;
  let serial = 0;
  let sampleTerminal = null;
  const nextBatch = () => {
    const model = pick(models);
    const province = pick(provinces);
    const purchasedAt = now - Math.floor(random() * 3 * 365) * DAY;
    totals.batches++;
    return {
      left: Math.round(between(1_000, 6_000)),
      label: `PO-${new Date(purchasedAt).getUTCFullYear()}-${String(totals.batches).padStart(4, '0')}`,
      model,
      supplier: pick(model.suppliers),
      province,
      purchasedAt,
      price: Math.round(model.listPrice * between(0.85, 1.0)),
      insured: random() < 0.35,
    };
  };
  const firmwareAt = (model, at) => model.firmware.filter((f) => f.at <= at).at(-1).version;
  const failureFactor = (model, ageDays) => (ageDays < 90 ? 2 : model.wearOut && ageDays > 730 ? 1.6 : 1);

  const writeTicket = (unit, span, reportedAt, failure, openAllowed) => {
    const { model, province } = unit;
    const open = openAllowed && reportedAt > now - 12 * DAY;
    const technician = pick(province.technicians);
    const source = random() < 0.2 ? 'alarm' : 'user';
    const alarm = source === 'alarm' ? pick(['offline', 'recurring_error']) : null;
    const occurredAt = reportedAt - random() * 6 * HOUR;
    const respondedAt = Math.min(reportedAt + between(0.5, 8) * HOUR, now - 60_000);
    let row;
    if (!failure) {
      const resolution = pick(['no_fault_found', 'no_fault_found', 'duplicate', 'cancelled']);
      const closedAt = Math.min(respondedAt + between(1, 24) * HOUR, now - 30_000);
      row = { stage: 'closed', respondedAt, cause: null, decision: null, resolution, closedAt, resolvedAt: closedAt, restoredAt: null };
    } else {
      const cause = random() < 0.95 ? pick(CAUSES) : null;
      const fixedFirst = random() < 0.3;
      const decision = fixedFirst ? null : pick(['supplier_rma', 'supplier_rma', 'supplier_rma', 'paid_repair', 'paid_repair', 'on_site_repair', 'on_site_repair', 'on_site_repair', 'replace', 'replace']);
      let shippedAt = null;
      let returnedAt = null;
      let resolvedAt;
      if (decision === null) resolvedAt = respondedAt;
      else if (decision === 'supplier_rma') {
        shippedAt = reportedAt + between(1, 3) * DAY;
        returnedAt = shippedAt + between(5, 25) * DAY;
        resolvedAt = returnedAt + between(2, 24) * HOUR;
      } else if (decision === 'paid_repair') resolvedAt = reportedAt + between(2, 10) * DAY;
      else if (decision === 'on_site_repair') resolvedAt = reportedAt + between(0.5, 3) * DAY;
      else resolvedAt = reportedAt + between(1, 5) * DAY;
      const spareLentAt = decision !== null && random() < 0.5 ? reportedAt + between(4, 48) * HOUR : null;
      const restoredAt = spareLentAt ?? resolvedAt;
      const closedAt = resolvedAt + between(1, 48) * HOUR;
      const vendor = decision === 'supplier_rma' ? unit.supplier.name : decision === 'paid_repair' ? pick(VENDORS) : null;
      row = {
        stage: 'closed',
        respondedAt,
        cause,
        decision,
        vendor,
        shippedAt,
        returnedAt,
        spareLentAt,
        restoredAt,
        resolvedAt,
        closedAt,
        resolution: decision === null ? 'fixed_on_first_response' : decision === 'replace' ? 'replaced' : 'repaired',
        testAttempts: decision === null ? 0 : random() < 0.1 ? 2 : 1,
      };
      if (closedAt >= now) {
        if (open) {
          // Still under way: the steps that have happened so far.
          const stage = pick(OPEN_STAGES);
          row = { ...row, stage, resolution: null, closedAt: null, resolvedAt: null, restoredAt: spareLentAt !== null && spareLentAt < now ? spareLentAt : null };
          if (returnedAt !== null && returnedAt >= now) row.returnedAt = null;
          if (shippedAt !== null && shippedAt >= now) row.shippedAt = null;
          if (row.spareLentAt !== null && row.spareLentAt >= now) row.spareLentAt = null;
        } else {
          // Squeeze the steps into the time there was.
          const squeeze = (t) => (t === null ? null : reportedAt + ((t - reportedAt) * (now - 60_000 - reportedAt)) / (closedAt - reportedAt));
          for (const key of ['shippedAt', 'returnedAt', 'spareLentAt', 'restoredAt', 'resolvedAt', 'closedAt']) row[key] = squeeze(row[key]);
          row.respondedAt = Math.min(row.respondedAt, row.closedAt);
        }
      }
    }
    const isOpen = row.closedAt === null;
    const diagnosedAt = row.cause !== null && row.respondedAt < now ? row.respondedAt + between(0.5, 4) * HOUR : null;
    const result = insertIncident.run(
      unit.id,
      isOpen ? unit.id : null,
      span.regionId,
      model.id,
      unit.supplier.id,
      unit.merchantId,
      span.firmware,
      row.stage,
      pick(PRIORITIES),
      source,
      alarm,
      technician,
      pick(SYMPTOMS),
      ts(occurredAt),
      ts(reportedAt),
      ts(row.respondedAt),
      row.cause === null ? null : row.cause === 'software' ? 'software' : 'hardware',
      row.cause,
      row.cause === null ? null : random() < 0.6 ? 'remote' : 'on_site',
      row.cause === null ? null : row.cause === 'quality_defect' || row.cause === 'wear' ? 'supplier' : row.cause === 'misuse' ? 'merchant' : 'bank',
      diagnosedAt === null || diagnosedAt >= now ? null : ts(diagnosedAt),
      diagnosedAt === null ? null : `tech-${province.code}-1`,
      row.decision,
      row.decision === 'paid_repair' ? Math.round(between(150, 900)) : null,
      row.vendor ?? null,
      row.shippedAt == null ? null : ts(row.shippedAt),
      row.returnedAt == null ? null : ts(row.returnedAt),
      row.spareLentAt == null ? null : ts(row.spareLentAt),
      row.testAttempts ?? 0,
      row.restoredAt == null ? null : ts(row.restoredAt),
      row.resolvedAt == null ? null : ts(row.resolvedAt),
      row.resolution,
      row.closedAt == null ? null : ts(row.closedAt),
      !isOpen && random() < 0.04 ? 1 : 0,
      ts(reportedAt),
      ts(row.closedAt ?? reportedAt),
    );
    totals.incidents++;
    if (failure) totals.failures++;
    if (isOpen) totals.openIncidents++;
    if (!isOpen && row.decision) writeCosts(Number(result.lastInsertRowid), unit, row, reportedAt);
    return isOpen;
  };

  const writeCosts = (incidentId, unit, row, reportedAt) => {
    const when = ts(row.closedAt);
    const inWarranty = reportedAt < unit.warrantyEndsAt;
    const claim = (payer, amount, prefix) => {
      const r = random();
      const status = row.closedAt < now - 60 * DAY ? (r < 0.7 ? 'paid' : r < 0.85 ? 'rejected' : 'approved') : r < 0.4 ? 'submitted' : r < 0.7 ? 'approved' : r < 0.85 ? 'paid' : 'rejected';
      const approved = status === 'approved' || status === 'paid' ? Math.round(amount * between(0.8, 1)) : null;
      insertCost.run(incidentId, 'parts', amount, payer, `${prefix}-${incidentId}`, status, amount, approved, status === 'paid' ? approved : null, when, when);
      totals.costs++;
      totals.claims++;
    };
    const amount = row.decision === 'replace' ? unit.price : Math.round(between(120, 1_200));
    if (row.decision === 'supplier_rma' && inWarranty) claim('supplier', amount, 'WC');
    else if (unit.insured && (row.cause === 'environment' || row.cause === 'power' || row.cause === 'misuse')) claim('insurer', amount, 'IC');
    else {
      insertCost.run(incidentId, row.decision === 'replace' ? 'replacement' : 'parts', amount, row.cause === 'misuse' ? 'merchant' : 'bank', null, null, null, null, null, when, when);
      totals.costs++;
    }
    if (row.decision !== 'on_site_repair' && random() < 0.6) {
      insertCost.run(incidentId, row.decision === 'on_site_repair' ? 'labour' : 'shipping', Math.round(between(20, 80)), 'bank', null, null, null, null, null, when, when);
      totals.costs++;
    }
  };

  const writeUnit = () => {
    if (!batch || batch.left === 0) batch = nextBatch();
    batch.left--;
    const { model, supplier, province } = batch;
    const leaf = pick(province.leaves);
    leaf.seq++;
    serial++;
    const purchasedAt = batch.purchasedAt;
    const deployedAt = purchasedAt + between(7, 60) * DAY;
    let status;
    const r = random();
    if (r < 0.9) status = 'deployed';
    else if (r < 0.93) status = 'in_stock';
    else if (r < 0.96) status = 'spare';
    else if (r < 0.97) status = 'in_repair';
    else status = 'retired';
    if (deployedAt >= now - DAY && status !== 'in_stock') status = 'in_stock';
    if (status === 'retired' && now - purchasedAt < YEAR) status = 'deployed';
    // The spans: [from, to) in service, one leaf and one firmware each.
    const spans = [];
    if (status === 'deployed' || status === 'in_repair' || status === 'retired' || (status === 'spare' && random() < 0.5)) {
      let end = null;
      if (status === 'retired' || status === 'spare') end = between(deployedAt + 30 * DAY, now - DAY);
      else if (status === 'in_repair') end = now - between(0.5, 10) * DAY;
      if (end !== null && end <= deployedAt) end = deployedAt + (now - deployedAt) / 2;
      const firmware = firmwareAt(model, deployedAt);
      const newer = model.firmware.find((f) => f.at > deployedAt && f.at < (end ?? now));
      const moved = random() < 0.05 && province.leaves.length > 1;
      if (newer && random() < 0.7) {
        const split = Math.min(newer.at + between(1, 90) * DAY, (end ?? now) - DAY);
        if (split > deployedAt) {
          spans.push({ from: deployedAt, to: split, regionId: leaf.id, firmware });
          spans.push({ from: split, to: end, regionId: leaf.id, firmware: newer.version });
        }
      } else if (moved) {
        const split = between(deployedAt, end ?? now);
        const before = province.leaves.find((l) => l !== leaf);
        spans.push({ from: deployedAt, to: split, regionId: before.id, firmware });
        spans.push({ from: split, to: end, regionId: leaf.id, firmware });
      }
      if (spans.length === 0) spans.push({ from: deployedAt, to: end, regionId: leaf.id, firmware });
    }
    const currentFirmware = spans.length > 0 ? spans.at(-1).firmware : firmwareAt(model, purchasedAt);
    const warrantyEndsAt = Date.UTC(new Date(purchasedAt).getUTCFullYear(), new Date(purchasedAt).getUTCMonth() + model.warrantyMonths, new Date(purchasedAt).getUTCDate());
    const insured = batch.insured && status !== 'retired';
    const merchantId = status === 'deployed' || status === 'in_repair' ? pick(leaf.merchants) : null;
    if (insured) province.insured++;
    const id = Number(
      insertTerminal.run(
        `POS-${leaf.code}-${String(leaf.seq).padStart(6, '0')}`,
        `SN${String(serial).padStart(9, '0')}`,
        model.id,
        supplier.id,
        CATEGORIES[model.id % 4],
        leaf.id,
        merchantId,
        status,
        day(purchasedAt),
        batch.price,
        batch.label,
        currentFirmware,
        day(purchasedAt),
        day(warrantyEndsAt),
        insured ? province.policyId : null,
        ts(purchasedAt),
        stamp,
      ).lastInsertRowid,
    );
    totals.terminals++;
    // The terminal of the repair-or-replace request: deployed, more than a year old.
    if (sampleTerminal === null && status === 'deployed' && now - purchasedAt > 400 * DAY) sampleTerminal = id;
    totals.byStatus[status] = (totals.byStatus[status] ?? 0) + 1;
    const unit = { id, model, supplier, province, merchantId, warrantyEndsAt, insured, price: batch.price };
    let hasOpen = false;
    for (const span of spans) {
      insertSpan.run(id, Math.round(span.from), span.to === null ? null : Math.round(span.to), span.regionId, span.firmware);
      totals.spans++;
      // Failures: a Poisson process at the model's rate × the age factor (thinning from twice the rate).
      const to = span.to ?? now;
      const candidates = poisson(model.rate * 2 * ((to - span.from) / YEAR));
      const times = [];
      for (let k = 0; k < candidates; k++) {
        const at = between(span.from, to);
        if (random() * 2 < failureFactor(model, (at - purchasedAt) / DAY)) times.push(at);
      }
      // About one ticket in ten is no fault found, a duplicate or cancelled.
      if (random() < 0.1 * model.rate * ((to - span.from) / YEAR)) times.push(-between(span.from, to));
      times.sort((a, b) => Math.abs(a) - Math.abs(b));
      for (const at of times) if (writeTicket(unit, span, Math.abs(at), at > 0, !hasOpen)) hasOpen = true;
    }
    // A unit in repair has its failure open: the one that ended its last span.
    if (status === 'in_repair' && !hasOpen && spans.length > 0) {
      const last = spans.at(-1);
      writeTicket(unit, last, last.to, true, true);
    }
  };

  const chunk = db.transaction((n) => {
    for (let i = 0; i < n; i++) writeUnit();
  });
  for (let done = 0; done < count; done += CHUNK) chunk(Math.min(CHUNK, count - done));

  db.transaction(() => {
    const sequence = db.prepare('INSERT INTO asset_sequences (region_id, last_value) VALUES (?, ?)');
    for (const leaf of leaves) sequence.run(leaf.id, leaf.seq);
    // A policy's yearly premium: about 45 CNY per terminal it covers.
    const premium = db.prepare('UPDATE insurance_policies SET premium = ? WHERE id = ?');
    for (const province of provinces) premium.run(45 * province.insured, province.policyId);
    // No audit entries: the spans above are the history. The first rollup rebuilds every month.
    const state = db.prepare('INSERT INTO job_state (name, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value');
    state.run('reliability.audit_id', String(db.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM audit_entries').get().id), stamp);
    state.run('reliability.rebuild', 'yes', stamp);
  })();
  db.exec('ANALYZE');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  // The province with the most terminals, for the runs with a region filter.
  const biggest = provinces.reduce((best, p) => {
    const size = p.leaves.reduce((sum, leaf) => sum + leaf.seq, 0);
    return size > best.size ? { id: p.id, code: p.code, size } : best;
  }, { id: 0, code: '', size: -1 });
  return { ...totals, models: models.map((m) => m.id), province: biggest, sampleTerminal: sampleTerminal ?? 1, seconds: (performance.now() - started) / 1000 };
}

/** The tables the seed writes (parents first), copied as they are to PostgreSQL by copyToPostgres. */
const COPIED_TABLES = ['regions', 'suppliers', 'models', 'insurance_policies', 'merchants', 'users', 'asset_sequences', 'terminals', 'terminal_service_spans', 'incidents', 'incident_costs', 'job_state'];
const COPY_BATCH = 10_000;

/**
 * Copies the seeded rows from the SQLite file into a PostgreSQL schema the API
 * migrated (`client` has it on its search_path): batches of `INSERT … SELECT *
 * FROM unnest($1::int4[], …)` with the column types PostgreSQL reports, ids
 * kept (the identity sequences are moved past them), then ANALYZE. The
 * administrator the API created stays; the rollup's job_state is replaced.
 */
export async function copyToPostgres(dbPath, client) {
  const started = performance.now();
  const db = new Database(dbPath, { readonly: true });
  let rows = 0;
  try {
    await client.query("DELETE FROM job_state WHERE name LIKE 'reliability.%'");
    for (const table of COPIED_TABLES) {
      const columns = db.prepare(`PRAGMA table_info(${table})`).all().map((column) => column.name);
      const types = new Map(
        (await client.query('SELECT column_name, udt_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1', [table])).rows.map((row) => [row.column_name, row.udt_name]),
      );
      const where = table === 'users' ? "WHERE username <> 'admin'" : table === 'job_state' ? "WHERE name LIKE 'reliability.%'" : '';
      const select = db.prepare(`SELECT ${columns.join(', ')} FROM ${table} ${where}`).raw(true);
      const insert = `INSERT INTO ${table} (${columns.join(', ')}) SELECT * FROM unnest(${columns.map((column, i) => `$${i + 1}::${types.get(column)}[]`).join(', ')})`;
      const booleans = columns.map((column) => types.get(column) === 'bool');
      let batch = columns.map(() => []);
      const flush = async () => {
        if (batch[0].length === 0) return;
        await client.query(insert, batch);
        rows += batch[0].length;
        batch = columns.map(() => []);
      };
      for (const row of select.iterate()) {
        for (let i = 0; i < row.length; i++) batch[i].push(booleans[i] && row[i] !== null ? row[i] === 1 : row[i]);
        if (batch[0].length === COPY_BATCH) await flush();
      }
      await flush();
      if (columns.includes('id')) await client.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT MAX(id) FROM ${table}))`);
    }
    await client.query('ANALYZE');
  } finally {
    db.close();
  }
  return { rows, seconds: (performance.now() - started) / 1000 };
}
