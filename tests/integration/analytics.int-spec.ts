/**
 * Reliability analytics through the HTTP API (issue 7), on the suite's engine:
 * - the rollups follow the lifecycle: a deployed terminal is in service, one
 *   in stock is not, one sent to repair stops; a reported fault counts as a
 *   failure until its ticket is closed as cancelled;
 * - a generated fleet of 20,040 units with planted rates and age effects,
 *   written straight into the database with four years of history, comes
 *   back through the rollup job and the API: the intervals cover the planted
 *   rates, models whose rates differ twofold are ranked right, the 40-unit
 *   pilot without failures is flagged and not ranked, early life stands out,
 *   the wear-out model's hazard rises; tickets closed as no fault found do
 *   not count;
 * - the model comparison and its CSV; bad input refused naming the field;
 *   a user limited to a region sees only its figures.
 */
import { generatePlantedFleet, PLANTED_MODELS, serviceIntervals, type FailureRateReport, type FailureRateRow, type ModelComparison } from '@fleet/shared';
import { startApi, type RunningApi } from '../support/server';
import { type Catalog, Client, createUser, login, newCatalog, newTerminal, unique } from './support/client';
import { openDatabase, type TestDatabase } from './support/database';
import { eventually } from './support/sinks';

const WINDOW_END = '2026-01-01T00:00:00.000Z';
const PERIOD = 'from=2022-01&to=2025-12';

describe('reliability analytics', () => {
  let api: RunningApi;
  let admin: Client;
  let db: TestDatabase;

  beforeAll(async () => {
    // The rollup every second, and no wait for audit entries (SQLite and a single test writer).
    api = await startApi({ ANALYTICS_ROLLUP_SECONDS: '1', ANALYTICS_AUDIT_LAG_SECONDS: '0' });
    admin = await login(api);
    db = await openDatabase(api);
  });

  afterAll(async () => {
    await db?.close();
    await api?.stop();
  });

  async function spansOf(terminalId: number) {
    return db.query<{ started_ms: unknown; ended_ms: unknown }>('SELECT started_ms, ended_ms FROM terminal_service_spans WHERE terminal_id = ? ORDER BY started_ms', [terminalId]);
  }

  async function rates(client: Client, query: string): Promise<FailureRateReport> {
    const reply = await client.get(`/api/v1/analytics/failure-rates?${query}`);
    if (reply.status !== 200) throw new Error(`failure-rates ${query}: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  }

  describe('following the lifecycle', () => {
    let live: Catalog;

    beforeAll(async () => {
      live = await newCatalog(admin);
    });

    it('should keep a span for deployed time only, and count a fault until its ticket is cancelled', async () => {
      const working = await newTerminal(admin, live, { status: 'deployed' });
      const repaired = await newTerminal(admin, live, { status: 'deployed' });
      const shelf = await newTerminal(admin, live, { status: 'in_stock' });
      await eventually('spans for the deployed terminals', async () => ((await spansOf(working.id)).length === 1 && (await spansOf(repaired.id)).length === 1 ? true : undefined));
      expect(await spansOf(shelf.id)).toEqual([]);

      const sent = await admin.post(`/api/v1/terminals/${repaired.id}/transitions`, { to: 'in_repair', version: repaired.version });
      expect(sent.status).toBe(200);
      await eventually('the span closed by the repair', async () => ((await spansOf(repaired.id))[0]?.ended_ms !== null ? true : undefined));
      expect((await spansOf(working.id))[0]!.ended_ms).toBeNull();

      const ticket = await admin.post('/api/v1/incidents', { terminalId: working.id, symptom: 'printer', description: 'Prints blank receipts' });
      expect(ticket.status).toBe(201);
      const counted = await eventually('the fault counted', async () => {
        const report = await rates(admin, `groupBy=model&modelId=${live.modelId}`);
        return report.total.failures === 1 ? report : undefined;
      });
      expect(counted.rows).toEqual([expect.objectContaining({ key: String(live.modelId), failures: 1, units: 2 })]);
      expect(counted.total.exposureYears).toBeGreaterThanOrEqual(0);
      expect(counted.total.verdict).toBe('insufficient');

      const closed = await admin.post(`/api/v1/incidents/${ticket.body.id}/close`, { version: ticket.body.version, resolution: 'cancelled', note: 'Paper was in upside down' });
      expect(closed.status).toBe(200);
      await eventually('the cancelled ticket no longer counted', async () => ((await rates(admin, `groupBy=model&modelId=${live.modelId}`)).total.failures === 0 ? true : undefined));
    });
  });

  describe('a planted fleet', () => {
    let planted: Catalog;
    const modelIds = new Map<string, number>();
    const names = new Map<number, string>();

    beforeAll(async () => {
      planted = await newCatalog(admin);
      const suffix = unique();
      for (const model of PLANTED_MODELS) {
        const reply = await admin.post('/api/v1/models', { name: `${model.key} ${suffix}`, manufacturer: 'Planted', category: 'desktop', listPrice: 1500, defaultWarrantyMonths: 12 });
        expect(reply.status).toBe(201);
        modelIds.set(model.key, reply.body.id);
        names.set(reply.body.id, model.key);
      }
      const fleet = generatePlantedFleet({ seed: 20260107, models: PLANTED_MODELS, from: '2022-01-01', to: '2026-01-01' });
      const base = 5_000_000;
      const now = db.timestamp(new Date().toISOString());
      await db.insert(
        'terminals',
        ['id', 'asset_number', 'serial_number', 'model_id', 'supplier_id', 'category', 'region_id', 'status', 'purchase_date', 'currency', 'batch', 'version', 'created_at', 'updated_at'],
        fleet.map((unit) => {
          const last = [...unit.statusHistory].sort((a, b) => a.at.localeCompare(b.at)).at(-1)!;
          return [base + unit.id, `PL-${suffix}-${unit.id}`, `PLSN-${suffix}-${unit.id}`, modelIds.get(unit.model), planted.supplierId, 'desktop', planted.branchId, last.status, unit.purchaseDate, 'CNY', `${unit.model}-${unit.purchaseDate.slice(0, 4)}`, 1, now, now];
        }),
      );
      const spans = fleet.flatMap((unit) =>
        serviceIntervals(unit.statusHistory, WINDOW_END).map((interval) => [base + unit.id, Date.parse(interval.from), Date.parse(interval.to), planted.branchId, null]),
      );
      await db.insert('terminal_service_spans', ['terminal_id', 'started_ms', 'ended_ms', 'region_id', 'firmware_version'], spans);
      const later = (at: string, hours: number) => db.timestamp(new Date(Date.parse(at) + hours * 3_600_000).toISOString());
      const ticket = (unitId: number, model: string, at: string, resolution: string) => [
        base + unitId,
        planted.branchId,
        modelIds.get(model),
        planted.supplierId,
        'closed',
        'normal',
        'user',
        'planted',
        'wont_boot',
        'Planted failure',
        db.timestamp(at),
        db.timestamp(at),
        resolution,
        later(at, 4),
        later(at, 48),
        1,
        later(at, 50),
        1,
        now,
        now,
      ];
      const failures = fleet.flatMap((unit) => unit.failures.map((failure) => ticket(unit.id, unit.model, failure.at, 'repaired')));
      // Visits that found nothing wrong: they must not count, however many.
      const visits = fleet.filter((unit) => unit.model === 'H8').slice(0, 300).map((unit) => ticket(unit.id, unit.model, '2024-06-01T10:00:00.000Z', 'no_fault_found'));
      await db.insert(
        'incidents',
        ['terminal_id', 'region_id', 'model_id', 'supplier_id', 'stage', 'priority', 'source', 'reporter_name', 'symptom', 'description', 'occurred_at', 'reported_at', 'resolution', 'restored_at', 'resolved_at', 'test_attempts', 'closed_at', 'version', 'created_at', 'updated_at'],
        [...failures, ...visits],
      );
      // Warranty claims on the first 100 repairs of 2025: 60 paid (90 of 100 claimed), 40 rejected.
      const repairs = await db.query<{ id: number }>(
        `SELECT id FROM incidents WHERE supplier_id = ? AND resolution = 'repaired' AND reported_at >= ? ORDER BY id LIMIT 100`,
        [planted.supplierId, db.timestamp('2025-01-01T00:00:00.000Z')],
      );
      expect(repairs).toHaveLength(100);
      await db.insert(
        'incident_costs',
        ['incident_id', 'kind', 'amount', 'currency', 'payer', 'claim_status', 'claimed_amount', 'paid_amount', 'version', 'created_at', 'updated_at'],
        repairs.map((repair, index) => [repair.id, 'parts', 100, 'CNY', 'supplier', index < 60 ? 'paid' : 'rejected', 100, index < 60 ? 90 : null, 1, now, now]),
      );
      await db.query(
        `INSERT INTO job_state (name, value, updated_at) VALUES ('reliability.rebuild', ?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
        [`planted-${suffix}`, now],
      );
      await eventually(
        'the planted fleet in the rollups',
        async () => ((await rates(admin, `groupBy=model&${PERIOD}&supplierId=${planted.supplierId}`)).total.exposureYears > 20_000 ? true : undefined),
        300,
      );
    });

    const flat = PLANTED_MODELS.filter((model) => model.units >= 1000 && model.hazard.length === 1);
    const rowOf = (report: FailureRateReport, key: string) => report.rows.find((row) => row.key === String(modelIds.get(key)))!;

    it('should recover the planted rate of most models inside the 95% interval', async () => {
      const report = await rates(admin, `groupBy=model&${PERIOD}&supplierId=${planted.supplierId}`);
      const covered = flat.filter((model) => {
        const row = rowOf(report, model.key);
        const truth = model.hazard[0]!.ratePerYear * 100;
        return row.verdict === 'sufficient' && row.lower! <= truth && truth <= row.upper!;
      });
      expect(covered.length).toBeGreaterThanOrEqual(flat.length - 1);
      expect(report.scope).toMatchObject({ from: '2022-01', to: '2025-12', supplier: { id: planted.supplierId } });
    });

    it('should rank a model ahead of every model whose planted rate is at least twice its own, and flag the pilot', async () => {
      const report = await rates(admin, `groupBy=model&${PERIOD}&supplierId=${planted.supplierId}`);
      const order = report.rows.map((row) => row.key);
      for (const better of flat) {
        for (const worse of flat) {
          if (worse.hazard[0]!.ratePerYear < 2 * better.hazard[0]!.ratePerYear) continue;
          expect([better.key, order.indexOf(String(modelIds.get(better.key)))]).toEqual([better.key, expect.any(Number)]);
          expect(order.indexOf(String(modelIds.get(better.key)))).toBeLessThan(order.indexOf(String(modelIds.get(worse.key))));
        }
      }
      const pilot = rowOf(report, 'P-pilot');
      expect(pilot).toMatchObject({ failures: 0, verdict: 'insufficient', standing: 'insufficient', ratePer100Years: 0 });
      expect(order.indexOf(pilot.key)).toBe(order.length - 1);
      expect(report.rows[0]!.standing).toBe('best');
    });

    it('should show early life apart, and the wear-out model failing more with age', async () => {
      const early = await rates(admin, `groupBy=age_band&${PERIOD}&modelId=${modelIds.get('E5-early-life')}`);
      const [first, second] = early.rows as FailureRateRow[];
      expect(first!.key).toBe('0');
      expect(first!.lower!).toBeGreaterThan(second!.upper!);
      const survival = await admin.get(`/api/v1/analytics/survival?${PERIOD}&modelIds=${modelIds.get('F6-wear-out')},${modelIds.get('A910')}`);
      expect(survival.status).toBe(200);
      const byName = new Map(survival.body.models.map((model: { model: { id: number } }) => [names.get(model.model.id), model]));
      expect(byName.get('F6-wear-out')).toMatchObject({ trend: { direction: 'rising' } });
      const curve = (byName.get('A910') as { curve: { months: number; survival: number; lower: number; upper: number }[] }).curve;
      expect(curve[0]).toMatchObject({ months: 0, survival: 1 });
      // Survival only falls, inside its band; a 4%-a-year model keeps about 96% after a year of service.
      curve.slice(1).forEach((point, index) => {
        expect(point.survival).toBeLessThanOrEqual(curve[index]!.survival);
        expect(point.lower).toBeLessThanOrEqual(point.survival);
        expect(point.upper).toBeGreaterThanOrEqual(point.survival);
      });
      expect(curve.find((point) => point.months === 12)!.survival).toBeGreaterThan(0.93);
    });

    it('should give the repair times and the warranty claims of the planted tickets', async () => {
      const times = await admin.get(`/api/v1/analytics/repair-times?groupBy=supplier&${PERIOD}&supplierId=${planted.supplierId}`);
      expect(times.status).toBe(200);
      expect(times.body.rows).toEqual([
        expect.objectContaining({ key: String(planted.supplierId), restore: expect.objectContaining({ medianHours: 4, p90Hours: 4 }), repair: expect.objectContaining({ medianHours: 48 }), firstTimeFix: expect.objectContaining({ rate: 1 }) }),
      ]);
      const costs = await admin.get(`/api/v1/analytics/costs?groupBy=supplier&from=2025-01&to=2025-12&supplierId=${planted.supplierId}`);
      expect(costs.status).toBe(200);
      const [row] = costs.body.rows;
      expect(row).toMatchObject({ byPayer: { supplier: 10_000 }, total: 10_000, warrantyClaims: { acceptance: { successes: 60, total: 100, rate: 0.6 }, claimed: 10_000, recovered: 5_400, pending: 0 } });
      expect(row.warrantyClaims.acceptance.lower).toBeLessThan(0.6);
      expect(row.warrantyClaims.acceptance.upper).toBeGreaterThan(0.6);
    });

    it('should not count the visits that found no fault', async () => {
      const report = await rates(admin, `groupBy=model&${PERIOD}&modelId=${modelIds.get('H8')}`);
      const truth = 2; // per 100 terminal-years
      expect(report.total.lower!).toBeLessThanOrEqual(truth);
      expect(report.total.upper!).toBeGreaterThanOrEqual(truth);
    });

    it('should compare three models side by side, the pilot flagged and unranked, and export them as CSV', async () => {
      const ids = ['D420', 'A910', 'P-pilot'].map((key) => modelIds.get(key)).join(',');
      const reply = await admin.get(`/api/v1/analytics/model-comparison?${PERIOD}&modelIds=${ids}`);
      expect(reply.status).toBe(200);
      const comparison = reply.body as ModelComparison;
      expect(comparison.models.map((column) => [names.get(column.model.id), column.rank, column.standing])).toEqual([
        ['A910', 1, 'best'],
        ['D420', 2, 'worse'],
        ['P-pilot', null, 'insufficient'],
      ]);
      const a910 = comparison.models[0]!;
      expect(a910.mtbf.years).toBeGreaterThan(15);
      expect(a910.mtbf.lower).toBeLessThan(a910.mtbf.years!);
      expect(a910.survival.curve.length).toBeGreaterThan(10);
      expect(comparison.summary).toHaveLength(3);
      expect(comparison.summary[2]).toContain('not enough data');

      const csv = await admin.get(`/api/v1/analytics/model-comparison.csv?${PERIOD}&modelIds=${ids}`);
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toContain('text/csv');
      const lines = String(csv.body).replace(/^\uFEFF/, '').trim().split(/\r?\n/);
      expect(lines).toHaveLength(4);
      expect(lines[0]!.split(',').slice(0, 8)).toEqual(['from', 'to', 'asOf', 'region', 'rank', 'standing', 'model', 'manufacturer']);
      expect(lines[1]).toContain(`A910 `);
      expect(lines[3]).toContain('insufficient');
    });

    it('should refuse bad input naming the field', async () => {
      const cases: [string, string][] = [
        ['/api/v1/analytics/failure-rates', 'groupBy'],
        ['/api/v1/analytics/failure-rates?groupBy=colour', 'groupBy'],
        ['/api/v1/analytics/failure-rates?groupBy=model&from=2026-13', 'from'],
        ['/api/v1/analytics/failure-rates?groupBy=model&from=2026-05&to=2026-01', 'from'],
        ['/api/v1/analytics/failure-rates?groupBy=model&regionId=999999', 'regionId'],
        ['/api/v1/analytics/failure-rates?groupBy=model&modelId=abc', 'modelId'],
        ['/api/v1/analytics/model-comparison', 'modelIds'],
        [`/api/v1/analytics/model-comparison?modelIds=${modelIds.get('A910')}`, 'modelIds'],
        ['/api/v1/analytics/model-comparison?modelIds=1,2,3,4,5,6', 'modelIds'],
        ['/api/v1/analytics/model-comparison?modelIds=1,x', 'modelIds'],
        ['/api/v1/analytics/spares?serviceLevel=2', 'serviceLevel'],
        ['/api/v1/analytics/repair-times?groupBy=weather', 'groupBy'],
        ['/api/v1/analytics/terminals/1/repair-or-replace?repairQuote=-5', 'repairQuote'],
      ];
      for (const [path, field] of cases) {
        const reply = await admin.get(path);
        expect([path, reply.status]).toEqual([path, 400]);
        expect([path, reply.body.details.fields.map((f: { field: string }) => f.field)]).toEqual([path, expect.arrayContaining([field])]);
      }
      expect((await new Client(api).get('/api/v1/analytics/failure-rates?groupBy=model')).status).toBe(401);
    });

    it('should show a user limited to a region only its own figures', async () => {
      const other = await newCatalog(admin);
      await newTerminal(admin, other, { status: 'deployed' });
      await newTerminal(admin, other, { status: 'spare' });
      const scoped = await createUser(admin, 'procurement', other.regionId);
      const mine = await rates(scoped, `groupBy=model&${PERIOD}`);
      expect(mine.scope.region).toEqual({ id: other.regionId, name: expect.any(String) });
      expect(mine.rows.map((row) => Number(row.key))).not.toContain(modelIds.get('A910'));
      const outside = await scoped.get(`/api/v1/analytics/failure-rates?groupBy=model&regionId=${planted.regionId}`);
      expect(outside.status).toBe(400);
      expect(outside.body.details.fields[0]).toMatchObject({ field: 'regionId', code: 'outsideScope' });
      // The spares on hand are as of the next rollup run.
      const spares = await eventually('the new spare on hand', async () => {
        const reply = await scoped.get('/api/v1/analytics/spares');
        return reply.body.rows.length > 0 ? reply.body.rows : undefined;
      });
      expect(spares).toEqual([expect.objectContaining({ region: { id: other.branchId, name: expect.any(String) }, onHand: 1 })]);
      expect((await scoped.get(`/api/v1/analytics/terminals/${5_000_001}/repair-or-replace`)).status).toBe(404);
      const answer = await admin.get(`/api/v1/analytics/terminals/${5_000_001}/repair-or-replace?repairQuote=300`);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ recommendation: expect.stringMatching(/^(repair|replace)$/), repairQuote: 300, replacementPrice: 1500 });
      expect(answer.body.reasons.map((reason: { code: string }) => reason.code)).toEqual(expect.arrayContaining(['oldUnitFailures', 'newUnitPrice', 'newUnitFailures']));
    });
  });
});
