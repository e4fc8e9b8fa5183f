/**
 * The alert evaluator on a real database (SQLite in memory, and PostgreSQL
 * when TEST_DATABASE_URL is set) at chosen instants: raise, dedupe, repeat,
 * escalate, acknowledge, auto-resolve, suppression, expiry windows narrowing,
 * and two instances evaluating at once.
 */
import { Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { AlertNotice, AlertRuleKind } from '@fleet/shared';
import { FixedClock } from '../common/clock';
import { TEST_ENGINES, type TestDatabase } from '../database/test-databases.testing';
import { TransactionRunner } from '../database/transaction';
import type { IncidentsService } from '../incidents/incidents.service';
import type { RegionsService } from '../regions/regions.service';
import { AlertEvaluator } from './alert-evaluator';
import type { AlertNotifier } from './alert-notifier';
import { AlertRuleEntity } from './alert-rule.entity';
import type { AlertSources, LabelledCondition } from './alert-sources';
import { AlertSubscriptionEntity } from './alert-subscription.entity';
import { AlertEntity } from './alert.entity';
import { AlertsRepository } from './alerts.repository';
import { ModelEntity } from '../catalog/model.entity';
import { SupplierEntity } from '../catalog/supplier.entity';
import { MerchantEntity } from '../regions/merchant.entity';
import { RegionEntity } from '../regions/region.entity';
import { TerminalEntity } from '../terminals/terminal.entity';
import { UserEntity } from '../users/user.entity';
import { InsurancePolicyEntity } from '../warranties/insurance-policy.entity';
import { MaintenanceWindowEntity } from './maintenance-window.entity';

Logger.overrideLogger(false);

const T0 = new Date('2026-11-22T08:00:00Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

describe.each(TEST_ENGINES)('AlertEvaluator on %s', (_engine, open) => {
  let db: TestDatabase;
  let clock: FixedClock;
  let repository: AlertsRepository;
  /** What the sources say holds now, per rule kind. */
  let holding: Map<AlertRuleKind, LabelledCondition[]>;
  let ticketed: Set<number>;
  let notices: { notice: AlertNotice; ids: number[] }[];
  /** One per process; instances on PostgreSQL each have theirs, SQLite has one writer anyway. */
  let transactions: TransactionRunner;

  const condition = (subjectId: number, overrides: Partial<LabelledCondition> = {}): LabelledCondition => ({
    subjectType: 'terminal',
    subjectId,
    variant: '',
    regionId: 1,
    since: T0,
    label: `POS-T-${subjectId}`,
    details: {},
    ...overrides,
  });

  function evaluator(): AlertEvaluator {
    const sources = { conditions: async (rule: AlertRuleEntity) => holding.get(rule.kind) ?? [] } as unknown as AlertSources;
    const notifier = {
      notify: async (_tx: unknown, _rule: AlertRuleEntity, notice: AlertNotice, alerts: AlertEntity[]) => {
        if (alerts.length) notices.push({ notice, ids: alerts.map((alert) => alert.id).sort((a, b) => a - b) });
        return alerts.length ? 1 : 0;
      },
    } as unknown as AlertNotifier;
    const incidents = { terminalsWithOpenTickets: async (ids: number[]) => new Set(ids.filter((id) => ticketed.has(id))) } as unknown as IncidentsService;
    const regions = { regionTree: async () => [{ id: 1, path: '/1/' }, { id: 2, path: '/1/2/' }] } as unknown as RegionsService;
    return new AlertEvaluator(repository, sources, notifier, incidents, regions, transactions, clock, new EventEmitter2());
  }

  async function rule(kind: AlertRuleKind, overrides: Partial<AlertRuleEntity> = {}): Promise<AlertRuleEntity> {
    return db.dataSource.getRepository(AlertRuleEntity).save({
      kind,
      name: `${kind} ${Math.random()}`,
      severity: 'warning',
      enabled: true,
      params: {},
      repeatMinutes: 60,
      escalateAfterMinutes: 120,
      escalateToRole: 'fleet_manager',
      suppressWithOpenTicket: true,
      version: 1,
      createdAt: T0,
      updatedAt: T0,
      ...overrides,
    });
  }

  const alertsOf = (ruleId: number) => db.dataSource.getRepository(AlertEntity).find({ where: { ruleId }, order: { id: 'ASC' } });

  beforeAll(async () => {
    db = await open([AlertRuleEntity, AlertEntity, AlertSubscriptionEntity, MaintenanceWindowEntity, RegionEntity, UserEntity, TerminalEntity, ModelEntity, SupplierEntity, MerchantEntity, InsurancePolicyEntity]);
    const regions = db.dataSource.getRepository(RegionEntity);
    await regions.insert({ id: 1, code: 'P1', name: 'Province', parentId: null, path: '/1/', depth: 0, version: 1, createdAt: T0, updatedAt: T0 });
    await regions.insert({ id: 2, code: 'B2', name: 'Branch', parentId: 1, path: '/1/2/', depth: 1, version: 1, createdAt: T0, updatedAt: T0 });
  });
  afterAll(() => db.drop());

  beforeEach(async () => {
    await db.dataSource.getRepository(AlertEntity).clear();
    await db.dataSource.query('DELETE FROM alert_rules');
    await db.dataSource.query('DELETE FROM maintenance_windows');
    clock = new FixedClock(T0);
    transactions = new TransactionRunner(db.dataSource);
    repository = new AlertsRepository(
      db.dataSource.getRepository(AlertRuleEntity),
      db.dataSource.getRepository(AlertEntity),
      db.dataSource.getRepository(AlertSubscriptionEntity),
      db.dataSource.getRepository(MaintenanceWindowEntity),
    );
    holding = new Map();
    ticketed = new Set();
    notices = [];
  });

  it('should raise once per subject, repeat while unacknowledged, escalate once, and resolve when the cause clears', async () => {
    const offline = await rule('terminal_offline');
    holding.set('terminal_offline', [condition(7), condition(8)]);
    const run = evaluator();
    expect(await run.evaluate()).toMatchObject({ raised: 2, resolved: 0 });
    const [a7, a8] = await alertsOf(offline.id);
    expect([a7!.subjectId, a8!.subjectId]).toEqual([7, 8]);
    expect(notices).toEqual([{ notice: 'raised', ids: [a7!.id, a8!.id] }]);

    clock.set(minutes(30));
    expect(await run.evaluate()).toMatchObject({ raised: 0, resolved: 0, notified: 0 });
    expect(await alertsOf(offline.id)).toHaveLength(2);

    // Someone acknowledges 8; 7 is repeated an hour after it was raised.
    await db.dataSource.getRepository(AlertEntity).update({ id: a8!.id }, { state: 'acknowledged', acknowledgedAt: minutes(40), acknowledgedBy: 'tech' });
    clock.set(minutes(60));
    notices = [];
    await run.evaluate();
    expect(notices).toEqual([{ notice: 'repeated', ids: [a7!.id] }]);

    clock.set(minutes(120));
    notices = [];
    await run.evaluate();
    expect(notices).toEqual([{ notice: 'escalated', ids: [a7!.id] }]);
    clock.set(minutes(150));
    notices = [];
    await run.evaluate();
    expect(notices).toEqual([]);

    holding.set('terminal_offline', [condition(8)]);
    clock.set(minutes(160));
    expect(await run.evaluate()).toMatchObject({ resolved: 1 });
    const after = await alertsOf(offline.id);
    expect(after.map((alert) => [alert.subjectId, alert.state, alert.resolvedBy, alert.notifyCount])).toEqual([
      [7, 'resolved', null, 3],
      [8, 'acknowledged', null, 1],
    ]);

    // The cause comes back: a new alert, the old one stays resolved.
    holding.set('terminal_offline', [condition(7), condition(8)]);
    clock.set(minutes(170));
    expect(await run.evaluate()).toMatchObject({ raised: 1 });
    expect((await alertsOf(offline.id)).filter((alert) => alert.subjectId === 7).map((alert) => alert.state)).toEqual(['resolved', 'open']);
  });

  it('should not raise terminal alerts inside a maintenance window or while a fault ticket is open', async () => {
    const offline = await rule('terminal_offline');
    await db.dataSource.getRepository(MaintenanceWindowEntity).save({ regionId: 2, terminalId: null, startsAt: minutes(-10), endsAt: minutes(60), reason: 'Network works at the branch', createdBy: 'x', createdAt: T0 });
    ticketed.add(4);
    holding.set('terminal_offline', [condition(3, { regionId: 2 }), condition(4), condition(5)]);
    await evaluator().evaluate();
    expect((await alertsOf(offline.id)).map((alert) => alert.subjectId)).toEqual([5]);

    // The window ends: the terminal is alerted on.
    clock.set(minutes(61));
    await evaluator().evaluate();
    expect((await alertsOf(offline.id)).map((alert) => alert.subjectId)).toEqual([5, 3]);
  });

  it('should resolve every alert of a disabled rule, as the rule being disabled', async () => {
    const battery = await rule('battery_low');
    holding.set('battery_low', [condition(1)]);
    await evaluator().evaluate();
    await db.dataSource.getRepository(AlertRuleEntity).update({ id: battery.id }, { enabled: false });
    await evaluator().evaluate();
    expect((await alertsOf(battery.id)).map((alert) => [alert.state, alert.resolvedBy])).toEqual([['resolved', 'rule disabled']]);
  });

  it('should remind of an expiring warranty once per window until acknowledged', async () => {
    const warranty = await rule('warranty_expiring', { repeatMinutes: null, escalateAfterMinutes: null, params: { windows: [30, 60, 90] } });
    const at = (window: number) => [condition(9, { variant: '2027-01-31', details: { endDate: '2027-01-31', window } })];
    holding.set('warranty_expiring', at(90));
    await evaluator().evaluate();
    holding.set('warranty_expiring', at(60));
    await evaluator().evaluate();
    await evaluator().evaluate();
    expect(notices.map((n) => n.notice)).toEqual(['raised', 'repeated']);
    const [alert] = await alertsOf(warranty.id);
    expect(alert!.details).toMatchObject({ window: 60 });
    await db.dataSource.getRepository(AlertEntity).update({ id: alert!.id }, { state: 'acknowledged', acknowledgedAt: T0, acknowledgedBy: 'manager' });
    holding.set('warranty_expiring', at(30));
    await evaluator().evaluate();
    expect(notices.map((n) => n.notice)).toEqual(['raised', 'repeated']);
    // The warranty is extended: the reminder for the old end resolves by itself.
    holding.set('warranty_expiring', []);
    await evaluator().evaluate();
    expect((await alertsOf(warranty.id)).map((a) => a.state)).toEqual(['resolved']);
  });

  it('should raise each alert once when two instances evaluate at the same time', async () => {
    const offline = await rule('terminal_offline');
    holding.set('terminal_offline', Array.from({ length: 300 }, (_, i) => condition(i + 1)));
    await Promise.all([evaluator().evaluate(), evaluator().evaluate(), evaluator().evaluate()]);
    const alerts = await alertsOf(offline.id);
    expect(alerts).toHaveLength(300);
    expect(new Set(alerts.map((alert) => alert.subjectId)).size).toBe(300);
  });
});
