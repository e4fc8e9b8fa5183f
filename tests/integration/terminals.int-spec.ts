import { TERMINAL_CSV_COLUMNS } from '@fleet/shared';
import { startApi, type RunningApi } from '../support/server';
import { type Catalog, Client, login, newCatalog, newTerminal, regionCode } from './support/client';

describe('terminal inventory', () => {
  let api: RunningApi;
  let admin: Client;
  let catalog: Catalog;

  beforeAll(async () => {
    api = await startApi();
    admin = await login(api);
    catalog = await newCatalog(admin);
  });

  afterAll(() => api.stop());

  it('should number terminals per region and never reuse a number', async () => {
    const first = await newTerminal(admin, catalog);
    const second = await newTerminal(admin, catalog);
    expect(first.assetNumber).toBe(`POS-${catalog.branchCode}-000001`);
    expect(second.assetNumber).toBe(`POS-${catalog.branchCode}-000002`);
    expect((await admin.delete(`/api/v1/terminals/${second.id}`)).status).toBe(204);
    const third = await newTerminal(admin, catalog);
    expect(third.assetNumber).toBe(`POS-${catalog.branchCode}-000003`);
    const elsewhere = await newTerminal(admin, catalog, { regionId: catalog.regionId });
    expect(elsewhere.assetNumber).toBe(`POS-${catalog.regionCode}-000001`);
  });

  it('should number concurrent registrations without a gap or a duplicate', async () => {
    const own = await newCatalog(admin);
    const created = await Promise.all(Array.from({ length: 12 }, () => newTerminal(admin, own)));
    const numbers = created.map((t) => t.assetNumber).sort();
    expect(numbers).toEqual(Array.from({ length: 12 }, (_, i) => `POS-${own.branchCode}-${String(i + 1).padStart(6, '0')}`));
  });

  it('should default the warranty to the purchase date plus the model’s months', async () => {
    const terminal = await newTerminal(admin, catalog, { purchaseDate: '2024-02-29' });
    expect(terminal).toMatchObject({ warrantyStart: '2024-02-29', warrantyEnd: '2026-02-28', status: 'in_stock', category: 'smart' });
  });

  it('should filter by status, region with its branches, model and text, with the total', async () => {
    const own = await newCatalog(admin);
    const deployed = await newTerminal(admin, own, { status: 'deployed', serialNumber: 'FILTERME001' });
    await newTerminal(admin, own, { status: 'spare' });
    await newTerminal(admin, own, { status: 'in_stock', regionId: own.regionId });
    const byRegion = (await admin.get(`/api/v1/terminals?regionId=${own.regionId}`)).body;
    expect(byRegion.total).toBe(3);
    const deployedOrSpare = (await admin.get(`/api/v1/terminals?regionId=${own.regionId}&status=deployed,spare`)).body;
    expect(deployedOrSpare.total).toBe(2);
    const branchOnly = (await admin.get(`/api/v1/terminals?regionId=${own.branchId}`)).body;
    expect(branchOnly.total).toBe(2);
    const search = (await admin.get('/api/v1/terminals?q=filterme')).body;
    expect(search.items.map((t: { id: number }) => t.id)).toEqual([deployed.id]);
    const byAsset = (await admin.get(`/api/v1/terminals?q=${deployed.assetNumber.slice(0, -2)}`)).body;
    expect(byAsset.items.map((t: { id: number }) => t.id)).toContain(deployed.id);
    const paged = (await admin.get(`/api/v1/terminals?modelId=${own.modelId}&pageSize=2&page=2&sort=assetNumber&order=desc`)).body;
    expect(paged).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(paged.items).toHaveLength(1);
  });

  it('should list terminals whose warranty ends within N days', async () => {
    const own = await newCatalog(admin);
    const today = new Date();
    const soon = new Date(today.getTime() + 10 * 86_400_000).toISOString().slice(0, 10);
    const later = new Date(today.getTime() + 100 * 86_400_000).toISOString().slice(0, 10);
    const ending = await newTerminal(admin, own, { warrantyEnd: soon });
    await newTerminal(admin, own, { warrantyEnd: later });
    const list = (await admin.get(`/api/v1/terminals?modelId=${own.modelId}&warrantyEndingWithinDays=30`)).body;
    expect(list.items.map((t: { id: number }) => t.id)).toEqual([ending.id]);
  });

  it('should move a terminal through its lifecycle and refuse a move that is not allowed', async () => {
    const terminal = await newTerminal(admin, catalog);
    const deployed = await admin.post(`/api/v1/terminals/${terminal.id}/transitions`, { to: 'deployed', reason: 'installed at merchant', version: 1 });
    expect(deployed.status).toBe(200);
    expect(deployed.body).toMatchObject({ status: 'deployed', version: 2 });
    const refused = await admin.post(`/api/v1/terminals/${terminal.id}/transitions`, { to: 'disposed', version: 2 });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('TERMINAL_INVALID_TRANSITION');
    expect((await admin.get(`/api/v1/terminals/${terminal.id}`)).body.status).toBe('deployed');
    expect((await admin.delete(`/api/v1/terminals/${terminal.id}`)).body.code).toBe('RECORD_IN_USE');
  });

  it('should never let two editors overwrite each other', async () => {
    const terminal = await newTerminal(admin, catalog);
    const first = await admin.patch(`/api/v1/terminals/${terminal.id}`, { custodian: '张三', version: 1 });
    const second = await admin.patch(`/api/v1/terminals/${terminal.id}`, { custodian: '李四', version: 1 });
    expect(first.status).toBe(200);
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('VERSION_CONFLICT');
    expect((await admin.get(`/api/v1/terminals/${terminal.id}`)).body.custodian).toBe('张三');
    const viaHeader = await admin.patch(`/api/v1/terminals/${terminal.id}`, { custodian: '王五' }, { 'if-match': '"2"' });
    expect(viaHeader.body.custodian).toBe('王五');
    const unversioned = await admin.patch(`/api/v1/terminals/${terminal.id}`, { custodian: '赵六' });
    expect(unversioned.status).toBe(428);
    expect(unversioned.body.code).toBe('VERSION_REQUIRED');
  });

  it('should trace every change to a person and a time', async () => {
    const manager = await login(api);
    const terminal = await newTerminal(manager, catalog);
    await manager.patch(`/api/v1/terminals/${terminal.id}`, { custodian: '张三', notes: 'moved to counter 2', version: 1 });
    await manager.post(`/api/v1/terminals/${terminal.id}/transitions`, { to: 'spare', reason: 'pool', version: 2 });
    const history = (await manager.get(`/api/v1/terminals/${terminal.id}/audit`)).body;
    expect(history.items.map((e: { action: string }) => e.action)).toEqual(['transition', 'update', 'create']);
    expect(history.items[0]).toMatchObject({ actor: { username: 'admin' }, reason: 'pool', changes: { status: { from: 'in_stock', to: 'spare' } } });
    expect(history.items[1].changes).toEqual({ custodian: { from: null, to: '张三' }, notes: { from: null, to: 'moved to counter 2' } });
    expect(Date.parse(history.items[1].at)).not.toBeNaN();
    const fleetWide = (await manager.get(`/api/v1/audit?entityType=terminal&entityId=${terminal.id}&action=update`)).body;
    expect(fleetWide.total).toBe(1);
  });

  it('should print a QR label with the asset number', async () => {
    const terminal = await newTerminal(admin, catalog);
    const svg = await admin.get(`/api/v1/terminals/${terminal.id}/label.svg`);
    expect(svg.headers.get('content-type')).toMatch(/image\/svg\+xml/);
    expect(svg.body).toContain(terminal.assetNumber);
    const png = await fetch(`${api.baseUrl}/api/v1/terminals/${terminal.id}/label.png`, { headers: { authorization: `Bearer ${admin.token}` } });
    expect(Buffer.from(await png.arrayBuffer()).subarray(0, 4)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  });

  it('should export the filtered list as CSV with formula cells neutralised', async () => {
    const own = await newCatalog(admin);
    const terminal = await newTerminal(admin, own, { custodian: '=HYPERLINK("http://x")', notes: '+1 spare' });
    await newTerminal(admin, catalog);
    const csv = await admin.get(`/api/v1/terminals/export.csv?modelId=${own.modelId}`);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (csv.body as string).replace(/^\uFEFF/, '').trim().split('\n');
    expect(lines[0]).toBe(TERMINAL_CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(terminal.assetNumber);
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(lines[1]).toContain("'+1 spare");
  });

  it('should move a region under another and count its terminals in the sub-tree, refusing a cycle', async () => {
    const parent = await admin.post('/api/v1/regions', { code: regionCode(), name: 'Parent' });
    const child = await admin.post('/api/v1/regions', { code: regionCode(), name: 'Child', parentId: parent.body.id });
    const cycle = await admin.patch(`/api/v1/regions/${parent.body.id}`, { parentId: child.body.id, version: 1 });
    expect(cycle.status).toBe(409);
    expect(cycle.body.code).toBe('REGION_CYCLE');
    const moved = await admin.patch(`/api/v1/regions/${catalog.branchId}`, { parentId: child.body.id, version: 1 });
    expect(moved.status).toBe(200);
    const regions = (await admin.get('/api/v1/regions')).body as { id: number; depth: number; terminalCount: number }[];
    const branch = regions.find((r) => r.id === catalog.branchId)!;
    expect(branch.depth).toBe(2);
    expect(regions.find((r) => r.id === parent.body.id)!.terminalCount).toBe(branch.terminalCount);
    expect((await admin.get(`/api/v1/terminals?regionId=${parent.body.id}`)).body.total).toBe(branch.terminalCount);
  });

  it('should refuse to delete a model, supplier or region that terminals use', async () => {
    for (const path of [`/api/v1/models/${catalog.modelId}`, `/api/v1/suppliers/${catalog.supplierId}`]) {
      const reply = await admin.delete(path);
      expect(reply.status).toBe(409);
      expect(reply.body.code).toBe('RECORD_IN_USE');
    }
  });

  it('should answer health, metrics and documentation', async () => {
    expect((await new Client(api).get('/api/health')).body).toMatchObject({ status: 'ok', database: 'ok' });
    expect((await new Client(api).get('/metrics')).body).toContain('fleet_http_request_duration_seconds');
    const unknown = await admin.get('/api/v1/no-such-thing');
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('ROUTE_NOT_FOUND');
  });
});
