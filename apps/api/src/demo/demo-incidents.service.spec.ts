import { Logger } from '@nestjs/common';
import { generateDemoFleet, type UserResponse } from '@fleet/shared';
import { FixedClock } from '../common/clock';
import type { Tx, TransactionRunner } from '../database/transaction';
import type { IncidentCostEntity } from '../incidents/incident-cost.entity';
import type { IncidentEventEntity } from '../incidents/incident-event.entity';
import type { IncidentEntity } from '../incidents/incident.entity';
import type { RegionEntity } from '../regions/region.entity';
import type { RegionsService } from '../regions/regions.service';
import type { TerminalEntity } from '../terminals/terminal.entity';
import type { TerminalsService, TerminalFields } from '../terminals/terminals.service';
import type { UsersService } from '../users/users.service';
import type { DemoIncidentsRepository } from './demo-incidents.repository';
import type { ReliabilityRollupService } from '../analytics/reliability-rollup.service';
import { DemoIncidentsService } from './demo-incidents.service';

Logger.overrideLogger(false);

const NOW = new Date('2026-11-22T08:00:00Z');

/** The demo fleet as stored (ids, asset numbers, references), and fakes that record what the seeding writes. */
function setup(options: { foreign?: boolean } = {}) {
  const fleet = generateDemoFleet({ seed: 3, today: NOW.toISOString().slice(0, 10), terminals: 1200 });
  const regions = fleet.regions.map((region, index) => ({ id: index + 1, code: region.code, parentCode: region.parentCode }));
  const regionId = new Map(regions.map((region) => [region.code, region.id]));
  const merchantId = new Map(fleet.merchants.map((merchant, index) => [merchant.name, 500 + index]));
  const stored = fleet.terminals.map(
    (terminal, index) =>
      ({
        id: 10_000 + index,
        version: 1,
        assetNumber: `POS-${terminal.regionCode}-${index}`,
        serialNumber: options.foreign && index === 0 ? 'NOT-DEMO-1' : terminal.serialNumber,
        modelId: 100 + fleet.models.findIndex((model) => model.name === terminal.modelName),
        supplierId: 200 + fleet.suppliers.findIndex((supplier) => supplier.name === terminal.supplierName),
        category: fleet.models.find((model) => model.name === terminal.modelName)!.category,
        regionId: regionId.get(terminal.regionCode)!,
        merchantId: terminal.merchantName ? merchantId.get(terminal.merchantName)! : null,
        status: terminal.status,
        purchaseDate: terminal.purchaseDate,
        purchasePrice: terminal.purchasePrice,
        currency: terminal.currency,
        warrantyStart: terminal.warrantyStart,
        warrantyEnd: terminal.warrantyEnd,
        firmwareVersion: terminal.firmwareVersion,
      }) as TerminalEntity,
  );
  const users = [
    { id: 1, username: 'admin', role: 'admin', active: true, regionId: null },
    { id: 2, username: 'tech', role: 'technician', active: true, regionId: null },
    { id: 3, username: 'gd-tech', role: 'technician', active: true, regionId: regionId.get('GD')! },
    { id: 4, username: 'buyer', role: 'procurement', active: true, regionId: null },
    { id: 5, username: 'gone', role: 'technician', active: false, regionId: null },
  ] as UserResponse[];

  const written = { incidents: [] as Omit<IncidentEntity, 'id'>[], costs: [] as Omit<IncidentCostEntity, 'id'>[][], events: [] as Omit<IncidentEventEntity, 'id'>[], costIds: [] as number[][] };
  const updates: { id: number; actor: { id: number; username: string }; changes: Partial<TerminalFields>; action: string; reason: string | null | undefined }[] = [];
  const tx = {} as Tx;
  const terminals = {
    getTerminal: async (id: number) => stored.find((terminal) => terminal.id === id)!,
    assertTransition: () => undefined,
    applyUpdate: async (_tx: Tx, actor: { id: number; username: string }, before: TerminalEntity, _version: number, changes: Partial<TerminalFields>, action: string, reason?: string | null) => {
      updates.push({ id: before.id, actor, changes, action, reason });
    },
  } as unknown as TerminalsService;
  const history: { terminalIds: number[]; spans: { terminalId: number; from: number; to: number | null; regionId: number }[] } = { terminalIds: [], spans: [] };
  let nextCost = 9000;
  const repository = {
    insertIncidents: async (_tx: Tx, rows: Omit<IncidentEntity, 'id'>[]) => {
      written.incidents.push(...rows);
      return rows.map((_row, index) => index + 1);
    },
    insertCosts: async (_tx: Tx, lines: Omit<IncidentCostEntity, 'id'>[][]) => {
      written.costs.push(...lines);
      written.costIds = lines.map((group) => group.map(() => nextCost++));
      return written.costIds;
    },
    insertEvents: async (_tx: Tx, rows: Omit<IncidentEventEntity, 'id'>[]) => {
      written.events.push(...rows);
    },
  } as unknown as DemoIncidentsRepository;
  const service = new DemoIncidentsService(
    terminals,
    { list: async () => users } as unknown as UsersService,
    { regionTree: async () => regions.map((region) => ({ id: region.id, code: region.code, parentId: region.parentCode ? regionId.get(region.parentCode)! : null }) as RegionEntity) } as unknown as RegionsService,
    repository,
    { run: (work: (tx: Tx) => Promise<unknown>) => work(tx) } as unknown as TransactionRunner,
    {
      replaceHistory: async (_tx: Tx, terminalIds: readonly number[], spans: readonly { terminalId: number; from: number; to: number | null; regionId: number }[]) => {
        history.terminalIds = [...terminalIds];
        history.spans = [...spans];
      },
    } as unknown as ReliabilityRollupService,
    new FixedClock(NOW),
  );
  return { service, fleet, stored, written, updates, history };
}

describe(DemoIncidentsService.name, () => {
  it('should replace the in-service history of every stored terminal with the generated one, in each unit’s region', async () => {
    const { service, fleet, stored, history } = setup();
    await service.seed(fleet, stored);
    expect(history.terminalIds.sort((a, b) => a - b)).toEqual(stored.map((terminal) => terminal.id).sort((a, b) => a - b));
    expect(history.spans.length).toBeGreaterThan(0);
    for (const span of history.spans) {
      expect(span.regionId).toBe(stored.find((terminal) => terminal.id === span.terminalId)!.regionId);
      expect(span.to === null || span.to > span.from).toBe(true);
    }
  });

  it('should write each ticket with the region, model and supplier of its unit, the open ones holding their terminal', async () => {
    const { service, fleet, stored, written } = setup();
    const summary = await service.seed(fleet, stored);
    expect(summary.tickets).toBe(written.incidents.length);
    expect(summary.open).toBeGreaterThanOrEqual(7);
    for (const row of written.incidents) {
      const unit = stored.find((terminal) => terminal.id === row.terminalId)!;
      expect([row.regionId, row.modelId, row.supplierId]).toEqual([unit.regionId, unit.modelId, unit.supplierId]);
      expect(row.openTerminalId).toBe(row.stage === 'closed' ? null : row.terminalId);
      expect(row.reportedAt).toBeInstanceOf(Date);
      expect(row.reportedAt.getTime()).toBeLessThanOrEqual(NOW.getTime());
      expect(row.primaryErrorCode).toBe(row.errorCodes?.[0] ?? null);
    }
    expect(new Set(written.incidents.map((row) => row.assigneeId))).toEqual(new Set([2, 3]));
  });

  it('should point each cost event at the id its cost line was given', async () => {
    const { service, fleet, stored, written } = setup();
    await service.seed(fleet, stored);
    const costEvents = written.events.filter((event) => event.kind === 'cost_added' || event.kind === 'cost_updated');
    expect(costEvents.length).toBeGreaterThan(0);
    for (const event of costEvents) expect(written.costIds[event.incidentId - 1]).toContain(event.details?.costId);
    const added = written.events.filter((event) => event.kind === 'cost_added').map((event) => event.details?.costId);
    expect(added).toEqual(written.costIds.flat());
  });

  it('should deploy the spares still lent on open tickets at the ticket’s merchant, with an audit reason naming the ticket', async () => {
    const { service, fleet, stored, written, updates } = setup();
    await service.seed(fleet, stored);
    const lent = written.incidents.map((row, index) => ({ row, id: index + 1 })).filter(({ row }) => row.stage !== 'closed' && row.spareTerminalId !== null && row.spareOutcome === null);
    expect(lent.length).toBeGreaterThan(0);
    expect(updates).toEqual(
      lent.map(({ row, id }) => ({
        id: row.spareTerminalId,
        actor: expect.objectContaining({ username: expect.stringMatching(/tech/) }),
        changes: { status: 'deployed', merchantId: row.merchantId },
        action: 'transition',
        reason: `INC-${String(id).padStart(6, '0')}: spare lent`,
      })),
    );
    for (const { row } of lent) expect(stored.find((terminal) => terminal.id === row.spareTerminalId)!.status).toBe('spare');
  });

  it('should refuse terminals that are not of the demo fleet, writing nothing', async () => {
    const { service, fleet, stored, written, updates } = setup({ foreign: true });
    await expect(service.seed(fleet, stored)).rejects.toThrow('NOT-DEMO-1');
    expect([written.incidents.length, written.events.length, updates.length]).toEqual([0, 0, 0]);
  });
});
