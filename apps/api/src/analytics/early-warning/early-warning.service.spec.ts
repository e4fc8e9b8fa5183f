/**
 * The early-warning run against a real database (SQLite in memory, and
 * PostgreSQL when TEST_DATABASE_URL is set): units whose rollups degraded
 * before a failure teach the run; deployed units degrading the same way now
 * are listed first with their evidence, steady ones are not; the list is
 * read within a region scope and filters; a run replaces the list, a run cut
 * short writes nothing, and the scheduler leaves a recent run alone.
 */
import { Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { seededRandom, type DemoTerminalHistory, type IncidentResolution, type IncidentStage, type TerminalCategory, type TerminalStatus } from '@fleet/shared';
import { ModelEntity } from '../../catalog/model.entity';
import { SupplierEntity } from '../../catalog/supplier.entity';
import { FixedClock } from '../../common/clock';
import { requestScopeMiddleware, setRequestScope, type RegionScope } from '../../common/request-scope';
import type { AppConfig } from '../../config/app-config';
import { JobLockEntity } from '../../database/job-lock.entity';
import { JobLocks } from '../../database/job-locks';
import { TEST_ENGINES, type TestDatabase } from '../../database/test-databases.testing';
import { TransactionRunner } from '../../database/transaction';
import { IncidentEntity } from '../../incidents/incident.entity';
import { MerchantEntity } from '../../regions/merchant.entity';
import { RegionEntity } from '../../regions/region.entity';
import type { RegionsService } from '../../regions/regions.service';
import { TerminalEntity } from '../../terminals/terminal.entity';
import { UserEntity } from '../../users/user.entity';
import { InsurancePolicyEntity } from '../../warranties/insurance-policy.entity';
import { EarlyWarningRunEntity } from './early-warning-run.entity';
import type { EarlyWarningQueryDto } from './early-warning.dto';
import { EarlyWarningEntity } from './early-warning.entity';
import { EarlyWarningRepository } from './early-warning.repository';
import { EarlyWarningScheduler } from './early-warning.scheduler';
import { EarlyWarningService } from './early-warning.service';

Logger.overrideLogger(false);

const ENTITIES = [EarlyWarningEntity, EarlyWarningRunEntity, JobLockEntity, TerminalEntity, RegionEntity, ModelEntity, SupplierEntity, MerchantEntity, InsurancePolicyEntity, IncidentEntity, UserEntity];
const DAY = 86_400_000;
const NOW = new Date('2026-03-01T06:00:00Z');
const TODAY = Date.parse('2026-03-01T00:00:00Z');
const FAILED_AT = TODAY - 20 * DAY + 10 * 3_600_000;
const stamps = { version: 1, createdAt: NOW, updatedAt: NOW };
/** Guards against a hung database, not a performance assertion: about a hundred units and 4,000 rollups are written. */
const SETUP_TIMEOUT_MS = 60_000;

/** Within the scope of a user limited to a region, as the auth guard would set it for a request. */
function asUser<T>(scope: RegionScope | null, work: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) =>
    requestScopeMiddleware({} as Request, {} as Response, () => {
      setRequestScope(scope);
      work().then(resolve, reject);
    }),
  );
}

describe.each(TEST_ENGINES)('EarlyWarningService on %s', (_engine, open) => {
  let db: TestDatabase;
  let clock: FixedClock;
  let repository: EarlyWarningRepository;
  let service: EarlyWarningService;
  let transactions: TransactionRunner;
  let regionA: RegionEntity;
  let regionB: RegionEntity;
  let modelId: number;
  let otherModelId: number;
  let supplierId: number;
  let sequence = 0;
  const units = { failed: [] as number[], healthy: [] as number[], atRiskA: [] as number[], atRiskB: [] as number[], noFault: 0, retired: 0, desktop: 0 };

  async function newTerminal(region: RegionEntity, fields: { status?: TerminalStatus; category?: TerminalCategory; modelId?: number } = {}): Promise<number> {
    sequence++;
    const terminal = await db.dataSource.manager.save(TerminalEntity, {
      assetNumber: `POS-EW-${sequence}`,
      serialNumber: `SNEW${sequence}`,
      modelId: fields.modelId ?? modelId,
      supplierId,
      category: fields.category ?? 'mobile',
      regionId: region.id,
      merchantId: null,
      custodian: null,
      status: fields.status ?? 'deployed',
      purchaseDate: '2024-01-10',
      purchasePrice: 1000,
      currency: 'CNY',
      batch: null,
      firmwareVersion: '1.0',
      appVersion: '1.0',
      warrantyStart: null,
      warrantyEnd: null,
      warrantyTerms: null,
      warrantyProvider: null,
      insurancePolicyId: null,
      notes: null,
      ...stamps,
    });
    return terminal.id;
  }

  async function newTicket(terminalId: number, region: RegionEntity, stage: IncidentStage, resolution: IncidentResolution | null): Promise<void> {
    await db.dataSource.manager.insert(IncidentEntity, {
      terminalId,
      openTerminalId: stage === 'closed' ? null : terminalId,
      regionId: region.id,
      modelId,
      supplierId,
      stage,
      priority: 'normal',
      source: 'user',
      reporterName: 'tester',
      symptom: 'battery',
      description: 'Dies during the day',
      occurredAt: new Date(FAILED_AT),
      reportedAt: new Date(FAILED_AT + 3_600_000),
      resolution,
      closedAt: stage === 'closed' ? new Date(FAILED_AT + 2 * DAY) : null,
      ...stamps,
    });
  }

  /**
   * Daily rollups for the 42 days before `end`: steady with noise, or, when
   * `degrading`, the last 14 days with a fading battery, rising errors and drop-outs.
   */
  function history(terminalId: number, end: number, degrading: boolean, category: TerminalCategory = 'mobile'): DemoTerminalHistory {
    const random = seededRandom(terminalId);
    const result: DemoTerminalHistory = { terminalId, atRisk: false, rollups: [], dropouts: [] };
    for (let daysBefore = 42; daysBefore >= 1; daysBefore--) {
      const day = end - daysBefore * DAY;
      const progress = degrading && daysBefore <= 14 ? (15 - daysBefore) / 14 : 0;
      const battery = category === 'desktop' ? null : Math.round(35 + random.int(-3, 3) - 25 * progress);
      result.rollups.push({
        terminalId,
        bucketStart: day,
        samples: 288,
        upMs: DAY,
        batteryMin: battery,
        batteryAvg: battery === null ? null : battery + 30,
        signalMin: category === 'desktop' ? null : -85,
        signalAvg: category === 'desktop' ? null : -75 + random.int(-2, 2),
        temperatureMax: 40 + random.int(-1, 1),
        errorCount: random.int(0, 2) + Math.round(10 * progress),
        transactions: 80,
        prints: 80,
      });
      const dropouts = (random.next() < 0.05 ? 1 : 0) + Math.round(2 * progress);
      for (let n = 0; n < dropouts; n++) result.dropouts.push({ offlineAt: day + (2 + 3 * n) * 3_600_000, onlineAt: day + (3 + 3 * n) * 3_600_000 });
    }
    return result;
  }

  beforeAll(async () => {
    db = await open(ENTITIES);
    clock = new FixedClock(NOW);
    transactions = new TransactionRunner(db.dataSource);
    repository = new EarlyWarningRepository(db.dataSource.getRepository(EarlyWarningEntity), db.dataSource.getRepository(EarlyWarningRunEntity));
    const regions = { getRegion: (id: number) => db.dataSource.getRepository(RegionEntity).findOneByOrFail({ id }) } as unknown as RegionsService;
    service = new EarlyWarningService(repository, regions, transactions, clock);

    const manager = db.dataSource.manager;
    regionA = await manager.save(RegionEntity, { code: 'EWA', name: 'Region A', parentId: null, path: '/ewa/', depth: 0, ...stamps });
    regionB = await manager.save(RegionEntity, { code: 'EWB', name: 'Region B', parentId: null, path: '/ewb/', depth: 0, ...stamps });
    supplierId = (await manager.save(SupplierEntity, { name: 'Supplier', contactName: null, contactPhone: null, contactEmail: null, supportResponseHours: null, supportSla: null, ...stamps })).id;
    const newModel = async (name: string) =>
      (await manager.save(ModelEntity, { name, manufacturer: 'Maker', category: 'mobile', spec: null, listPrice: 1000, currency: 'CNY', defaultWarrantyMonths: 24, endOfLifeDate: null, ...stamps })).id;
    modelId = await newModel('Model EW');
    otherModelId = await newModel('Model EW2');

    const histories: DemoTerminalHistory[] = [];
    // 30 units that degraded for two weeks and failed 20 days ago; in repair now.
    for (let n = 0; n < 30; n++) {
      const id = await newTerminal(regionA, { status: 'in_repair' });
      await newTicket(id, regionA, 'at_repair', null);
      units.failed.push(id);
      histories.push(history(id, TODAY - 20 * DAY, true));
    }
    for (let n = 0; n < 60; n++) {
      const id = await newTerminal(n < 40 ? regionA : regionB);
      units.healthy.push(id);
      histories.push(history(id, TODAY, false));
    }
    for (let n = 0; n < 4; n++) {
      const id = await newTerminal(n < 3 ? regionA : regionB, { modelId: n === 0 ? otherModelId : modelId });
      (n < 3 ? units.atRiskA : units.atRiskB).push(id);
      histories.push(history(id, TODAY, true));
    }
    // Degrading too, and its ticket was closed as no fault found: no failure, so it is scored.
    units.noFault = await newTerminal(regionA);
    await newTicket(units.noFault, regionA, 'closed', 'no_fault_found');
    histories.push(history(units.noFault, TODAY, true));
    units.retired = await newTerminal(regionA, { status: 'retired' });
    histories.push(history(units.retired, TODAY, true));
    units.desktop = await newTerminal(regionB, { category: 'desktop' });
    histories.push(history(units.desktop, TODAY, false, 'desktop'));
    await transactions.run((tx) => repository.insertHistory(tx, histories));
  }, SETUP_TIMEOUT_MS);

  afterAll(() => db?.drop());

  const report = (query: Partial<EarlyWarningQueryDto> = {}, scope: RegionScope | null = null) => asUser(scope, () => service.report({ pageSize: 50, ...query } as EarlyWarningQueryDto));
  const idsOf = (items: { terminal: { id: number } }[]) => items.map((item) => item.terminal.id);

  it('should answer an empty list before any run', async () => {
    expect(await report()).toEqual({ asOf: null, basis: { failedUnits: 0, healthyUnits: 0, recentDays: 14, baselineDays: 28 }, items: [], total: 0, page: 1, pageSize: 50 });
  });

  it('should write nothing when stopped between chunks', async () => {
    expect(await service.recompute(() => true)).toBeNull();
    expect((await report()).asOf).toBeNull();
  });

  it('should learn from the failures, list the units degrading like them first with the evidence, and leave the steady ones out', async () => {
    const summary = await service.recompute();
    // The desktop unit has no battery or signal, but errors, drop-outs and temperature: it is compared too.
    expect(summary).toEqual({ failedUnits: 30, healthyUnits: 60 + 4 + 1 + 1, listed: 5 });
    const list = await report();
    expect(list.asOf).toBe(NOW.toISOString());
    expect(list.basis).toEqual({ failedUnits: 30, healthyUnits: 66, recentDays: 14, baselineDays: 28 });
    expect(list.total).toBe(5);
    expect(idsOf(list.items).sort((a, b) => a - b)).toEqual([...units.atRiskA, ...units.atRiskB, units.noFault].sort((a, b) => a - b));
    const scores = list.items.map((item) => item.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(Math.min(...scores)).toBeGreaterThan(Math.log(5));

    const first = list.items[0]!;
    expect(first.model.name).toMatch(/^Model EW/);
    expect(first.evidence).toHaveLength(5);
    const battery = first.evidence.find((row) => row.signal === 'battery_fade')!;
    expect(battery.baseline).toBeGreaterThan(32);
    expect(battery.recent).toBeLessThan(26);
    expect(battery.change).toBeCloseTo(battery.baseline! - battery.recent!, 1);
    expect(battery.failedMedianChange).toBeGreaterThan(10);
    expect(battery.likelihoodRatio).toBeGreaterThan(2);
    for (const signal of ['error_rise', 'reboot_rise'] as const) expect(first.evidence.find((row) => row.signal === signal)!.likelihoodRatio).toBeGreaterThan(2);
    expect(first.score).toBeCloseTo(
      first.evidence.reduce((sum, row) => sum + (row.likelihoodRatio === null ? 0 : Math.log(row.likelihoodRatio)), 0),
      1,
    );
  });

  it('should show a user limited to a region only the units of its region, and filter by region and model', async () => {
    expect(idsOf((await report({}, { regionId: regionB.id, path: regionB.path })).items)).toEqual(units.atRiskB);
    expect(idsOf((await report({ regionId: regionB.id })).items)).toEqual(units.atRiskB);
    expect(idsOf((await report({ regionId: regionA.id }, { regionId: regionB.id, path: regionB.path })).items)).toEqual([]);
    expect(idsOf((await report({ modelId: otherModelId })).items)).toEqual([units.atRiskA[0]]);
    const page = await report({ page: 2, pageSize: 2 });
    expect([page.total, page.page, page.items.length]).toEqual([5, 2, 2]);
  });

  it('should replace the list on every run, and drop a listed unit that left service', async () => {
    await db.dataSource.manager.update(TerminalEntity, units.noFault, { status: 'in_repair' });
    expect((await report()).total).toBe(4);
    clock.set(new Date(NOW.getTime() + 3_600_000));
    expect((await service.recompute())?.listed).toBe(4);
    expect(await db.dataSource.getRepository(EarlyWarningEntity).count()).toBe(4);
    expect((await report()).asOf).toBe(new Date(NOW.getTime() + 3_600_000).toISOString());
  });

  it('should leave a recent run alone when run on schedule, and run when asked', async () => {
    const config = { earlyWarning: { checkSeconds: 6 * 3_600 } } as AppConfig;
    const scheduler = new EarlyWarningScheduler(service, new JobLocks(db.dataSource, clock), config);
    const runs = () => db.dataSource.getRepository(EarlyWarningRunEntity).count();
    const before = await runs();
    expect(await scheduler.runOnce(6 * 3_600_000)).toBeNull();
    clock.set(new Date(NOW.getTime() + 4 * 3_600_000));
    expect(await scheduler.runOnce(6 * 3_600_000)).toMatchObject({ listed: 4 });
    expect(await scheduler.runNow()).toMatchObject({ listed: 4 });
    expect(await runs()).toBe(before + 2);
  });

  it('should not run while another instance holds the job', async () => {
    const config = { earlyWarning: { checkSeconds: 0 } } as AppConfig;
    const other = new JobLocks(db.dataSource, clock);
    expect(await other.acquire('early-warning', 60_000)).toBe(true);
    try {
      expect(await new EarlyWarningScheduler(service, new JobLocks(db.dataSource, clock), config).runNow()).toBeNull();
    } finally {
      await other.release('early-warning');
    }
  });
});
