/**
 * Maintenance generation against a real database: SQLite in memory always,
 * and PostgreSQL too when TEST_DATABASE_URL is set. The scheduler is driven
 * with a fixed clock day by day over a simulated year for each kind of
 * trigger, tasks are completed through the service as technicians would,
 * and exactly the tasks generated are checked; then reruns, a run cut short,
 * two instances racing, and plan changes that cancel open tasks.
 */
import { Logger } from '@nestjs/common';
import { In } from 'typeorm';
import { addDaysTo, type CreateMaintenancePlanRequest, type DueReason, type TerminalCategory, type TerminalStatus } from '@fleet/shared';
import { AuditEntryEntity } from '../audit/audit-entry.entity';
import { AuditRepository } from '../audit/audit.repository';
import { AuditService } from '../audit/audit.service';
import { AuditedWriter } from '../audit/audited-writer';
import type { CatalogService } from '../catalog/catalog.service';
import { ModelEntity } from '../catalog/model.entity';
import { SupplierEntity } from '../catalog/supplier.entity';
import type { Actor } from '../common/authorization';
import { FixedClock } from '../common/clock';
import type { AppConfig } from '../config/app-config';
import { JobLockEntity } from '../database/job-lock.entity';
import { JobLocks } from '../database/job-locks';
import { TEST_ENGINES, type TestDatabase } from '../database/test-databases.testing';
import { TransactionRunner } from '../database/transaction';
import type { LiveHealthService } from '../heartbeats/live-health.service';
import { MerchantEntity } from '../regions/merchant.entity';
import { RegionEntity } from '../regions/region.entity';
import type { RegionsService } from '../regions/regions.service';
import { TerminalEntity } from '../terminals/terminal.entity';
import type { TerminalsService } from '../terminals/terminals.service';
import type { UsersService } from '../users/users.service';
import { UserEntity } from '../users/user.entity';
import { InsurancePolicyEntity } from '../warranties/insurance-policy.entity';
import { MaintenanceGenerationService } from './maintenance-generation.service';
import { MaintenancePlanEntity } from './maintenance-plan.entity';
import { MaintenancePlansRepository } from './maintenance-plans.repository';
import { MaintenancePlansService } from './maintenance-plans.service';
import { MaintenanceProgressEntity } from './maintenance-progress.entity';
import { MaintenanceTaskEntity } from './maintenance-task.entity';
import { MaintenanceTasksRepository } from './maintenance-tasks.repository';
import type { CompleteMaintenanceTaskDto, CreateMaintenancePlanDto, ListMaintenanceTasksQueryDto, UpdateMaintenancePlanDto } from './maintenance.dto';
import { MaintenanceScheduler } from './maintenance.scheduler';
import { MaintenanceService } from './maintenance.service';

Logger.overrideLogger(false);

const YEAR_START = '2026-01-01';
const at = (date: string) => new Date(`${date}T06:00:00Z`);
const day = (d: number) => addDaysTo(YEAR_START, d);
const ACTOR: Actor = { id: 0, username: 'tester', role: 'admin', sessionId: 0 };
const CHECKLIST = ['Clean the card reader', 'Check the printer'];
/** Guards against a hung database, not a performance assertion: a year is ~365 scheduler runs. */
const YEAR_TIMEOUT_MS = 300_000;

const ENTITIES = [
  MaintenancePlanEntity,
  MaintenanceTaskEntity,
  MaintenanceProgressEntity,
  TerminalEntity,
  ModelEntity,
  SupplierEntity,
  RegionEntity,
  MerchantEntity,
  InsurancePolicyEntity,
  UserEntity,
  AuditEntryEntity,
  JobLockEntity,
];

describe.each(TEST_ENGINES)('maintenance generation on %s', (_engine, open) => {
  let db: TestDatabase;
  let clock: FixedClock;
  let transactions: TransactionRunner;
  let tasksRepository: MaintenanceTasksRepository;
  let plans: MaintenancePlansService;
  let tasks: MaintenanceService;
  let scheduler: MaintenanceScheduler;
  let supplierId: number;
  let regionId: number;
  let sequence = 0;
  /** Each terminal's counters as live health would report them. */
  const usage = new Map<number, { transactions: number | null; prints: number | null }>();
  const live = { ingests: true, isReady: true, usage: (id: number) => usage.get(id) ?? null } as unknown as LiveHealthService;

  /** A generation service and a scheduler as another API instance would have them (its own lock holder, and on PostgreSQL its own transactions). */
  function instance(sharedTransactions = transactions) {
    const regions = {
      getRegion: (id: number) => db.dataSource.getRepository(RegionEntity).findOneByOrFail({ id }),
      regionTree: () => db.dataSource.getRepository(RegionEntity).find(),
    } as unknown as RegionsService;
    const generation = new MaintenanceGenerationService(tasksRepository, regions, live, sharedTransactions, clock);
    const audit = new AuditService(new AuditRepository(db.dataSource.getRepository(AuditEntryEntity)), clock);
    const catalog = { getModel: (id: number) => db.dataSource.getRepository(ModelEntity).findOneByOrFail({ id }) } as unknown as CatalogService;
    const terminals = {
      attributesOf: async (ids: number[]) => (await db.dataSource.getRepository(TerminalEntity).findBy({ id: In(ids) })).map((t) => ({ id: t.id, regionId: t.regionId, modelId: t.modelId, supplierId: t.supplierId, status: t.status })),
    } as unknown as TerminalsService;
    const planService = new MaintenancePlansService(
      new MaintenancePlansRepository(db.dataSource.getRepository(MaintenancePlanEntity)),
      tasksRepository,
      generation,
      catalog,
      regions,
      terminals,
      new AuditedWriter(sharedTransactions, audit, clock),
      sharedTransactions,
      clock,
    );
    const taskService = new MaintenanceService(tasksRepository, generation, regions, {} as UsersService, audit, sharedTransactions, clock);
    const config = { maintenance: { checkSeconds: 0 } } as AppConfig;
    return { generation, plans: planService, tasks: taskService, scheduler: new MaintenanceScheduler(planService, generation, live, new JobLocks(db.dataSource, clock), config) };
  }

  beforeAll(async () => {
    db = await open(ENTITIES);
    clock = new FixedClock(at(YEAR_START));
    transactions = new TransactionRunner(db.dataSource);
    tasksRepository = new MaintenanceTasksRepository(db.dataSource.getRepository(MaintenanceTaskEntity), db.dataSource.getRepository(MaintenanceProgressEntity));
    ({ plans, tasks, scheduler } = instance());
    const now = clock.now();
    const stamps = { version: 1, createdAt: now, updatedAt: now };
    supplierId = (await db.dataSource.getRepository(SupplierEntity).save({ name: 'Supplier', contactName: null, contactPhone: null, contactEmail: null, supportResponseHours: null, supportSla: null, ...stamps })).id;
    const region = await db.dataSource.getRepository(RegionEntity).save({ code: 'BJ', name: 'Beijing', parentId: null, path: '/', depth: 0, ...stamps });
    await db.dataSource.getRepository(RegionEntity).update(region.id, { path: `/${region.id}/` });
    regionId = region.id;
  });

  afterAll(() => db?.drop());

  beforeEach(() => clock.set(at(YEAR_START)));

  async function newModel(category: TerminalCategory = 'smart'): Promise<number> {
    const now = clock.now();
    const model = await db.dataSource.getRepository(ModelEntity).save({
      name: `Model ${++sequence}`,
      manufacturer: 'Maker',
      category,
      spec: null,
      listPrice: null,
      currency: 'CNY',
      defaultWarrantyMonths: 12,
      endOfLifeDate: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
    return model.id;
  }

  /** Terminals of a model, in one multi-row insert per 200; returns their ids. */
  async function newTerminals(modelId: number, count: number, fields: { status?: TerminalStatus; category?: TerminalCategory } = {}): Promise<number[]> {
    const now = clock.now();
    const rows = Array.from({ length: count }, () => {
      const n = ++sequence;
      return {
        assetNumber: `POS-BJ-${String(n).padStart(7, '0')}`,
        serialNumber: `SN${n}`,
        modelId,
        supplierId,
        category: fields.category ?? 'smart',
        regionId,
        merchantId: null,
        custodian: null,
        status: fields.status ?? 'deployed',
        purchaseDate: null,
        purchasePrice: null,
        currency: 'CNY',
        batch: null,
        firmwareVersion: null,
        appVersion: null,
        warrantyStart: null,
        warrantyEnd: null,
        warrantyTerms: null,
        warrantyProvider: null,
        insurancePolicyId: null,
        notes: null,
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
    });
    for (let start = 0; start < rows.length; start += 200) await db.dataSource.getRepository(TerminalEntity).insert(rows.slice(start, start + 200));
    const saved = await db.dataSource.getRepository(TerminalEntity).find({ select: { id: true, assetNumber: true }, where: { assetNumber: In(rows.map((row) => row.assetNumber)) } });
    return saved.map((terminal) => terminal.id).sort((a, b) => a - b);
  }

  async function newPlan(fields: Partial<CreateMaintenancePlanRequest>, planService = plans): Promise<number> {
    const request = { name: `Plan ${++sequence}`, kind: 'inspection', checklist: CHECKLIST, anchor: 'fixed', startDate: YEAR_START, ...fields } as CreateMaintenancePlanDto;
    return (await planService.create(ACTOR, request)).id;
  }

  async function tasksOf(planId: number): Promise<MaintenanceTaskEntity[]> {
    return db.dataSource.getRepository(MaintenanceTaskEntity).find({ where: { planId }, order: { terminalId: 'ASC', dueDate: 'ASC' } });
  }

  const complete = (id: number, version: number) =>
    tasks.complete(ACTOR, id, { results: CHECKLIST.map((item) => ({ item, result: 'ok' })), version } as CompleteMaintenanceTaskDto, version);

  describe('over a simulated year', () => {
    let fixedPlan: number;
    let fromCompletionPlan: number;
    let usagePlan: number;
    let whicheverPlan: number;
    const terminal: Record<'fixed' | 'fromCompletion' | 'usage' | 'whichever', number> = { fixed: 0, fromCompletion: 0, usage: 0, whichever: 0 };
    let notDeployed: number[];
    /** Days after its due date (or its generation, when later) each plan's tasks are completed. */
    const lateDays = new Map<number, number>();
    const usageOn = {
      usage: (d: number) => 150 * d,
      whichever: (d: number) => (d <= 182 ? 100 * d : 18_200 + 300 * (d - 182)),
    };

    beforeAll(async () => {
      const fixedModel = await newModel();
      terminal.fixed = (await newTerminals(fixedModel, 1))[0]!;
      notDeployed = [
        ...(await newTerminals(fixedModel, 1, { status: 'in_repair' })),
        ...(await newTerminals(fixedModel, 1, { status: 'in_stock' })),
        ...(await newTerminals(fixedModel, 1, { status: 'spare' })),
        ...(await newTerminals(fixedModel, 1, { status: 'retired' })),
      ];
      terminal.fromCompletion = (await newTerminals(await newModel(), 1))[0]!;
      terminal.usage = (await newTerminals(await newModel(), 1))[0]!;
      terminal.whichever = (await newTerminals(await newModel('mobile'), 1, { category: 'mobile' }))[0]!;
      usage.set(terminal.usage, { transactions: 0, prints: null });
      usage.set(terminal.whichever, { transactions: null, prints: 0 });

      fixedPlan = await newPlan({ scope: 'model', modelId: fixedModel, startDate: '2026-01-15', interval: 3, intervalUnit: 'months', leadDays: 14 });
      fromCompletionPlan = await newPlan({ scope: 'region', regionId, anchor: 'from_completion', interval: 90, intervalUnit: 'days', leadDays: 7, kind: 'cleaning' });
      // The region plan covers every terminal; the year is checked on the one it is about.
      usagePlan = await newPlan({ scope: 'terminals', terminalIds: [terminal.usage], anchor: 'from_completion', interval: null, usageCounter: 'transactions', usageEvery: 10_000 });
      whicheverPlan = await newPlan({ scope: 'category', category: 'mobile', anchor: 'from_completion', interval: 60, intervalUnit: 'days', usageCounter: 'prints', usageEvery: 10_000, kind: 'battery_check' });
      lateDays.set(fixedPlan, 5).set(fromCompletionPlan, 10).set(usagePlan, 0).set(whicheverPlan, 0);
    });

    // The region plan would reach the terminals of the other tests.
    afterAll(async () => {
      for (const planId of [fixedPlan, fromCompletionPlan, usagePlan, whicheverPlan]) {
        const plan = await plans.describe(planId);
        await plans.update(ACTOR, planId, { active: false } as UpdateMaintenancePlanDto, plan.version);
      }
    });

    /** Completes every open task whose completion day (due or generation day, whichever is later, plus the plan's lateness) is today. */
    async function completeDueToday(today: string): Promise<void> {
      const open = await db.dataSource.getRepository(MaintenanceTaskEntity).find({ where: { status: 'open' } });
      for (const task of open) {
        const generatedOn = task.createdAt.toISOString().slice(0, 10);
        const late = lateDays.get(task.planId);
        if (late === undefined) continue;
        if (addDaysTo(task.dueDate > generatedOn ? task.dueDate : generatedOn, late) === today) await complete(task.id, task.version);
      }
    }

    it(
      'should generate exactly the tasks of each trigger, for deployed terminals only',
      async () => {
        for (let d = 0; d < 365; d++) {
          const today = day(d);
          clock.set(at(today));
          usage.set(terminal.usage, { transactions: usageOn.usage(d), prints: null });
          usage.set(terminal.whichever, { transactions: null, prints: usageOn.whichever(d) });
          await completeDueToday(today);
          await scheduler.runOnce();
          // Usage tasks are due the day they are generated, and completed at once.
          await completeDueToday(today);
        }
        const generated = async (planId: number, terminalId: number) =>
          (await tasksOf(planId)).filter((task) => task.terminalId === terminalId).map((task): [string, DueReason] => [task.dueDate, task.dueReason]);

        expect(await generated(fixedPlan, terminal.fixed)).toEqual([
          ['2026-01-15', 'time'],
          ['2026-04-15', 'time'],
          ['2026-07-15', 'time'],
          ['2026-10-15', 'time'],
        ]);
        expect(await generated(fromCompletionPlan, terminal.fromCompletion)).toEqual([
          ['2026-04-01', 'time'],
          ['2026-07-10', 'time'],
          ['2026-10-18', 'time'],
        ]);
        expect(await generated(usagePlan, terminal.usage)).toEqual([67, 134, 201, 268, 335].map((d) => [day(d), 'usage']));
        expect(await generated(whicheverPlan, terminal.whichever)).toEqual([
          [day(60), 'time'],
          [day(120), 'time'],
          [day(180), 'time'],
          [day(215), 'usage'],
          [day(249), 'usage'],
          [day(283), 'usage'],
          [day(317), 'usage'],
          [day(351), 'usage'],
        ]);
        const all = await db.dataSource.getRepository(MaintenanceTaskEntity).find();
        expect(all.filter((task) => notDeployed.includes(task.terminalId))).toEqual([]);
        // Every task generated was completed on its day through the service (the next ones fall in 2027).
        expect(all.filter((task) => task.status !== 'done')).toEqual([]);
      },
      YEAR_TIMEOUT_MS,
    );
  });

  it('should generate nothing more when run again the same day', async () => {
    const model = await newModel();
    const ids = await newTerminals(model, 30);
    const planId = await newPlan({ scope: 'model', modelId: model, interval: 1, intervalUnit: 'months' });
    expect((await scheduler.runOnce()).generated).toBe(30);
    expect((await scheduler.runOnce()).generated).toBe(0);
    expect((await tasksOf(planId)).map((task) => task.terminalId)).toEqual(ids);
  });

  it('should resume a run cut short after its first chunk without doubling a task', async () => {
    const model = await newModel();
    const ids = await newTerminals(model, 2_500);
    const planId = await newPlan({ scope: 'model', modelId: model, interval: 6, intervalUnit: 'months' });
    const plan = await plans.getPlan(planId);
    const { generation } = instance();
    const write = tasksRepository.writeChunk.bind(tasksRepository);
    let chunks = 0;
    const spy = jest.spyOn(tasksRepository, 'writeChunk').mockImplementation(async (...args) => {
      if (++chunks === 2) throw new Error('killed halfway');
      return write(...args);
    });
    try {
      await expect(generation.generate(plan)).rejects.toThrow('killed halfway');
    } finally {
      spy.mockRestore();
    }
    expect(await tasksOf(planId)).toHaveLength(1_000);
    expect(await generation.generate(plan)).toBe(1_500);
    expect(await generation.generate(plan)).toBe(0);
    const rows = await tasksOf(planId);
    expect(rows.map((task) => task.terminalId)).toEqual(ids);
    expect(new Set(rows.map((task) => task.dueDate))).toEqual(new Set([YEAR_START]));
  });

  it('should let one of two instances run the job, and never double a task even when both generate at once', async () => {
    const model = await newModel();
    const ids = await newTerminals(model, 1_200);
    const planId = await newPlan({ scope: 'model', modelId: model, interval: 2, intervalUnit: 'months' });
    // On SQLite the instances share the one connection, so they share its transaction queue; on PostgreSQL each has its own.
    const other = instance(db.dataSource.options.type === 'postgres' ? new TransactionRunner(db.dataSource) : transactions);
    const [first, second] = await Promise.all([scheduler.runOnce(), other.scheduler.runOnce()]);
    expect([first.generated, second.generated].sort((a, b) => a - b)).toEqual([0, 1_200]);

    const racingModel = await newModel();
    const racingIds = await newTerminals(racingModel, 1_200);
    const racingPlan = await plans.getPlan(await newPlan({ scope: 'model', modelId: racingModel, interval: 2, intervalUnit: 'months' }));
    const counts = await Promise.all([instance().generation.generate(racingPlan), other.generation.generate(racingPlan)]);
    expect(counts[0] + counts[1]).toBe(1_200);
    expect((await tasksOf(racingPlan.id)).map((task) => task.terminalId)).toEqual(racingIds);
    expect((await tasksOf(planId)).map((task) => task.terminalId)).toEqual(ids);
  });

  it('should cancel the open tasks of a deactivated plan and restart it from its reactivation', async () => {
    const model = await newModel();
    const [unit] = await newTerminals(model, 1);
    const planId = await newPlan({ scope: 'model', modelId: model, startDate: '2026-01-10', interval: 1, intervalUnit: 'months', leadDays: 0 });
    clock.set(at('2026-01-10'));
    await scheduler.runOnce();
    let plan = await plans.describe(planId);
    plan = await plans.update(ACTOR, planId, { active: false } as UpdateMaintenancePlanDto, plan.version);
    expect((await tasksOf(planId)).map((task) => [task.dueDate, task.status, task.closeReason])).toEqual([['2026-01-10', 'cancelled', 'plan deactivated']]);
    clock.set(at('2026-04-20'));
    await scheduler.runOnce();
    expect(await tasksOf(planId)).toHaveLength(1);
    await plans.update(ACTOR, planId, { active: true } as UpdateMaintenancePlanDto, plan.version);
    clock.set(at('2026-05-10'));
    await scheduler.runOnce();
    // The points of February to April passed while it was off; the next after the reactivation is May 10.
    expect((await tasksOf(planId)).map((task) => [task.terminalId, task.dueDate, task.status])).toEqual([
      [unit, '2026-01-10', 'cancelled'],
      [unit, '2026-05-10', 'open'],
    ]);
  });

  it('should cancel the open tasks of terminals a narrowed scope leaves out, and give newcomers the next point', async () => {
    const model = await newModel();
    const [kept, dropped] = await newTerminals(model, 2);
    const planId = await newPlan({ scope: 'terminals', terminalIds: [kept!, dropped!], startDate: '2026-01-05', interval: 7, intervalUnit: 'days', leadDays: 0 });
    clock.set(at('2026-01-05'));
    await scheduler.runOnce();
    const [newcomer] = await newTerminals(model, 1);
    clock.set(at('2026-01-06'));
    const plan = await plans.describe(planId);
    await plans.update(ACTOR, planId, { terminalIds: [kept!, newcomer!] } as UpdateMaintenancePlanDto, plan.version);
    await scheduler.runOnce();
    expect((await tasksOf(planId)).map((task) => [task.terminalId, task.dueDate, task.status])).toEqual([
      [kept, '2026-01-05', 'open'],
      [dropped, '2026-01-05', 'cancelled'],
    ]);
    clock.set(at('2026-01-12'));
    await scheduler.runOnce();
    expect((await tasksOf(planId)).filter((task) => task.terminalId === newcomer).map((task) => task.dueDate)).toEqual(['2026-01-12']);
  });

  it('should list overdue and postponed tasks and count them per day for the calendar', async () => {
    const model = await newModel();
    const [, second, third] = await newTerminals(model, 3);
    const planId = await newPlan({ scope: 'model', modelId: model, startDate: '2026-02-02', interval: 1, intervalUnit: 'months', leadDays: 0 });
    clock.set(at('2026-02-02'));
    await scheduler.runOnce();
    const [a, b, c] = await tasksOf(planId);
    clock.set(at('2026-02-05'));
    await complete(a!.id, a!.version);
    const postponed = await tasks.postpone(ACTOR, b!.id, { to: '2026-02-10', reason: 'Merchant closed for the holiday', version: b!.version }, b!.version);
    expect(postponed).toMatchObject({ dueDate: '2026-02-02', effectiveDueDate: '2026-02-10', overdue: false, actions: ['assign', 'complete', 'postpone', 'skip'] });
    const list = (query: Partial<ListMaintenanceTasksQueryDto>) => tasks.list({ planId, ...query } as ListMaintenanceTasksQueryDto);
    expect((await list({ overdue: true })).items.map((task) => task.terminal.id)).toEqual([third]);
    expect((await list({ status: ['open'], regionId })).items.map((task) => task.terminal.id)).toEqual([third, second]);
    expect((await list({ dueFrom: '2026-02-03' })).items.map((task) => task.id)).toEqual([b!.id]);
    const calendar = await tasks.calendar({ from: '2026-02-01', to: '2026-02-28', planId });
    expect(calendar.days).toHaveLength(28);
    expect(calendar.days.filter((d) => d.open + d.done + d.skipped + d.cancelled > 0)).toEqual([
      { date: '2026-02-02', open: 1, overdue: 1, done: 1, skipped: 0, cancelled: 0 },
      { date: '2026-02-10', open: 1, overdue: 0, done: 0, skipped: 0, cancelled: 0 },
    ]);
    await expect(complete(a!.id, a!.version + 1)).rejects.toMatchObject({ code: 'MAINTENANCE_TASK_INVALID_TRANSITION' });
    await expect(tasks.skip(ACTOR, c!.id, { reason: 'Replaced', version: c!.version + 5 }, c!.version + 5)).rejects.toMatchObject({ code: 'VERSION_CONFLICT' });
  });
});
