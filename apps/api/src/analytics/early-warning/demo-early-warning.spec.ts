/**
 * Demo mode's heartbeat past against a real database (SQLite in memory, and
 * PostgreSQL when TEST_DATABASE_URL is set): planted for the demo's deployed
 * units and the units that failed recently, it teaches the early warning
 * enough for a fresh demo to show a short swap list.
 */
import { Logger } from '@nestjs/common';
import { DEMO_HISTORY_DAYS, INCIDENT_SYMPTOMS, seededRandom, type TerminalStatus } from '@fleet/shared';
import { ModelEntity } from '../../catalog/model.entity';
import { SupplierEntity } from '../../catalog/supplier.entity';
import { FixedClock } from '../../common/clock';
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
import { DemoEarlyWarning } from './demo-early-warning';
import { EarlyWarningRunEntity } from './early-warning-run.entity';
import { EarlyWarningEntity } from './early-warning.entity';
import { EarlyWarningRepository } from './early-warning.repository';
import { EarlyWarningScheduler } from './early-warning.scheduler';
import { EarlyWarningService } from './early-warning.service';

Logger.overrideLogger(false);

const ENTITIES = [EarlyWarningEntity, EarlyWarningRunEntity, JobLockEntity, TerminalEntity, RegionEntity, ModelEntity, SupplierEntity, MerchantEntity, InsurancePolicyEntity, IncidentEntity, UserEntity];
const DAY = 86_400_000;
const NOW = new Date('2026-03-01T06:00:00Z');
const stamps = { version: 1, createdAt: NOW, updatedAt: NOW };
/** Guards against a hung database, not a performance assertion: 460 units and 25,000 rollups are written. */
const SEED_TIMEOUT_MS = 120_000;

describe.each(TEST_ENGINES)('DemoEarlyWarning on %s', (_engine, open) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await open(ENTITIES);
  });
  afterAll(() => db?.drop());

  it('should plant a daily history for the deployed and recently failed units, and compute a short list from it', async () => {
    const manager = db.dataSource.manager;
    const region = await manager.save(RegionEntity, { code: 'DEMO', name: 'Demo', parentId: null, path: '/demo/', depth: 0, ...stamps });
    const supplier = await manager.save(SupplierEntity, { name: 'Supplier', contactName: null, contactPhone: null, contactEmail: null, supportResponseHours: null, supportSla: null, ...stamps });
    const model = await manager.save(ModelEntity, { name: 'Model', manufacturer: 'Maker', category: 'mobile', spec: null, listPrice: 1000, currency: 'CNY', defaultWarrantyMonths: 24, endOfLifeDate: null, ...stamps });
    const random = seededRandom(4);
    const terminal = async (n: number, status: TerminalStatus) =>
      (
        await manager.save(TerminalEntity, {
          assetNumber: `POS-DEMO-${n}`, serialNumber: `SNDEMO${n}`, modelId: model.id, supplierId: supplier.id, category: 'mobile', regionId: region.id, merchantId: null, custodian: null, status,
          purchaseDate: '2024-01-10', purchasePrice: 1000, currency: 'CNY', batch: null, firmwareVersion: '1.0', appVersion: '1.0', warrantyStart: null, warrantyEnd: null, warrantyTerms: null,
          warrantyProvider: null, insurancePolicyId: null, notes: null, ...stamps,
        })
      ).id;
    for (let n = 0; n < 400; n++) await terminal(n, n % 10 === 9 ? 'in_stock' : 'deployed');
    for (let n = 0; n < 60; n++) {
      const id = await terminal(1_000 + n, 'in_repair');
      const occurredAt = new Date(NOW.getTime() - random.int(1, 36) * DAY);
      await manager.insert(IncidentEntity, {
        terminalId: id, openTerminalId: id, regionId: region.id, modelId: model.id, supplierId: supplier.id, stage: 'at_repair', priority: 'normal', source: 'user', reporterName: 'demo',
        symptom: random.pick(INCIDENT_SYMPTOMS), description: 'Fault', occurredAt, reportedAt: occurredAt, ...stamps,
      });
    }

    const clock = new FixedClock(NOW);
    const transactions = new TransactionRunner(db.dataSource);
    const repository = new EarlyWarningRepository(db.dataSource.getRepository(EarlyWarningEntity), db.dataSource.getRepository(EarlyWarningRunEntity));
    const service = new EarlyWarningService(repository, { getRegion: async () => region } as unknown as RegionsService, transactions, clock);
    const scheduler = new EarlyWarningScheduler(service, new JobLocks(db.dataSource, clock), { earlyWarning: { checkSeconds: 0 } } as AppConfig);
    await new DemoEarlyWarning(repository, scheduler, transactions, clock).seed();

    const [{ n: rollups }] = await db.dataSource.query("SELECT COUNT(*) AS n FROM heartbeat_rollups WHERE granularity = 'day'");
    // 360 deployed units every day, and the failed ones up to their failure.
    expect(Number(rollups)).toBeGreaterThan(360 * DEMO_HISTORY_DAYS);
    expect(Number(rollups)).toBeLessThan(420 * DEMO_HISTORY_DAYS);
    const [{ n: dropouts }] = await db.dataSource.query("SELECT COUNT(*) AS n FROM status_changes WHERE to_state = 'offline'");
    expect(Number(dropouts)).toBeGreaterThan(0);

    const list = await service.report({});
    expect(list.basis.failedUnits).toBeGreaterThanOrEqual(55);
    expect(list.basis.healthyUnits).toBe(360);
    expect(list.total).toBeGreaterThanOrEqual(2);
    expect(list.total).toBeLessThanOrEqual(15);
    expect(list.items[0]!.evidence[0]!.likelihoodRatio).toBeGreaterThan(2);
  }, SEED_TIMEOUT_MS);
});
