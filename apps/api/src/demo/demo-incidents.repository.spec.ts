/**
 * The demo's bulk ticket writes against a real database (SQLite in memory,
 * and PostgreSQL when TEST_DATABASE_URL is set): a generated history is
 * inserted across several chunks, and every id handed back must name the row
 * it was given for.
 */
import { generateDemoIncidents, type DemoIncidentTerminal } from '@fleet/shared';
import { ModelEntity } from '../catalog/model.entity';
import { SupplierEntity } from '../catalog/supplier.entity';
import { TEST_ENGINES, type TestDatabase } from '../database/test-databases.testing';
import { TransactionRunner } from '../database/transaction';
import { IncidentCostEntity } from '../incidents/incident-cost.entity';
import { IncidentEventEntity } from '../incidents/incident-event.entity';
import { IncidentEntity } from '../incidents/incident.entity';
import { MerchantEntity } from '../regions/merchant.entity';
import { RegionEntity } from '../regions/region.entity';
import { TerminalEntity } from '../terminals/terminal.entity';
import { UserEntity } from '../users/user.entity';
import { InsurancePolicyEntity } from '../warranties/insurance-policy.entity';
import { DemoIncidentsRepository } from './demo-incidents.repository';
import { toIncidentEntity } from './demo-incidents.service';

const ENTITIES = [IncidentEntity, IncidentEventEntity, IncidentCostEntity, TerminalEntity, RegionEntity, ModelEntity, SupplierEntity, MerchantEntity, UserEntity, InsurancePolicyEntity];
const NOW = new Date('2026-11-22T08:00:00Z');
const stamps = { version: 1, createdAt: NOW, updatedAt: NOW };

describe.each(TEST_ENGINES)('DemoIncidentsRepository on %s', (_engine, open) => {
  let db: TestDatabase;
  let transactions: TransactionRunner;
  const repository = new DemoIncidentsRepository();

  /** A branch, a model, a technician and `count` deployed terminals, as the demo would have stored them. */
  async function newFleet(count: number) {
    const manager = db.dataSource.manager;
    const tag = Math.random().toString(36).slice(2, 8).toUpperCase();
    const region = await manager.save(RegionEntity, { code: `R${tag}`, name: 'Branch', parentId: null, path: `/${tag}/`, depth: 0, ...stamps });
    const supplier = await manager.save(SupplierEntity, { name: `Supplier ${tag}`, contactName: null, contactPhone: null, contactEmail: null, supportResponseHours: null, supportSla: null, ...stamps });
    const model = await manager.save(ModelEntity, { name: `Model ${tag}`, manufacturer: 'Maker', category: 'smart', spec: null, listPrice: 1000, currency: 'CNY', defaultWarrantyMonths: 24, endOfLifeDate: null, ...stamps });
    const user = await manager.save(UserEntity, { username: `tech-${tag}`, displayName: 'Technician', passwordHash: 'x', role: 'technician', active: true, regionId: null, ...stamps });
    const terminals: TerminalEntity[] = [];
    for (let i = 0; i < count; i++) {
      terminals.push(
        await manager.save(TerminalEntity, {
          assetNumber: `POS-${tag}-${i}`,
          serialNumber: `SN${tag}${i}`,
          modelId: model.id,
          supplierId: supplier.id,
          category: 'smart',
          regionId: region.id,
          merchantId: null,
          custodian: null,
          status: 'deployed',
          purchaseDate: '2024-01-10',
          purchasePrice: 1000,
          currency: 'CNY',
          batch: null,
          firmwareVersion: '1.0',
          appVersion: '1.0',
          warrantyStart: '2024-01-10',
          warrantyEnd: '2026-01-10',
          warrantyTerms: null,
          warrantyProvider: null,
          insurancePolicyId: null,
          notes: null,
          ...stamps,
        }),
      );
    }
    const history = generateDemoIncidents({
      seed: 5,
      now: NOW.toISOString(),
      terminals: terminals.map(
        (terminal): DemoIncidentTerminal => ({ ...terminal, modelName: model.name, supplierName: supplier.name, regionCode: region.code, policy: null }),
      ),
      models: [{ name: model.name, listPrice: 1000, annualFailureRate: 2.5 }],
      merchants: [],
      users: [{ id: user.id, username: user.username, role: 'technician', regionCode: null }],
      regions: [{ code: region.code, parentCode: null }],
      openTickets: 0,
    });
    const byId = new Map(terminals.map((terminal) => [terminal.id, terminal]));
    return { incidents: history.incidents, rows: history.incidents.map((incident) => toIncidentEntity(incident, byId.get(incident.terminalId)!)) };
  }

  beforeAll(async () => {
    db = await open(ENTITIES);
    transactions = new TransactionRunner(db.dataSource);
  });
  afterAll(() => db.drop());

  it('should hand back each ticket’s id in the order given, across chunks', async () => {
    const { rows } = await newFleet(40);
    expect(rows.length).toBeGreaterThan(150);
    const ids = await transactions.run((tx) => repository.insertIncidents(tx, rows));
    expect(new Set(ids).size).toBe(rows.length);
    const stored = new Map((await db.dataSource.manager.findBy(IncidentEntity, {})).map((row) => [row.id, row]));
    rows.forEach((row, index) => {
      const back = stored.get(ids[index]!)!;
      expect([back.terminalId, back.reportedAt.getTime(), back.description, back.version, back.closedAt?.getTime()]).toEqual([row.terminalId, row.reportedAt.getTime(), row.description, row.version, row.closedAt?.getTime()]);
    });
  });

  it('should hand back cost line ids ticket by ticket, across inserts of many lines, and keep the events', async () => {
    const { incidents, rows } = await newFleet(24);
    await transactions.run(async (tx) => {
      const ids = await repository.insertIncidents(tx, rows);
      // Four lines a ticket: more than one insert's worth.
      const lines = ids.map((incidentId, n) =>
        [1, 2, 3, 4].map((line) => ({ incidentId, kind: 'parts' as const, description: `${n}/${line}`, amount: line, currency: 'CNY', payer: 'bank' as const, claimReference: null, claimStatus: null, claimedAmount: null, approvedAmount: null, paidAmount: null, ...stamps })),
      );
      lines.splice(1, 0, []);
      expect(lines.flat().length).toBeGreaterThan(500);
      const costIds = await repository.insertCosts(tx, lines);
      const stored = new Map((await tx.findBy(IncidentCostEntity, {})).map((row) => [row.id, row]));
      expect(costIds.map((group) => group.map((id) => stored.get(id)?.description))).toEqual(lines.map((group) => group.map((line) => line.description)));

      const events = incidents.flatMap((incident, n) => incident.events.map((event) => ({ incidentId: ids[n]!, at: new Date(event.at), actorId: event.actor.id, actorName: event.actor.username, kind: event.kind, stageFrom: event.stageFrom, stageTo: event.stageTo, details: event.details, note: event.note })));
      await repository.insertEvents(tx, events);
      const first = await tx.find(IncidentEventEntity, { where: { incidentId: ids[0]! }, order: { id: 'ASC' } });
      expect(first.map((event) => [event.kind, event.details])).toEqual(incidents[0]!.events.map((event) => [event.kind, event.details]));
    });
  });
});
