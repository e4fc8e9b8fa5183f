/**
 * The reliability rollup on a real database (SQLite, and PostgreSQL when
 * TEST_DATABASE_URL is set), fed audit entries and tickets at chosen
 * instants: spans opened, split and closed by status, firmware and region
 * changes; only the months that changed recomputed; a correction of a unit's
 * model recomputing all of them; entries younger than the lag left for the
 * next run; a ticket closed as a duplicate no longer counted.
 */
import { Logger } from '@nestjs/common';
import type { FieldChange } from '@fleet/shared';
import { AuditEntryEntity } from '../audit/audit-entry.entity';
import { FixedClock } from '../common/clock';
import type { AppConfig } from '../config/app-config';
import { TEST_ENGINES, type TestDatabase } from '../database/test-databases.testing';
import { TransactionRunner } from '../database/transaction';
import { ReliabilityRollupRepository } from './reliability-rollup.repository';
import { ReliabilityRollupService } from './reliability-rollup.service';

Logger.overrideLogger(false);

const DAY = 86_400_000;
const at = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe.each(TEST_ENGINES)('ReliabilityRollupService on %s', (_engine, open) => {
  let db: TestDatabase;
  let clock: FixedClock;
  let lagSeconds: number;
  let service: ReliabilityRollupService;
  const ids = { regionA: 0, regionB: 0, model: 0, otherModel: 0, supplier: 0 };

  const sqlTime = (date: Date) => (db.dataSource.options.type === 'postgres' ? date : date.toISOString().replace('T', ' ').replace('Z', ''));

  async function insert(table: string, values: Record<string, unknown>): Promise<number> {
    const result = await db.dataSource.createQueryBuilder().insert().into(table, Object.keys(values)).values(values).execute();
    // A table without an entity reports no identifier on some drivers: the newest row is ours.
    const id = (result.identifiers[0] as { id?: number } | undefined)?.id;
    if (id !== undefined) return Number(id);
    const [row] = await db.dataSource.query(`SELECT MAX(id) AS id FROM ${table}`);
    return Number((row as { id: unknown }).id);
  }

  async function audit(when: Date, terminalId: number, action: 'create' | 'update' | 'transition', changes: Record<string, FieldChange>): Promise<void> {
    const entries = db.dataSource.getRepository(AuditEntryEntity);
    await entries.save(entries.create({ at: when, actorId: null, actorUsername: 'spec', entityType: 'terminal', entityId: terminalId, entityLabel: `T${terminalId}`, action, changes, reason: null }));
  }

  async function terminal(values: { status: string; regionId: number; firmware: string | null }): Promise<number> {
    const now = sqlTime(at('2026-01-01'));
    return insert('terminals', {
      asset_number: `POS-${Math.random().toString(36).slice(2, 10)}`,
      serial_number: `SN-${Math.random().toString(36).slice(2, 10)}`,
      model_id: ids.model,
      supplier_id: ids.supplier,
      category: 'desktop',
      region_id: values.regionId,
      status: values.status,
      purchase_date: '2025-06-01',
      currency: 'CNY',
      firmware_version: values.firmware,
      version: 1,
      created_at: now,
      updated_at: now,
    });
  }

  async function spans(terminalId: number) {
    const rows: Record<string, unknown>[] = await db.dataSource
      .createQueryBuilder()
      .select(['s.started_ms AS started_ms', 's.ended_ms AS ended_ms', 's.region_id AS region_id', 's.firmware_version AS firmware_version'])
      .from('terminal_service_spans', 's')
      .where('s.terminal_id = :terminalId', { terminalId })
      .orderBy('s.started_ms')
      .getRawMany();
    return rows.map((row) => ({
      from: new Date(Number(row['started_ms'])).toISOString().slice(0, 10),
      to: row['ended_ms'] === null ? null : new Date(Number(row['ended_ms'])).toISOString().slice(0, 10),
      regionId: Number(row['region_id']),
      firmware: row['firmware_version'],
    }));
  }

  async function exposureDays(filter: { month?: string; modelId?: number } = {}): Promise<number> {
    const qb = db.dataSource.createQueryBuilder().select('SUM(e.exposure_years)', 'years').from('reliability_exposure', 'e').where("e.dimension = 'age'");
    if (filter.month) qb.andWhere('e.month = :month', { month: filter.month });
    if (filter.modelId) qb.andWhere('e.model_id = :modelId', { modelId: filter.modelId });
    const row = await qb.getRawOne<{ years: unknown }>();
    return (Number(row?.years ?? 0) * 365.25 * DAY) / DAY;
  }

  async function failures(month: string): Promise<number> {
    const row = await db.dataSource.createQueryBuilder().select('SUM(e.failures)', 'failures').from('reliability_exposure', 'e').where("e.dimension = 'age' AND e.month = :month", { month }).getRawOne<{ failures: unknown }>();
    return Number(row?.failures ?? 0);
  }

  beforeEach(async () => {
    db = await open([AuditEntryEntity]);
    clock = new FixedClock(at('2026-05-01'));
    lagSeconds = 0;
    const config = { analytics: { rollupSeconds: 0, get auditLagSeconds() { return lagSeconds; }, serviceLifeYears: 5, downtimeCostPerHour: 20 } } as unknown as AppConfig;
    const transactions = new TransactionRunner(db.dataSource);
    service = new ReliabilityRollupService(new ReliabilityRollupRepository(db.dataSource), transactions, clock, config);
    const now = sqlTime(at('2026-01-01'));
    ids.regionA = await insert('regions', { code: 'RA', name: 'A', parent_id: null, path: '/1/', depth: 0, version: 1, created_at: now, updated_at: now });
    ids.regionB = await insert('regions', { code: 'RB', name: 'B', parent_id: null, path: '/2/', depth: 0, version: 1, created_at: now, updated_at: now });
    ids.supplier = await insert('suppliers', { name: 'S', version: 1, created_at: now, updated_at: now });
    ids.model = await insert('models', { name: 'M1', manufacturer: 'X', category: 'desktop', currency: 'CNY', default_warranty_months: 12, version: 1, created_at: now, updated_at: now });
    ids.otherModel = await insert('models', { name: 'M2', manufacturer: 'X', category: 'desktop', currency: 'CNY', default_warranty_months: 12, version: 1, created_at: now, updated_at: now });
  });

  afterEach(() => db.drop());

  it('should open, split and close spans as the status, firmware and region change, and sum the time deployed', async () => {
    const first = await terminal({ status: 'deployed', regionId: ids.regionA, firmware: '1.1' });
    const second = await terminal({ status: 'deployed', regionId: ids.regionB, firmware: null });
    await audit(at('2026-01-01'), first, 'create', { status: { from: null, to: 'deployed' }, regionId: { from: null, to: ids.regionA }, firmwareVersion: { from: null, to: '1.0' }, modelId: { from: null, to: ids.model } });
    await audit(at('2026-01-01'), second, 'create', { status: { from: null, to: 'in_stock' }, regionId: { from: null, to: ids.regionB }, modelId: { from: null, to: ids.model } });
    await audit(at('2026-02-01'), first, 'update', { firmwareVersion: { from: '1.0', to: '1.1' } });
    await audit(at('2026-03-01'), second, 'transition', { status: { from: 'in_stock', to: 'deployed' } });
    await audit(at('2026-04-01'), first, 'transition', { status: { from: 'deployed', to: 'in_repair' } });
    await audit(at('2026-04-11'), first, 'transition', { status: { from: 'in_repair', to: 'deployed' } });

    const run = await service.refresh();
    expect(run).toMatchObject({ auditEntries: 6, units: 2 });
    expect(await spans(first)).toEqual([
      { from: '2026-01-01', to: '2026-02-01', regionId: ids.regionA, firmware: '1.0' },
      { from: '2026-02-01', to: '2026-04-01', regionId: ids.regionA, firmware: '1.1' },
      { from: '2026-04-11', to: null, regionId: ids.regionA, firmware: '1.1' },
    ]);
    expect(await spans(second)).toEqual([{ from: '2026-03-01', to: null, regionId: ids.regionB, firmware: null }]);
    // first: 90 days to April, 20 after; second: March and April, 61 days.
    expect(await exposureDays()).toBeCloseTo(90 + 20 + 61, 6);
    expect(await exposureDays({ month: '2026-04' })).toBeCloseTo(20 + 30, 6);
    expect((await service.status()).asOf).toBe(at('2026-05-01').toISOString());
  });

  it('should recompute only the months that changed, and all of them after a correction of the model', async () => {
    const unit = await terminal({ status: 'deployed', regionId: ids.regionA, firmware: null });
    await audit(at('2026-01-01'), unit, 'create', { status: { from: null, to: 'deployed' }, regionId: { from: null, to: ids.regionA }, modelId: { from: null, to: ids.model } });
    expect((await service.refresh())!.months).toBe(5);

    clock.set(at('2026-05-10'));
    expect((await service.refresh())!.months).toBe(1);
    expect(await exposureDays()).toBeCloseTo(129, 6);

    await db.dataSource.createQueryBuilder().update('terminals').set({ model_id: ids.otherModel }).where('id = :unit', { unit }).execute();
    await audit(at('2026-05-10'), unit, 'update', { modelId: { from: ids.model, to: ids.otherModel } });
    clock.set(at('2026-05-11'));
    expect((await service.refresh())!.months).toBe(5);
    expect(await exposureDays({ modelId: ids.otherModel })).toBeCloseTo(130, 6);
    expect(await exposureDays({ modelId: ids.model })).toBe(0);
  });

  it('should leave entries younger than the lag for the next run', async () => {
    lagSeconds = 60;
    const unit = await terminal({ status: 'deployed', regionId: ids.regionA, firmware: null });
    await audit(new Date(clock.now().getTime() - 10_000), unit, 'create', { status: { from: null, to: 'deployed' }, regionId: { from: null, to: ids.regionA }, modelId: { from: null, to: ids.model } });
    expect((await service.refresh())!.auditEntries).toBe(0);
    expect(await spans(unit)).toEqual([]);
    expect((await service.status()).pending).toBe(true);
    clock.set(new Date(clock.now().getTime() + 60_000));
    expect((await service.refresh())!.auditEntries).toBe(1);
    expect(await spans(unit)).toHaveLength(1);
    expect((await service.status()).pending).toBe(false);
  });

  it('should count a ticket as a failure in its month, and stop when it is closed as a duplicate', async () => {
    const unit = await terminal({ status: 'deployed', regionId: ids.regionA, firmware: null });
    await audit(at('2026-01-01'), unit, 'create', { status: { from: null, to: 'deployed' }, regionId: { from: null, to: ids.regionA }, modelId: { from: null, to: ids.model } });
    const reported = sqlTime(at('2026-02-15'));
    const ticket = await insert('incidents', {
      terminal_id: unit,
      region_id: ids.regionA,
      model_id: ids.model,
      supplier_id: ids.supplier,
      stage: 'reported',
      priority: 'normal',
      source: 'user',
      reporter_name: 'spec',
      symptom: 'printer',
      description: 'x',
      occurred_at: reported,
      reported_at: reported,
      version: 1,
      created_at: reported,
      updated_at: reported,
    });
    await service.refresh();
    expect(await failures('2026-02')).toBe(1);

    clock.set(at('2026-05-02'));
    await db.dataSource
      .createQueryBuilder()
      .update('incidents')
      .set({ stage: 'closed', resolution: 'duplicate', updated_at: sqlTime(new Date('2026-05-01T12:00:00Z')) })
      .where('id = :ticket', { ticket })
      .execute();
    const run = await service.refresh();
    expect(run!.months).toBe(2);
    expect(await failures('2026-02')).toBe(0);
  });
});
