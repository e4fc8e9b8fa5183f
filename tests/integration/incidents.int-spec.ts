/**
 * The fault workflow through the HTTP API, end to end, twice (issue 5):
 * in warranty with a spare and a supplier RMA; out of warranty, insured,
 * replaced. Both terminals' lifecycle, place and history are checked at every
 * step that moves them.
 */
import { startApi, type RunningApi } from '../support/server';
import { type Catalog, Client, createUser, heartbeat, login, newCatalog, newTerminal, terminalDevice, unique } from './support/client';

const DAY = 86_400_000;
const dateIn = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);

describe('fault tickets', () => {
  let api: RunningApi;
  let admin: Client;
  let technician: Client;
  let catalog: Catalog;
  let merchantId: number;

  beforeAll(async () => {
    api = await startApi();
    admin = await login(api);
    technician = await createUser(admin, 'technician');
    catalog = await newCatalog(admin);
    const merchant = await admin.post('/api/v1/merchants', { name: `Noodle shop ${unique()}`, regionId: catalog.branchId });
    merchantId = merchant.body.id;
  });

  afterAll(() => api.stop());

  /** Runs a step as the technician, with the ticket's current version; expects 200 and returns the ticket. */
  async function step(ticket: { id: number; version: number }, name: string, body: Record<string, unknown> = {}) {
    const reply = await technician.post(`/api/v1/incidents/${ticket.id}/${name}`, { version: ticket.version, ...body });
    if (reply.status !== 200) throw new Error(`${name}: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  }

  async function terminal(id: number) {
    return (await admin.get(`/api/v1/terminals/${id}`)).body;
  }

  /** The terminal's audit entries written by the workflow, oldest first, as "status change: reason". */
  async function workflowHistory(id: number): Promise<string[]> {
    const entries = (await admin.get(`/api/v1/terminals/${id}/audit?pageSize=50`)).body.items as { changes: Record<string, { from: unknown; to: unknown }>; reason: string | null }[];
    return entries
      .filter((entry) => entry.reason?.startsWith('INC-'))
      .reverse()
      .map((entry) => `${Object.entries(entry.changes).map(([field, change]) => `${field} ${String(change.from)}→${String(change.to)}`).join(', ')}: ${entry.reason!.replace(/^INC-\d+: /, '')}`);
  }

  it('should take an in-warranty fault through first response, a spare, backup, an RMA with a failed test, and close it', async () => {
    const unit = await newTerminal(admin, catalog, { status: 'deployed', merchantId, purchaseDate: dateIn(-200), warrantyStart: dateIn(-200), warrantyEnd: dateIn(500), purchasePrice: 2400 });
    const spare = await newTerminal(admin, catalog, { status: 'spare' });

    const created = await technician.post('/api/v1/incidents', { terminalId: unit.id, symptom: 'card_reader', errorCodes: ['E203'], description: 'Chip cards are refused', priority: 'high' });
    expect(created.status).toBe(201);
    let ticket = created.body;
    expect(ticket).toMatchObject({ stage: 'reported', number: `INC-${String(ticket.id).padStart(6, '0')}`, merchant: { id: merchantId }, errorCodes: ['E203'], actions: ['respond', 'diagnose', 'lendSpare', 'backUp', 'close'] });
    expect(ticket.advice).toMatchObject({ decision: 'supplier_rma', payer: 'supplier', warranty: 'active' });
    expect(ticket.sla.map((t: { measure: string; targetHours: number }) => [t.measure, t.targetHours])).toEqual([['respond', 4], ['restore', 12], ['repair', 120]]);

    const duplicate = await technician.post('/api/v1/incidents', { terminalId: unit.id, symptom: 'printer', description: 'Again' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({ code: 'INCIDENT_ALREADY_OPEN', details: { incidentId: ticket.id } });

    ticket = await step(ticket, 'respond', { checks: { restart: 'done', power: 'done', cables: 'done', network: 'done' }, fixed: false });
    expect(ticket.stage).toBe('diagnosing');
    expect(ticket.sla[0].metAt).not.toBeNull();

    ticket = await step(ticket, 'diagnose', { faultType: 'hardware', cause: 'quality_defect', mode: 'on_site', responsibility: 'supplier' });
    expect(ticket.stage).toBe('awaiting_repair');

    ticket = await step(ticket, 'spare', { spareTerminalId: spare.id, dueBack: dateIn(14) });
    expect(ticket.spare).toMatchObject({ terminal: { id: spare.id }, outcome: null, overdue: false });
    expect(ticket.restoredAt).not.toBeNull();
    expect(await terminal(spare.id)).toMatchObject({ status: 'deployed', merchant: { id: merchantId } });

    const early = await technician.post(`/api/v1/incidents/${ticket.id}/ship`, { version: ticket.version, repairVendor: 'Maker RMA', carrier: 'SF', trackingNumber: 'SF1' });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('INCIDENT_DECISION_REQUIRED');

    ticket = await step(ticket, 'decide', { decision: 'supplier_rma', repairVendor: 'Maker RMA centre' });
    const noBackup = await technician.post(`/api/v1/incidents/${ticket.id}/ship`, { version: ticket.version, repairVendor: 'Maker RMA', carrier: 'SF', trackingNumber: 'SF1' });
    expect(noBackup.status).toBe(409);
    expect(noBackup.body).toMatchObject({ code: 'INCIDENT_BACKUP_REQUIRED', details: { stage: 'awaiting_repair' } });
    expect((await technician.get(`/api/v1/incidents/${ticket.id}`)).body.version).toBe(ticket.version);
    expect(await terminal(unit.id)).toMatchObject({ status: 'deployed' });

    ticket = await step(ticket, 'backup', { location: 'Branch file server /backup/pos' });
    ticket = await step(ticket, 'ship', { repairVendor: 'Maker RMA centre', carrier: 'SF Express', trackingNumber: 'SF100200300' });
    expect(ticket).toMatchObject({ stage: 'at_repair', repair: { carrier: 'SF Express', trackingNumber: 'SF100200300' } });
    expect(await terminal(unit.id)).toMatchObject({ status: 'in_repair', merchant: null });

    const newSerial = `SWAP${unique()}`;
    ticket = await step(ticket, 'receive', { newSerialNumber: newSerial });
    expect(ticket.stage).toBe('testing');
    expect(await terminal(unit.id)).toMatchObject({ serialNumber: newSerial, status: 'in_repair' });

    ticket = await step(ticket, 'test', { checks: { chip: 'fail', stripe: 'pass', print: 'pass', test_transaction: 'pass' } });
    expect(ticket).toMatchObject({ stage: 'awaiting_repair', test: { passed: false, attempts: 1 } });
    expect(await terminal(unit.id)).toMatchObject({ status: 'in_repair' });

    ticket = await step(ticket, 'ship', { repairVendor: 'Maker RMA centre', carrier: 'SF Express', trackingNumber: 'SF100200301' });
    ticket = await step(ticket, 'receive', {});
    const noOutcome = await technician.post(`/api/v1/incidents/${ticket.id}/test`, { version: ticket.version, checks: { chip: 'pass', stripe: 'pass', contactless: 'pass', print: 'pass', touch_keys: 'pass', network: 'pass', test_transaction: 'pass' } });
    expect(noOutcome.status).toBe(400);
    expect(noOutcome.body.details.fields[0].field).toBe('spareOutcome');
    ticket = await step(ticket, 'test', {
      checks: { chip: 'pass', stripe: 'pass', contactless: 'pass', print: 'pass', touch_keys: 'pass', network: 'pass', test_transaction: 'pass' },
      spareOutcome: 'return',
    });
    expect(ticket).toMatchObject({ stage: 'resolved', test: { passed: true, attempts: 2 }, spare: { outcome: 'return' } });
    expect(await terminal(unit.id)).toMatchObject({ status: 'deployed', merchant: { id: merchantId } });
    expect(await terminal(spare.id)).toMatchObject({ status: 'spare', merchant: null });

    const unrestored = await technician.post(`/api/v1/incidents/${ticket.id}/close`, { version: ticket.version, resolution: 'repaired', note: 'Card reader replaced by the maker' });
    expect(unrestored.body.code).toBe('INCIDENT_RESTORE_REQUIRED');
    ticket = await step(ticket, 'restore', { note: 'Settings and batch restored' });
    ticket = await step(ticket, 'rate', { rating: 5, comment: 'Spare came the same day' });

    const contact = await technician.post(`/api/v1/incidents/${ticket.id}/contacts`, { channel: 'phone', contactPerson: 'Ms Li', summary: 'Told her the unit is back tomorrow' });
    expect(contact.status).toBe(201);
    const cost = await admin.post(`/api/v1/incidents/${ticket.id}/costs`, { kind: 'shipping', amount: 36, payer: 'supplier', claimReference: 'RMA-77', claimStatus: 'submitted' });
    expect(cost.status).toBe(201);
    expect(cost.body).toMatchObject({ amount: 36, currency: 'CNY', claimStatus: 'submitted', claimedAmount: 36 });
    const paidWithoutAmount = await admin.patch(`/api/v1/incidents/${ticket.id}/costs/${cost.body.id}`, { version: 1, claimStatus: 'paid' });
    expect(paidWithoutAmount.status).toBe(400);
    const paid = await admin.patch(`/api/v1/incidents/${ticket.id}/costs/${cost.body.id}`, { version: 1, claimStatus: 'paid', approvedAmount: 36, paidAmount: 36 });
    expect(paid.body).toMatchObject({ claimStatus: 'paid', paidAmount: 36, version: 2 });
    ticket = (await admin.get(`/api/v1/incidents/${ticket.id}`)).body;

    ticket = await step(ticket, 'close', { resolution: 'repaired', note: 'Card reader module replaced under RMA; firmware 2.3.1' });
    expect(ticket).toMatchObject({ stage: 'closed', resolution: 'repaired', actions: ['reopen'], rating: 5 });
    expect(ticket.sla.find((t: { measure: string }) => t.measure === 'repair').metAt).not.toBeNull();

    const readOnly = await technician.post(`/api/v1/incidents/${ticket.id}/contacts`, { channel: 'phone', summary: 'late note' });
    expect(readOnly.body.code).toBe('INCIDENT_CLOSED');
    const lateCost = await admin.post(`/api/v1/incidents/${ticket.id}/costs`, { kind: 'other', amount: 1, payer: 'bank' });
    expect(lateCost.body.code).toBe('INCIDENT_CLOSED');

    const events = (await admin.get(`/api/v1/incidents/${ticket.id}/events`)).body as { kind: string }[];
    expect(events.map((e) => e.kind)).toEqual([
      'reported',
      'first_response',
      'diagnosed',
      'spare_lent',
      'decided',
      'backed_up',
      'shipped',
      'received',
      'tested',
      'shipped',
      'received',
      'tested',
      'data_restored',
      'rated',
      'merchant_contact',
      'cost_added',
      'cost_updated',
      'closed',
    ]);

    expect(await workflowHistory(unit.id)).toEqual([
      `merchantId ${merchantId}→null, status deployed→in_repair: shipped to Maker RMA centre`,
      `serialNumber ${unit.serialNumber}→${newSerial}: unit swapped by the repair vendor`,
      `merchantId null→${merchantId}, status in_repair→deployed: repaired, back in service`,
    ]);
    expect(await workflowHistory(spare.id)).toEqual([
      `merchantId null→${merchantId}, status spare→deployed: spare lent`,
      `merchantId ${merchantId}→null, status deployed→spare: spare returned`,
    ]);

    const reopened = await step(ticket, 'reopen', { reason: 'Chip reads fail again' });
    expect(reopened).toMatchObject({ stage: 'diagnosing', reopenCount: 1, closedAt: null });
    const again = await technician.post('/api/v1/incidents', { terminalId: unit.id, symptom: 'printer', description: 'Other fault' });
    expect(again.body.code).toBe('INCIDENT_ALREADY_OPEN');
  });

  it('should take an out-of-warranty, insured, dropped unit to a replacement with an insurance claim', async () => {
    const policy = await admin.post('/api/v1/insurance-policies', { insurer: 'PICC', policyNumber: `PICC-${unique()}`, deductible: 200, startDate: dateIn(-100), endDate: dateIn(265) });
    expect(policy.status).toBe(201);
    const unit = await newTerminal(admin, catalog, {
      status: 'deployed',
      merchantId,
      purchaseDate: '2022-01-10',
      warrantyStart: '2022-01-10',
      warrantyEnd: '2024-01-10',
      purchasePrice: 3000,
      insurancePolicyId: policy.body.id,
    });
    const replacement = await newTerminal(admin, catalog, { status: 'in_stock' });

    let ticket = (await technician.post('/api/v1/incidents', { terminalId: unit.id, symptom: 'physical_damage', circumstances: 'dropped', circumstancesNote: 'Fell from the counter', description: 'Screen shattered', priority: 'urgent' })).body;
    expect(ticket.advice).toMatchObject({ warranty: 'expired', insurance: 'active' });

    ticket = await step(ticket, 'respond', { checks: { restart: 'skipped', power: 'skipped' }, fixed: false });
    ticket = await step(ticket, 'diagnose', { faultType: 'hardware', cause: 'misuse', mode: 'on_site', responsibility: 'person', responsiblePerson: 'Cashier Wang' });
    ticket = await step(ticket, 'decide', { decision: 'replace', repairQuote: 2500, replacementPrice: 3000 });
    expect(ticket.advice).toMatchObject({ decision: 'replace', payer: 'insurer' });
    expect(ticket.advice.reasons.map((r: { code: string }) => r.code)).toEqual(['warrantyExpired', 'insured', 'repairCostHigh']);

    const noBackup = await technician.post(`/api/v1/incidents/${ticket.id}/replace`, { version: ticket.version, replacementTerminalId: replacement.id });
    expect(noBackup.body.code).toBe('INCIDENT_BACKUP_REQUIRED');
    ticket = await step(ticket, 'backup', { location: 'Merchant laptop export' });

    const itself = await technician.post(`/api/v1/incidents/${ticket.id}/replace`, { version: ticket.version, replacementTerminalId: unit.id });
    expect(itself.status).toBe(400);
    expect(itself.body.details.fields[0]).toMatchObject({ field: 'replacementTerminalId', code: 'sameUnit' });

    ticket = await step(ticket, 'replace', { replacementTerminalId: replacement.id });
    expect(ticket).toMatchObject({ stage: 'testing', repair: { replacement: { id: replacement.id } } });
    expect(await terminal(unit.id)).toMatchObject({ status: 'retired', merchant: null });

    ticket = await step(ticket, 'test', { checks: { chip: 'pass', stripe: 'pass', contactless: 'pass', print: 'pass', touch_keys: 'pass', network: 'pass', test_transaction: 'pass' } });
    expect(ticket.stage).toBe('resolved');
    expect(await terminal(replacement.id)).toMatchObject({ status: 'deployed', merchant: { id: merchantId } });

    const claim = await admin.post(`/api/v1/incidents/${ticket.id}/costs`, { kind: 'replacement', amount: 3000, payer: 'insurer', claimReference: 'PICC-CLM-1', claimStatus: 'submitted', claimedAmount: 2800 });
    const deductible = await admin.post(`/api/v1/incidents/${ticket.id}/costs`, { kind: 'replacement', description: 'Deductible', amount: 200, payer: 'bank' });
    expect([claim.status, deductible.status]).toEqual([201, 201]);
    const bankClaim = await admin.post(`/api/v1/incidents/${ticket.id}/costs`, { kind: 'other', amount: 5, payer: 'bank', claimStatus: 'submitted' });
    expect(bankClaim.status).toBe(400);
    expect(bankClaim.body.details.fields[0]).toMatchObject({ field: 'claimStatus', code: 'noClaimForPayer' });
    const tooMuch = await admin.patch(`/api/v1/incidents/${ticket.id}/costs/${claim.body.id}`, { version: 1, claimStatus: 'approved', approvedAmount: 2900 });
    expect(tooMuch.body.details.fields[0].field).toBe('approvedAmount');
    const approved = await admin.patch(`/api/v1/incidents/${ticket.id}/costs/${claim.body.id}`, { version: 1, claimStatus: 'approved', approvedAmount: 2800 });
    const paid = await admin.patch(`/api/v1/incidents/${ticket.id}/costs/${claim.body.id}`, { version: approved.body.version, claimStatus: 'paid', paidAmount: 2800 });
    expect(paid.body).toMatchObject({ claimStatus: 'paid', approvedAmount: 2800, paidAmount: 2800 });

    ticket = (await technician.get(`/api/v1/incidents/${ticket.id}`)).body;
    ticket = await step(ticket, 'restore', {});
    const wrong = await technician.post(`/api/v1/incidents/${ticket.id}/close`, { version: ticket.version, resolution: 'repaired', note: 'x' });
    expect(wrong.status).toBe(409);
    expect(wrong.body.details.fields[0].field).toBe('resolution');
    ticket = await step(ticket, 'close', { resolution: 'replaced', note: 'Dropped unit replaced from stock; insurer paid less the deductible' });
    expect(ticket).toMatchObject({ stage: 'closed', costs: [{ payer: 'insurer', claimStatus: 'paid' }, { payer: 'bank' }] });

    expect(await workflowHistory(unit.id)).toEqual([`merchantId ${merchantId}→null, status deployed→retired: replaced by ${replacement.assetNumber}`]);
    expect(await workflowHistory(replacement.id)).toEqual([`merchantId null→${merchantId}, status in_stock→deployed: replacement in service`]);
  });

  it('should close a ticket fixed on first response and keep it read-only', async () => {
    const unit = await newTerminal(admin, catalog, { status: 'deployed', merchantId });
    let ticket = (await technician.post('/api/v1/incidents', { terminalId: unit.id, symptom: 'network', description: 'No connection' })).body;
    ticket = await step(ticket, 'respond', { checks: { restart: 'done', cables: 'fixed' }, fixed: true });
    expect(ticket).toMatchObject({ stage: 'closed', resolution: 'fixed_on_first_response' });
    expect(ticket.restoredAt).toBe(ticket.resolvedAt);
    const diagnose = await technician.post(`/api/v1/incidents/${ticket.id}/diagnose`, { version: ticket.version, faultType: 'hardware', cause: 'wear', mode: 'remote', responsibility: 'bank' });
    expect(diagnose.status).toBe(409);
    expect(diagnose.body).toMatchObject({ code: 'INCIDENT_CLOSED', details: { allowed: ['reopen'] } });
    expect(await terminal(unit.id)).toMatchObject({ status: 'deployed' });
  });

  it('should refuse a stale version and a step out of order, writing nothing', async () => {
    const unit = await newTerminal(admin, catalog, { status: 'deployed' });
    const ticket = (await technician.post('/api/v1/incidents', { terminalId: unit.id, symptom: 'screen', description: 'Flickers' })).body;
    const stale = await technician.post(`/api/v1/incidents/${ticket.id}/respond`, { version: ticket.version + 1, checks: {}, fixed: false });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('VERSION_CONFLICT');
    const outOfOrder = await technician.post(`/api/v1/incidents/${ticket.id}/test`, { version: ticket.version, checks: { test_transaction: 'pass' } });
    expect(outOfOrder.status).toBe(409);
    expect(outOfOrder.body).toMatchObject({ code: 'INCIDENT_INVALID_TRANSITION', details: { stage: 'reported', action: 'test' } });
    const events = (await admin.get(`/api/v1/incidents/${ticket.id}/events`)).body;
    expect(events).toHaveLength(1);
  });

  it('should refuse a spare that is not in the pool, of another category or from another region', async () => {
    const other = await newCatalog(admin);
    const unit = await newTerminal(admin, catalog, { status: 'deployed' });
    const deployed = await newTerminal(admin, catalog, { status: 'deployed' });
    const elsewhere = await newTerminal(admin, other, { status: 'spare' });
    const mposModel = await admin.post('/api/v1/models', { name: `mPOS ${unique()}`, manufacturer: 'Maker', category: 'mpos' });
    const mpos = await newTerminal(admin, { ...catalog, modelId: mposModel.body.id }, { status: 'spare' });
    const ticket = (await technician.post('/api/v1/incidents', { terminalId: unit.id, symptom: 'wont_boot', description: 'Dead' })).body;
    for (const [spareTerminalId, code] of [
      [deployed.id, 'unavailable'],
      [elsewhere.id, 'otherRegion'],
      [mpos.id, 'unsuitableModel'],
      [999_999, 'notFound'],
    ] as const) {
      const reply = await technician.post(`/api/v1/incidents/${ticket.id}/spare`, { version: ticket.version, spareTerminalId, dueBack: dateIn(7) });
      expect([reply.status, reply.body.details?.fields?.[0]]).toEqual([400, expect.objectContaining({ field: 'spareTerminalId', code })]);
    }
    const past = await technician.post(`/api/v1/incidents/${ticket.id}/spare`, { version: ticket.version, spareTerminalId: deployed.id, dueBack: dateIn(-1) });
    expect(past.body.details.fields[0].field).toBe('dueBack');
    expect(await terminal(deployed.id)).toMatchObject({ status: 'deployed' });
  });

  it('should list, filter and count tickets on the board, and keep a region-scoped user to their region', async () => {
    const own = await newCatalog(admin);
    const unit = await newTerminal(admin, own, { status: 'deployed' });
    const ticket = (await admin.post('/api/v1/incidents', { terminalId: unit.id, symptom: 'printer', description: 'Paper jams', priority: 'low' })).body;
    const byRegion = (await admin.get(`/api/v1/incidents?regionId=${own.regionId}`)).body;
    expect(byRegion.items.map((i: { id: number }) => i.id)).toEqual([ticket.id]);
    expect((await admin.get(`/api/v1/incidents?q=${ticket.number}`)).body.items.map((i: { id: number }) => i.id)).toEqual([ticket.id]);
    expect((await admin.get(`/api/v1/incidents?q=${unit.assetNumber}`)).body.total).toBe(1);
    expect((await admin.get(`/api/v1/incidents?stage=reported&stage=diagnosing&regionId=${own.regionId}`)).body.total).toBe(1);
    expect((await admin.get(`/api/v1/incidents?stage=closed&regionId=${own.regionId}`)).body.total).toBe(0);
    const board = (await admin.get(`/api/v1/incidents/board?regionId=${own.regionId}`)).body;
    expect(board).toMatchObject({ byStage: { reported: 1, diagnosing: 0, closed: 0 }, overdue: 0 });
    expect((await admin.get(`/api/v1/incidents?terminalId=${unit.id}`)).body.total).toBe(1);

    const scoped = await createUser(admin, 'technician', catalog.regionId);
    expect((await scoped.get(`/api/v1/incidents/${ticket.id}`)).status).toBe(404);
    expect((await scoped.get(`/api/v1/incidents?regionId=${own.regionId}`)).body.total).toBe(0);
    const outside = await scoped.post('/api/v1/incidents', { terminalId: unit.id, symptom: 'printer', description: 'x' });
    expect(outside.status).toBe(404);

    const technicianId = (await technician.get('/api/v1/auth/session')).body.user.id as number;
    const auditorUser = await createUser(admin, 'auditor');
    const auditorId = (await auditorUser.get('/api/v1/auth/session')).body.user.id as number;
    const assignees = (await scoped.get('/api/v1/incidents/assignees')).body as { id: number; name: string }[];
    expect(assignees.map((user) => user.id)).not.toContain(auditorId);
    expect(assignees.map((user) => user.id)).toContain(technicianId);
    const assigned = await admin.post(`/api/v1/incidents/${ticket.id}/assign`, { version: ticket.version, assigneeId: assignees.find((user) => user.id === technicianId)!.id });
    expect(assigned.body.assignee).toMatchObject({ id: technicianId });
    const auditor = auditorUser;
    expect((await auditor.post(`/api/v1/incidents/${ticket.id}/assign`, { version: assigned.body.version, assigneeId: null })).status).toBe(403);
    expect((await admin.post(`/api/v1/incidents/${ticket.id}/assign`, { version: assigned.body.version, assigneeId: auditorId })).body.details.fields[0].field).toBe('assigneeId');
    expect((await auditor.get(`/api/v1/incidents/${ticket.id}`)).status).toBe(200);
    expect((await auditor.post('/api/v1/incidents', { terminalId: unit.id, symptom: 'printer', description: 'x' })).status).toBe(403);
    expect((await auditor.post(`/api/v1/incidents/${ticket.id}/respond`, { version: 1, checks: {}, fixed: false })).status).toBe(403);
    const procurement = await createUser(admin, 'procurement');
    expect((await procurement.post(`/api/v1/incidents/${ticket.id}/costs`, { kind: 'parts', amount: 10, payer: 'bank' })).status).toBe(201);
    expect((await procurement.post(`/api/v1/incidents/${ticket.id}/respond`, { version: 1, checks: {}, fixed: false })).status).toBe(403);
  });

  it('should refuse bad reports naming the field, and store nothing', async () => {
    const unit = await newTerminal(admin, catalog, { status: 'deployed' });
    const retired = await newTerminal(admin, catalog, { status: 'retired' });
    for (const [body, field] of [
      [{ symptom: 'printer', description: 'x' }, 'terminalId'],
      [{ terminalId: unit.id, description: 'x' }, 'symptom'],
      [{ terminalId: unit.id, symptom: 'smoke', description: 'x' }, 'symptom'],
      [{ terminalId: unit.id, symptom: 'printer' }, 'description'],
      [{ terminalId: unit.id, symptom: 'printer', description: '   ' }, 'description'],
      [{ terminalId: unit.id, symptom: 'printer', description: 'x', priority: 'p0' }, 'priority'],
      [{ terminalId: unit.id, symptom: 'printer', description: 'x', errorCodes: ['E 1; DROP'] }, 'errorCodes'],
      [{ terminalId: unit.id, symptom: 'printer', description: 'x', circumstances: 'dropped' }, 'circumstances'],
      [{ terminalId: unit.id, symptom: 'printer', description: 'x', occurredAt: '2999-01-01T00:00:00Z' }, 'occurredAt'],
      [{ terminalId: unit.id, symptom: 'printer', description: 'x', occurredAt: 'yesterday' }, 'occurredAt'],
      [{ terminalId: unit.id, symptom: 'printer', description: 'x', assigneeId: 999_999 }, 'assigneeId'],
      [{ terminalId: unit.id, symptom: 'printer', description: 'x', stage: 'closed' }, 'stage'],
      [{ terminalId: retired.id, symptom: 'printer', description: 'x' }, 'terminalId'],
    ] as const) {
      const reply = await technician.post('/api/v1/incidents', body);
      expect([reply.status, reply.body.details?.fields?.map((f: { field: string }) => f.field)]).toEqual([400, expect.arrayContaining([field])]);
    }
    expect((await admin.get(`/api/v1/incidents?terminalId=${unit.id}`)).body.total).toBe(0);
    expect((await technician.post('/api/v1/incidents', { terminalId: 999_999, symptom: 'printer', description: 'x' })).status).toBe(404);
  });
});

describe('fault tickets opened by alarms', () => {
  let api: RunningApi;
  let admin: Client;
  let catalog: Catalog;

  beforeAll(async () => {
    api = await startApi({ INCIDENT_AUTO_ERROR_SECONDS: '1', INCIDENT_AUTO_CHECK_SECONDS: '1' });
    admin = await login(api);
    catalog = await newCatalog(admin);
  });

  afterAll(() => api.stop());

  async function ticketsOf(terminalId: number) {
    return (await admin.get(`/api/v1/incidents?terminalId=${terminalId}`)).body.items as { id: number; source: string; alarm: string; symptom: string }[];
  }

  it('should open one ticket for a deployed terminal that keeps reporting an error code, and none for a spare', async () => {
    const unit = await newTerminal(admin, catalog, { status: 'deployed' });
    const spare = await newTerminal(admin, catalog, { status: 'spare' });
    for (const terminal of [unit, spare]) {
      const device = await terminalDevice(admin, terminal.id);
      for (let sequence = 1; sequence <= 5; sequence++) {
        expect((await device.post('/api/v1/heartbeats', heartbeat(terminal.id, sequence, { errorCodes: ['E77'] }))).status).toBe(200);
      }
    }
    let tickets: Awaited<ReturnType<typeof ticketsOf>> = [];
    for (let attempt = 0; attempt < 150 && tickets.length === 0; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      tickets = await ticketsOf(unit.id);
    }
    expect(tickets).toEqual([expect.objectContaining({ source: 'alarm', alarm: 'recurring_error', symptom: 'error_code' })]);
    const ticket = (await admin.get(`/api/v1/incidents/${tickets[0]!.id}`)).body;
    expect(ticket).toMatchObject({ errorCodes: ['E77'], priority: 'high', reporter: { username: 'alarm' } });
    // Further checks find the open ticket and open no other.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(await ticketsOf(unit.id)).toHaveLength(1);
    expect(await ticketsOf(spare.id)).toEqual([]);
  });
});
