import { startApi, type RunningApi } from '../support/server';
import { type Catalog, Client, login, newCatalog, newTerminal } from './support/client';

async function upload(client: Client, csv: string | Buffer, name = 'terminals.csv') {
  const form = new FormData();
  form.append('file', new Blob([csv], { type: 'text/csv' }), name);
  return client.post('/api/v1/imports/terminals', form);
}

async function settled(client: Client, id: number, statuses: string[]) {
  for (;;) {
    const job = (await client.get(`/api/v1/imports/${id}`)).body;
    if (statuses.includes(job.status)) return job;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('CSV import', () => {
  let api: RunningApi;
  let admin: Client;
  let catalog: Catalog;

  beforeAll(async () => {
    api = await startApi();
    admin = await login(api);
    catalog = await newCatalog(admin);
  });

  afterAll(() => api.stop());

  it('should report a bad row, write nothing unless asked, then import only the valid rows', async () => {
    const before = (await admin.get('/api/v1/terminals')).body.total;
    const csv = [
      'serialNumber,model,supplier,regionCode,status,purchaseDate',
      `IMP-A1,${catalog.modelName},${catalog.supplierName},${catalog.branchCode},in_stock,2025-03-01`,
      `IMP-A2,No Such Model,${catalog.supplierName},${catalog.branchCode},in_stock,2025-03-01`,
      `IMP-A3,${catalog.modelName},${catalog.supplierName},${catalog.branchCode},deployed,2025-03-02`,
    ].join('\n');
    const started = await upload(admin, csv);
    expect(started.status).toBe(202);
    const checked = await settled(admin, started.body.id, ['validated', 'failed']);
    expect(checked).toMatchObject({ status: 'validated', totalRows: 3, validRows: 2, errorRows: 1, toCreate: 2 });
    expect(checked.errors).toEqual([expect.objectContaining({ row: 2, field: 'model', code: 'notFound' })]);

    const refused = await admin.post(`/api/v1/imports/${started.body.id}/apply`, {});
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('IMPORT_HAS_ERRORS');
    expect((await admin.get('/api/v1/terminals')).body.total).toBe(before);

    expect((await admin.post(`/api/v1/imports/${started.body.id}/apply`, { onlyValidRows: true })).status).toBe(202);
    const applied = await settled(admin, started.body.id, ['applied', 'failed']);
    expect(applied).toMatchObject({ status: 'applied', created: 2, updated: 0 });
    const imported = (await admin.get('/api/v1/terminals?q=IMP-A')).body;
    expect(imported.items.map((t: { serialNumber: string; assetNumber: string }) => t.serialNumber).sort()).toEqual(['IMP-A1', 'IMP-A3']);
    expect(imported.items[0].assetNumber).toMatch(new RegExp(`^POS-${catalog.branchCode}-\\d{6}$`));
    expect((await admin.post(`/api/v1/imports/${started.body.id}/apply`, { onlyValidRows: true })).body.code).toBe('IMPORT_ALREADY_APPLIED');
  });

  it('should update terminals matched by asset number, with an audit entry, and refuse an invalid move', async () => {
    const terminal = await newTerminal(admin, catalog);
    const csv = `assetNumber,custodian,status\n${terminal.assetNumber},新保管人,deployed\n`;
    const job = await settled(admin, (await upload(admin, csv)).body.id, ['validated']);
    expect(job).toMatchObject({ toUpdate: 1, errorRows: 0 });
    await admin.post(`/api/v1/imports/${job.id}/apply`, {});
    await settled(admin, job.id, ['applied']);
    expect((await admin.get(`/api/v1/terminals/${terminal.id}`)).body).toMatchObject({ custodian: '新保管人', status: 'deployed' });
    const history = (await admin.get(`/api/v1/terminals/${terminal.id}/audit`)).body;
    expect(history.items[0]).toMatchObject({ action: 'import', changes: { custodian: { from: null, to: '新保管人' }, status: { from: 'in_stock', to: 'deployed' } } });

    const bad = await settled(admin, (await upload(admin, `assetNumber,status\n${terminal.assetNumber},disposed\n`)).body.id, ['validated']);
    expect(bad.errors[0]).toMatchObject({ row: 1, field: 'status' });
  });

  it('should round-trip an export: re-importing it changes nothing and reports no error', async () => {
    const own = await newCatalog(admin);
    await newTerminal(admin, own, { custodian: '=1+1' });
    await newTerminal(admin, own);
    const csv = (await admin.get(`/api/v1/terminals/export.csv?modelId=${own.modelId}`)).body as string;
    const job = await settled(admin, (await upload(admin, csv.replace(/'=1\+1/, '=1+1'))).body.id, ['validated']);
    expect(job).toMatchObject({ errorRows: 0, toUpdate: 2, toCreate: 0 });
  });

  it('should check a 10,000-row file with progress up to every row', async () => {
    const header = 'serialNumber,model,supplier,regionCode';
    const rows = Array.from({ length: 10_000 }, (_, i) => `BULK${String(i).padStart(6, '0')},${catalog.modelName},${catalog.supplierName},${catalog.branchCode}`);
    const started = await upload(admin, [header, ...rows].join('\n'));
    const seen = new Set<number>();
    let job = started.body;
    while (job.status === 'validating') {
      seen.add(job.processedRows);
      await new Promise((r) => setTimeout(r, 50));
      job = (await admin.get(`/api/v1/imports/${started.body.id}`)).body;
    }
    expect(job).toMatchObject({ status: 'validated', totalRows: 10_000, processedRows: 10_000, validRows: 10_000 });
    expect(seen.size).toBeGreaterThan(1);
  });

  it.each([
    ['an unknown column', 'serialNumber,colour\nX,red\n'],
    ['a header without serial or asset number', 'model\nX\n'],
    ['an empty file', ''],
    ['binary that is not text', Buffer.from([0xff, 0xfe, 0x00, 0x81, 0xff])],
  ])('should refuse %s naming the file, storing nothing', async (_name, content) => {
    const reply = await upload(admin, content as string);
    expect(reply.status).toBe(400);
    expect(reply.body.details.fields[0].field).toBe('file');
  });

});
