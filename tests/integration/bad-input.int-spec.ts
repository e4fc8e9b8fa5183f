import { startApi, type RunningApi } from '../support/server';
import { type Catalog, Client, login, newCatalog, newTerminal } from './support/client';

/** Each bad request must be a 4xx naming the field, and write nothing. */
describe('bad input', () => {
  let api: RunningApi;
  let admin: Client;
  let catalog: Catalog;
  let terminal: { id: number; serialNumber: string; version: number };
  const ids: Record<string, number> = {};

  const counts = async () => ({
    terminals: (await admin.get('/api/v1/terminals')).body.total as number,
    models: (await admin.get('/api/v1/models')).body.length as number,
    suppliers: (await admin.get('/api/v1/suppliers')).body.length as number,
    regions: (await admin.get('/api/v1/regions')).body.length as number,
    merchants: (await admin.get('/api/v1/merchants')).body.total as number,
    policies: (await admin.get('/api/v1/insurance-policies')).body.length as number,
    users: (await admin.get('/api/v1/users')).body.length as number,
    audit: (await admin.get('/api/v1/audit')).body.total as number,
    gateways: (await admin.get('/api/v1/gateways')).body.length as number,
    modelPolicy: (await admin.get(`/api/v1/models/${catalog.modelId}/health-policy`)).body.policy,
    terminalPolicy: (await admin.get(`/api/v1/terminals/${terminal.id}/health-policy`)).body.policy,
  });

  beforeAll(async () => {
    api = await startApi();
    admin = await login(api);
    catalog = await newCatalog(admin);
    terminal = await newTerminal(admin, catalog, { serialNumber: 'TAKEN-SERIAL' });
    ids.model = catalog.modelId;
    ids.supplier = catalog.supplierId;
    ids.region = catalog.branchId;
    ids.merchant = (await admin.post('/api/v1/merchants', { name: 'Shop for bad input', regionId: catalog.branchId })).body.id;
    ids.policy = (await admin.post('/api/v1/insurance-policies', { insurer: 'I', policyNumber: 'P-BAD-INPUT', startDate: '2026-01-01', endDate: '2026-12-31' })).body.id;
    ids.user = (await admin.get('/api/v1/users')).body[0].id;
  });

  afterAll(() => api.stop());

  const goodTerminal = () => ({ serialNumber: 'NEW-SERIAL-1', modelId: catalog.modelId, supplierId: catalog.supplierId, regionId: catalog.branchId });

  const cases: [string, string, string, () => unknown, number, string][] = [
    ['terminal: missing serial', 'POST', '/api/v1/terminals', () => ({ ...goodTerminal(), serialNumber: undefined }), 400, 'serialNumber'],
    ['terminal: serial of the wrong type', 'POST', '/api/v1/terminals', () => ({ ...goodTerminal(), serialNumber: 12345 }), 400, 'serialNumber'],
    ['terminal: unknown field', 'POST', '/api/v1/terminals', () => ({ ...goodTerminal(), colour: 'red' }), 400, 'colour'],
    ['terminal: over-long custodian', 'POST', '/api/v1/terminals', () => ({ ...goodTerminal(), custodian: 'x'.repeat(121) }), 400, 'custodian'],
    ['terminal: negative price', 'POST', '/api/v1/terminals', () => ({ ...goodTerminal(), purchasePrice: -1 }), 400, 'purchasePrice'],
    ['terminal: price with 3 decimals', 'POST', '/api/v1/terminals', () => ({ ...goodTerminal(), purchasePrice: 1.005 }), 400, 'purchasePrice'],
    ['terminal: impossible date', 'POST', '/api/v1/terminals', () => ({ ...goodTerminal(), purchaseDate: '2025-02-30' }), 400, 'purchaseDate'],
    ['terminal: date in another format', 'POST', '/api/v1/terminals', () => ({ ...goodTerminal(), purchaseDate: '2025/01/01' }), 400, 'purchaseDate'],
    ['terminal: unknown status', 'POST', '/api/v1/terminals', () => ({ ...goodTerminal(), status: 'lost' }), 400, 'status'],
    ['terminal: lower-case currency', 'POST', '/api/v1/terminals', () => ({ ...goodTerminal(), currency: 'cny' }), 400, 'currency'],
    ['terminal: duplicate serial', 'POST', '/api/v1/terminals', () => ({ ...goodTerminal(), serialNumber: 'taken-serial' }), 409, 'serialNumber'],
    ['terminal: missing model', 'POST', '/api/v1/terminals', () => ({ ...goodTerminal(), modelId: 999999 }), 404, 'modelId'],
    ['terminal: missing supplier', 'POST', '/api/v1/terminals', () => ({ ...goodTerminal(), supplierId: 999999 }), 404, 'supplierId'],
    ['terminal: missing region', 'POST', '/api/v1/terminals', () => ({ ...goodTerminal(), regionId: 999999 }), 404, 'regionId'],
    ['terminal: missing merchant', 'POST', '/api/v1/terminals', () => ({ ...goodTerminal(), merchantId: 999999 }), 404, 'merchantId'],
    ['terminal: missing policy', 'POST', '/api/v1/terminals', () => ({ ...goodTerminal(), insurancePolicyId: 999999 }), 404, 'insurancePolicyId'],
    ['terminal: warranty ends before it starts', 'POST', '/api/v1/terminals', () => ({ ...goodTerminal(), warrantyStart: '2025-01-02', warrantyEnd: '2025-01-01' }), 400, 'warrantyEnd'],
    ['terminal update: status is not editable', 'PATCH', '/api/v1/terminals/:id', () => ({ status: 'retired', version: terminal.version }), 400, 'status'],
    ['terminal update: region is not editable', 'PATCH', '/api/v1/terminals/:id', () => ({ regionId: catalog.regionId, version: terminal.version }), 400, 'regionId'],
    ['terminal update: version of the wrong type', 'PATCH', '/api/v1/terminals/:id', () => ({ custodian: 'x', version: 'one' }), 400, 'version'],
    ['transition: unknown state', 'POST', '/api/v1/terminals/:id/transitions', () => ({ to: 'lost', version: terminal.version }), 400, 'to'],
    ['transition: not allowed', 'POST', '/api/v1/terminals/:id/transitions', () => ({ to: 'disposed', version: terminal.version }), 409, 'to'],
    ['model: missing name', 'POST', '/api/v1/models', () => ({ manufacturer: 'M', category: 'smart' }), 400, 'name'],
    ['model: unknown category', 'POST', '/api/v1/models', () => ({ name: 'M1', manufacturer: 'M', category: 'laptop' }), 400, 'category'],
    ['model: warranty out of range', 'POST', '/api/v1/models', () => ({ name: 'M1', manufacturer: 'M', category: 'smart', defaultWarrantyMonths: 999 }), 400, 'defaultWarrantyMonths'],
    ['model: duplicate name', 'POST', '/api/v1/models', () => ({ name: catalog.modelName, manufacturer: 'M', category: 'smart' }), 409, 'name'],
    ['supplier: bad email', 'POST', '/api/v1/suppliers', () => ({ name: 'S1', contactEmail: 'not-an-email' }), 400, 'contactEmail'],
    ['supplier: duplicate name', 'POST', '/api/v1/suppliers', () => ({ name: catalog.supplierName }), 409, 'name'],
    ['region: lower-case code', 'POST', '/api/v1/regions', () => ({ code: 'b', name: 'x' }), 400, 'code'],
    ['region: duplicate code', 'POST', '/api/v1/regions', () => ({ code: catalog.regionCode, name: 'x' }), 409, 'code'],
    ['region: missing parent', 'POST', '/api/v1/regions', () => ({ code: 'ZZNEW', name: 'x', parentId: 999999 }), 404, 'parentId'],
    ['merchant: missing region', 'POST', '/api/v1/merchants', () => ({ name: 'Shop', regionId: 999999 }), 404, 'regionId'],
    ['merchant: over-long name', 'POST', '/api/v1/merchants', () => ({ name: 'x'.repeat(201), regionId: catalog.branchId }), 400, 'name'],
    ['policy: end before start', 'POST', '/api/v1/insurance-policies', () => ({ insurer: 'I', policyNumber: 'P-1', startDate: '2026-01-02', endDate: '2026-01-01' }), 400, 'endDate'],
    ['policy: missing dates', 'POST', '/api/v1/insurance-policies', () => ({ insurer: 'I', policyNumber: 'P-1' }), 400, 'startDate'],
    ['user: short password', 'POST', '/api/v1/users', () => ({ username: 'newuser', displayName: 'N', password: 'short', role: 'auditor' }), 400, 'password'],
    ['user: unknown role', 'POST', '/api/v1/users', () => ({ username: 'newuser', displayName: 'N', password: 'long-enough-pw', role: 'boss' }), 400, 'role'],
    ['user: duplicate username', 'POST', '/api/v1/users', () => ({ username: 'admin', displayName: 'N', password: 'long-enough-pw', role: 'auditor' }), 409, 'username'],
    ['import apply: wrong type', 'POST', '/api/v1/imports/1/apply', () => ({ onlyValidRows: 'yes' }), 400, 'onlyValidRows'],
    ['model update: unknown category', 'PATCH', '/api/v1/models/:model', () => ({ category: 'laptop', version: 1 }), 400, 'category'],
    ['model update: name too long', 'PATCH', '/api/v1/models/:model', () => ({ name: 'x'.repeat(121), version: 1 }), 400, 'name'],
    ['supplier update: bad email', 'PATCH', '/api/v1/suppliers/:supplier', () => ({ contactEmail: 'nope', version: 1 }), 400, 'contactEmail'],
    ['region update: code cannot change', 'PATCH', '/api/v1/regions/:region', () => ({ code: 'ZZ', version: 1 }), 400, 'code'],
    ['region update: missing parent', 'PATCH', '/api/v1/regions/:region', () => ({ parentId: 999999, version: 1 }), 404, 'parentId'],
    ['merchant update: missing region', 'PATCH', '/api/v1/merchants/:merchant', () => ({ regionId: 999999, version: 1 }), 404, 'regionId'],
    ['policy update: end before start', 'PATCH', '/api/v1/insurance-policies/:policy', () => ({ endDate: '2025-01-01', version: 1 }), 400, 'endDate'],
    ['user update: unknown role', 'PATCH', '/api/v1/users/:user', () => ({ role: 'boss', version: 1 }), 400, 'role'],
    ['login: missing password', 'POST', '/api/v1/auth/login', () => ({ username: 'admin' }), 400, 'password'],
    ['gateway: missing name', 'POST', '/api/v1/gateways', () => ({ regionId: catalog.regionId }), 400, 'name'],
    ['gateway: missing region', 'POST', '/api/v1/gateways', () => ({ name: 'TMS', regionId: 999999 }), 404, 'regionId'],
    ['gateway: region of the wrong type', 'POST', '/api/v1/gateways', () => ({ name: 'TMS', regionId: 'BJ' }), 400, 'regionId'],
    ['health policy: timeout below 30 s', 'PUT', '/api/v1/models/:model/health-policy', () => ({ offlineAfterSeconds: 5 }), 400, 'offlineAfterSeconds'],
    ['health policy: battery threshold of 100 %', 'PUT', '/api/v1/models/:model/health-policy', () => ({ batteryLowPct: 100 }), 400, 'batteryLowPct'],
    ['health policy: positive signal threshold', 'PUT', '/api/v1/models/:model/health-policy', () => ({ signalWeakDbm: 10 }), 400, 'signalWeakDbm'],
    ['health policy: markup as target version', 'PUT', '/api/v1/models/:model/health-policy', () => ({ targetFirmwareVersion: '<b>2</b>' }), 400, 'targetFirmwareVersion'],
    ['health policy: unknown field', 'PUT', '/api/v1/models/:model/health-policy', () => ({ offlineAfter: 60 }), 400, 'offlineAfter'],
    ['health policy: missing model', 'PUT', '/api/v1/models/999999/health-policy', () => ({ batteryLowPct: 20 }), 404, 'modelId'],
    ['terminal health policy: fractional repeat count', 'PUT', '/api/v1/terminals/:id/health-policy', () => ({ errorRepeatCount: 2.5 }), 400, 'errorRepeatCount'],
  ];

  it.each(cases)('should refuse %s and write nothing', async (_name, method, path, body, status, field) => {
    const before = await counts();
    const reply = await admin.request(method, path.replace(/:(\w+)/, (_m, key: string) => String(key === 'id' ? terminal.id : ids[key])), body());
    expect(reply.status).toBe(status);
    expect(reply.body.code).toEqual(expect.any(String));
    expect((reply.body.details?.fields ?? []).map((f: { field: string }) => f.field)).toContain(field);
    expect(await counts()).toEqual(before);
    for (const [kind, id] of [['models', ids.model], ['suppliers', ids.supplier], ['regions', ids.region], ['merchants', ids.merchant], ['insurance-policies', ids.policy]] as const) {
      expect({ kind, version: (await admin.get(`/api/v1/${kind}/${id}`)).body.version }).toEqual({ kind, version: 1 });
    }
    expect((await admin.get(`/api/v1/terminals/${terminal.id}`)).body).toMatchObject({ version: terminal.version, status: 'in_stock' });
  });

  it('should refuse a body that is not JSON, naming the body', async () => {
    const response = await fetch(`${api.baseUrl}/api/v1/terminals`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
      body: '{"serialNumber": ',
    });
    expect(response.status).toBe(400);
    expect((await response.json()).details.fields[0].field).toBe('body');
  });

  it.each([
    ['status', 'status=lost'],
    ['pageSize', 'pageSize=1000'],
    ['regionId', 'regionId=abc'],
    ['sort', 'sort=password'],
  ])('should refuse a list query with a bad %s', async (field, query) => {
    const reply = await admin.get(`/api/v1/terminals?${query}`);
    expect(reply.status).toBe(400);
    expect(reply.body.details.fields[0].field).toBe(field);
  });
});
