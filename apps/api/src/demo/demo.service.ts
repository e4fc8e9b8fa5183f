/**
 * First-start work: the configured admin always exists; in demo mode the demo
 * users exist too, and an empty database receives the seeded demo fleet
 * (libs/shared generateDemoFleet), written through the same services as any
 * other record, so numbering, defaults and the audit trail are the real ones,
 * then its past of fault tickets (DemoIncidentsService).
 */
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { generateDemoFleet, type CreateMaintenancePlanRequest, type DemoFleet, type TerminalCategory } from '@fleet/shared';
import { CatalogService } from '../catalog/catalog.service';
import { HealthPoliciesService } from '../heartbeats/health-policies.service';
import { SYSTEM_ACTOR } from '../common/authorization';
import { addDays, Clock } from '../common/clock';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { TransactionRunner } from '../database/transaction';
import { MaintenancePlansService } from '../maintenance/maintenance-plans.service';
import { DemoEarlyWarning } from '../analytics/early-warning/demo-early-warning';
import { ReliabilityRollupScheduler } from '../analytics/reliability-rollup.scheduler';
import { RegionsService } from '../regions/regions.service';
import type { TerminalEntity } from '../terminals/terminal.entity';
import { TerminalsService, type TerminalFields } from '../terminals/terminals.service';
import { UsersService } from '../users/users.service';
import { InsurancePoliciesService } from '../warranties/insurance-policies.service';
import { DemoIncidentsService } from './demo-incidents.service';
import { DemoSimulation } from './demo-simulation';

import { DEMO_SEED } from './demo.constants';

@Injectable()
export class DemoService implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoService.name);

  constructor(
    private readonly users: UsersService,
    private readonly catalog: CatalogService,
    private readonly regions: RegionsService,
    private readonly policies: InsurancePoliciesService,
    private readonly terminals: TerminalsService,
    private readonly transactions: TransactionRunner,
    private readonly healthPolicies: HealthPoliciesService,
    private readonly simulation: DemoSimulation,
    private readonly incidents: DemoIncidentsService,
    private readonly maintenance: MaintenancePlansService,
    private readonly rollups: ReliabilityRollupScheduler,
    private readonly earlyWarning: DemoEarlyWarning,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.users.ensureAdmin();
    if (!this.config.demo) return;
    const empty = (await this.terminals.countTerminals()) === 0 && (await this.regions.listRegions()).length === 0;
    const fleet = empty ? generateDemoFleet({ seed: DEMO_SEED, today: this.clock.today() }) : null;
    const terminals = fleet ? await this.seed(fleet) : [];
    // After the fleet: demo users are limited to some of its regions.
    await this.users.ensureDemoUsers();
    // After the users: the tickets are assigned to the demo technicians.
    if (fleet) await this.incidents.seed(fleet, terminals);
    if (fleet) await this.seedMaintenance();
    // Sixty days of heartbeat history, so the early-warning list has failures to learn from and units to list.
    if (fleet) await this.earlyWarning.seed();
    // The reliability pages have their figures from the first look, not after the first scheduled run.
    if (fleet) await this.rollups.runOnce();
    if (this.config.heartbeats.ingest) await this.simulation.start();
  }

  /**
   * Three maintenance plans, their first tasks generated at once so the
   * tasks and calendar pages have work: a quarterly inspection of the Beijing
   * branches due in about ten days, a half-yearly battery check of the mobile
   * terminals due in about a week, and printer cleaning every 3,000 prints.
   */
  private async seedMaintenance(): Promise<void> {
    const today = this.clock.today();
    const beijing = await this.regions.findRegionByCode('BJ');
    const plans: CreateMaintenancePlanRequest[] = [
      {
        name: '季度巡检 Quarterly inspection · Beijing',
        kind: 'inspection',
        checklist: ['外观与屏幕 Casing and screen', '读卡 Card reader', '打印 Printer', '网络 Network', '交易测试 Test transaction'],
        scope: 'region',
        regionId: beijing?.id ?? null,
        startDate: addDays(today, -80),
        anchor: 'fixed',
        interval: 3,
        intervalUnit: 'months',
      },
      {
        name: '电池检查 Battery check · mobile POS',
        kind: 'battery_check',
        checklist: ['电池容量 Battery capacity', '充电座 Charging base', '电池鼓包 Swelling'],
        scope: 'category',
        category: 'mobile',
        startDate: addDays(today, -175),
        anchor: 'fixed',
        interval: 6,
        intervalUnit: 'months',
      },
      {
        name: '打印机清洁 Printer cleaning every 3,000 prints',
        kind: 'cleaning',
        checklist: ['打印头 Print head', '纸仓 Paper bay'],
        scope: 'category',
        category: 'desktop',
        anchor: 'from_completion',
        usageCounter: 'prints',
        usageEvery: 3_000,
      },
    ];
    let generated = 0;
    for (const plan of plans) {
      if (plan.scope === 'region' && !plan.regionId) continue;
      const created = await this.maintenance.create(SYSTEM_ACTOR, plan);
      generated += (await this.maintenance.generateNow(SYSTEM_ACTOR, created.id)).generated;
    }
    this.logger.log(`Demo maintenance plans created: ${plans.length}, ${generated} tasks`);
  }

  /** Writes the fleet; returns its terminals as stored. */
  async seed(fleet: DemoFleet): Promise<TerminalEntity[]> {
    const started = this.clock.now().getTime();
    const actor = SYSTEM_ACTOR;
    const supplierIds = new Map<string, number>();
    for (const supplier of fleet.suppliers) supplierIds.set(supplier.name, (await this.catalog.createSupplier(actor, supplier)).id);
    const models = new Map<string, { id: number; category: TerminalCategory }>();
    for (const { supplierName: _supplier, annualFailureRate: _rate, ...model } of fleet.models) {
      const created = await this.catalog.createModel(actor, model);
      models.set(model.name, { id: created.id, category: created.category });
    }
    const policyIds = new Map<string, number>();
    for (const policy of fleet.policies) policyIds.set(policy.policyNumber, (await this.policies.create(actor, policy)).id);

    const terminals = await this.transactions.run(async (tx) => {
      const regionIds = new Map<string, number>();
      for (const region of fleet.regions) {
        const parentId = region.parentCode ? regionIds.get(region.parentCode) : null;
        regionIds.set(region.code, (await this.regions.createRegion(actor, { code: region.code, name: region.name, parentId }, tx)).id);
      }
      const merchantIds = new Map<string, number>();
      for (const merchant of fleet.merchants) {
        const regionId = regionIds.get(merchant.regionCode);
        if (regionId === undefined) continue;
        const created = await this.regions.createMerchant(
          actor,
          { name: merchant.name, regionId, address: merchant.address, contactName: merchant.contactName, contactPhone: merchant.contactPhone },
          tx,
        );
        merchantIds.set(merchant.name, created.id);
      }
      // The generator's output is complete and checked by its own tests, so it goes in as one batch.
      const rows: TerminalFields[] = fleet.terminals.map((terminal) => {
        const model = models.get(terminal.modelName);
        const supplierId = supplierIds.get(terminal.supplierName);
        const regionId = regionIds.get(terminal.regionCode);
        if (!model || supplierId === undefined || regionId === undefined) throw new Error(`demo terminal ${terminal.serialNumber} refers to a record the demo did not create`);
        return {
          assetNumber: '',
          serialNumber: terminal.serialNumber,
          modelId: model.id,
          supplierId,
          category: model.category,
          regionId,
          merchantId: terminal.merchantName ? (merchantIds.get(terminal.merchantName) ?? null) : null,
          custodian: terminal.custodian,
          status: terminal.status,
          purchaseDate: terminal.purchaseDate,
          purchasePrice: terminal.purchasePrice,
          currency: terminal.currency,
          batch: terminal.batch,
          firmwareVersion: terminal.firmwareVersion,
          appVersion: terminal.appVersion,
          warrantyStart: terminal.warrantyStart,
          warrantyEnd: terminal.warrantyEnd,
          warrantyTerms: terminal.warrantyTerms,
          warrantyProvider: terminal.warrantyProvider,
          insurancePolicyId: terminal.insurancePolicyNumber ? (policyIds.get(terminal.insurancePolicyNumber) ?? null) : null,
          notes: terminal.notes,
        };
      });
      return this.terminals.insertMany(tx, actor, rows, 'import');
    });
    // Offline after three missed heartbeats at the demo's pace, so failures show within minutes.
    const deployed = fleet.terminals.filter((terminal) => terminal.status === 'deployed').length;
    const offlineAfterSeconds = Math.min(86_400, 3 * DemoSimulation.intervalSeconds(deployed, this.config.heartbeats.demoRate));
    for (const model of models.values()) await this.healthPolicies.putForModel(actor, model.id, { offlineAfterSeconds }, undefined);
    this.logger.log(
      `Demo fleet loaded: ${fleet.terminals.length} terminals, ${fleet.models.length} models, ${fleet.suppliers.length} suppliers, ${fleet.regions.length} regions in ${this.clock.now().getTime() - started} ms`,
    );
    return terminals;
  }
}
