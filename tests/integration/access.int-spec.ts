import { can, ROLES, type Permission, type Role } from '@fleet/shared';
import { startApi, type RunningApi } from '../support/server';
import { Client, createUser, login, newCatalog, newTerminal } from './support/client';

/** Routes for terminals and gateways: a device token, never a user's session. */
const DEVICE = 'DEVICE' as Permission;

interface Operation {
  method: string;
  path: string;
  permission: Permission | null;
}

describe('access control', () => {
  let api: RunningApi;
  let admin: Client;
  const clients = new Map<Role, Client>();
  let operations: Operation[] = [];

  beforeAll(async () => {
    api = await startApi();
    admin = await login(api);
    for (const role of ROLES) clients.set(role, await createUser(admin, role));
    const catalog = await newCatalog(admin);
    await newTerminal(admin, catalog);
    const document = (await admin.get('/api/docs/openapi.json')).body as { paths: Record<string, Record<string, Record<string, unknown>>> };
    operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        method: method.toUpperCase(),
        path: path.replace(/\{id\}/g, '1'),
        permission: (operation['x-permission'] as Permission | undefined) ?? (operation['x-public'] ? null : operation['x-device'] ? DEVICE : ('MISSING' as Permission)),
      })),
    );
  });

  afterAll(() => api.stop());

  it('should declare an authorization rule for every route of the API', () => {
    expect(operations.length).toBeGreaterThan(40);
    expect(operations.filter((o) => (o.permission as string) === 'MISSING')).toEqual([]);
  });

  it('should refuse every non-public route without a session', async () => {
    for (const operation of operations.filter((o) => o.permission !== null)) {
      const reply = await new Client(api).request(operation.method, operation.path, operation.method === 'GET' ? undefined : {});
      expect({ route: `${operation.method} ${operation.path}`, status: reply.status, code: reply.body.code }).toEqual({
        route: `${operation.method} ${operation.path}`,
        status: 401,
        code: operation.permission === DEVICE ? 'DEVICE_TOKEN_INVALID' : 'AUTH_REQUIRED',
      });
    }
  });

  it('should let each role call exactly the routes its permissions allow', async () => {
    const mismatches: string[] = [];
    for (const operation of operations.filter((o) => o.permission !== null && o.permission !== DEVICE && o.path !== '/api/v1/auth/logout')) {
      for (const role of ROLES) {
        const reply = await clients.get(role)!.request(operation.method, operation.path, operation.method === 'GET' ? undefined : {});
        const allowed = can(role, operation.permission!);
        const refused = reply.status === 403 && reply.body.code === 'FORBIDDEN';
        if (allowed === refused || reply.status === 401) mismatches.push(`${role} ${operation.method} ${operation.path} → ${reply.status}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it("should refuse every role's session on the device routes", async () => {
    const deviceRoutes = operations.filter((o) => o.permission === DEVICE);
    expect(deviceRoutes.map((o) => o.path).sort()).toEqual(['/api/v1/heartbeats', '/api/v1/heartbeats/batch']);
    for (const operation of deviceRoutes) {
      for (const role of ROLES) {
        const reply = await clients.get(role)!.request(operation.method, operation.path, {});
        expect({ role, route: operation.path, status: reply.status, code: reply.body.code }).toEqual({ role, route: operation.path, status: 401, code: 'DEVICE_TOKEN_INVALID' });
      }
    }
  });

  it('should keep an auditor from changing anything', async () => {
    const auditor = clients.get('auditor')!;
    const before = (await admin.get('/api/v1/terminals')).body.total;
    const reply = await auditor.post('/api/v1/terminals', { serialNumber: 'AUDITOR1', modelId: 1, supplierId: 1, regionId: 1 });
    expect(reply.status).toBe(403);
    expect((await admin.get('/api/v1/terminals')).body.total).toBe(before);
  });

  it('should sign in with a cookie that is httpOnly and strict, and work on its own', async () => {
    const response = await fetch(`${api.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'admin-password-for-tests' }),
    });
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^fleet_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const session = await fetch(`${api.baseUrl}/api/v1/auth/session`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(session.status).toBe(200);
    expect((await session.json()).user.username).toBe('admin');
  });

  it('should refuse a wrong password without saying which part was wrong', async () => {
    const reply = await new Client(api).post('/api/v1/auth/login', { username: 'admin', password: 'not-the-password' });
    expect(reply.status).toBe(401);
    expect(reply.body.code).toBe('AUTH_INVALID_CREDENTIALS');
    const unknown = await new Client(api).post('/api/v1/auth/login', { username: 'nobody', password: 'not-the-password' });
    expect(unknown.body).toEqual(reply.body);
  });

  it('should revoke the session at logout', async () => {
    const client = await login(api);
    expect((await client.post('/api/v1/auth/logout')).status).toBe(204);
    expect((await client.get('/api/v1/terminals')).status).toBe(401);
  });

  it('should end a disabled user’s sessions at once and refuse their next login', async () => {
    const technician = await createUser(admin, 'technician');
    const me = (await technician.get('/api/v1/auth/session')).body.user;
    expect((await admin.patch(`/api/v1/users/${me.id}`, { active: false, version: me.version })).status).toBe(200);
    expect((await technician.get('/api/v1/terminals')).status).toBe(401);
    const again = await new Client(api).post('/api/v1/auth/login', { username: me.username, password: 'password-for-tests' });
    expect(again.body.code).toBe('AUTH_USER_DISABLED');
  });

  it('should change a password, trace that it changed and never log it', async () => {
    const auditor = await createUser(admin, 'auditor');
    const me = (await auditor.get('/api/v1/auth/session')).body.user;
    expect((await admin.patch(`/api/v1/users/${me.id}`, { password: 'a-brand-new-password', version: me.version })).status).toBe(200);
    expect((await new Client(api).post('/api/v1/auth/login', { username: me.username, password: 'password-for-tests' })).status).toBe(401);
    expect((await new Client(api).post('/api/v1/auth/login', { username: me.username, password: 'a-brand-new-password' })).status).toBe(200);
    const trail = (await admin.get(`/api/v1/audit?entityType=user&entityId=${me.id}`)).body;
    expect(trail.items[0].changes).toEqual({ password: { from: '***', to: '***' } });
    expect(JSON.stringify(trail)).not.toContain('scrypt');
  });

  it('should not let the last admin be demoted', async () => {
    const me = (await admin.get('/api/v1/auth/session')).body.user;
    const users = (await admin.get('/api/v1/users')).body as { id: number; role: string; version: number; username: string }[];
    for (const other of users.filter((u) => u.role === 'admin' && u.id !== me.id)) {
      await admin.patch(`/api/v1/users/${other.id}`, { active: false, version: other.version });
    }
    const reply = await admin.patch(`/api/v1/users/${me.id}`, { role: 'auditor', version: me.version });
    expect(reply.status).toBe(400);
    expect(reply.body.details.fields[0].field).toBe('role');
  });
});

describe('login throttling', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi({ LOGIN_RATE_LIMIT: '3' });
  });
  afterAll(() => api.stop());

  it('should answer 429 with Retry-After once an address tries too often', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 4; i++) {
      const reply = await new Client(api).post('/api/v1/auth/login', { username: 'admin', password: 'guess-number-' + i });
      statuses.push(reply.status);
      retryAfter = reply.headers.get('retry-after') ?? retryAfter;
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    expect(retryAfter).not.toBeNull();
  });
});
