/** A thin HTTP client for the integration tests, and factories with unique values. */
import type { Role } from '@fleet/shared';
import { ADMIN, type RunningApi } from '../../support/server';

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export class Client {
  constructor(
    readonly api: RunningApi,
    readonly token?: string,
  ) {}

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
    const init: RequestInit = { method, headers: { ...headers } };
    if (this.token) (init.headers as Record<string, string>).authorization = `Bearer ${this.token}`;
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) {
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await fetch(`${this.api.baseUrl}${path}`, init);
    const text = await response.text();
    let parsed: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  get<T = any>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', path, body, headers);
  }
  patch<T = any>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('PATCH', path, body, headers);
  }
  delete<T = any>(path: string) {
    return this.request<T>('DELETE', path);
  }
}

export async function login(api: RunningApi, username = ADMIN.username, password = ADMIN.password): Promise<Client> {
  const reply = await new Client(api).post('/api/v1/auth/login', { username, password });
  if (reply.status !== 200) throw new Error(`login ${username}: ${reply.status} ${JSON.stringify(reply.body)}`);
  return new Client(api, reply.body.accessToken);
}

let counter = 0;
/** A short unique suffix: upper-case letters and digits. */
export function unique(): string {
  counter += 1;
  return `${Date.now().toString(36).slice(-4)}${counter.toString(36)}`.toUpperCase();
}

/** A region code matching REGION_CODE_PATTERN: a letter then up to 7 letters or digits. */
export function regionCode(): string {
  return `R${unique()}`.slice(0, 8);
}

/** A user of the role (limited to `regionId` when given), signed in. */
export async function createUser(admin: Client, role: Role, regionId?: number): Promise<Client> {
  const username = `${role.replace('_', '')}${unique().toLowerCase()}`;
  const password = 'password-for-tests';
  const reply = await admin.post('/api/v1/users', { username, displayName: `${role} user`, password, role, ...(regionId ? { regionId } : {}) });
  if (reply.status !== 201) throw new Error(`create user: ${reply.status} ${JSON.stringify(reply.body)}`);
  return login(admin.api, username, password);
}

export interface Catalog {
  regionId: number;
  regionCode: string;
  branchId: number;
  branchCode: string;
  modelId: number;
  modelName: string;
  supplierId: number;
  supplierName: string;
}

/** A province with one branch, a supplier and a model with a 24-month warranty. */
export async function newCatalog(admin: Client): Promise<Catalog> {
  const code = regionCode();
  const region = await admin.post('/api/v1/regions', { code, name: `Province ${code}` });
  const branchCode = regionCode();
  const branch = await admin.post('/api/v1/regions', { code: branchCode, name: `Branch ${branchCode}`, parentId: region.body.id });
  const supplierName = `Supplier ${unique()}`;
  const supplier = await admin.post('/api/v1/suppliers', { name: supplierName });
  const modelName = `Model ${unique()}`;
  const model = await admin.post('/api/v1/models', { name: modelName, manufacturer: 'Maker', category: 'smart', defaultWarrantyMonths: 24 });
  for (const reply of [region, branch, supplier, model]) if (reply.status !== 201) throw new Error(JSON.stringify(reply.body));
  return { regionId: region.body.id, regionCode: code, branchId: branch.body.id, branchCode, modelId: model.body.id, modelName, supplierId: supplier.body.id, supplierName };
}

export async function newTerminal(admin: Client, catalog: Catalog, fields: Record<string, unknown> = {}) {
  const reply = await admin.post('/api/v1/terminals', {
    serialNumber: `SN${unique()}`,
    modelId: catalog.modelId,
    supplierId: catalog.supplierId,
    regionId: catalog.branchId,
    purchaseDate: '2025-01-31',
    ...fields,
  });
  if (reply.status !== 201) throw new Error(`create terminal: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}

/** A heartbeat as a terminal would send it now. */
export function heartbeat(terminalId: number, sequence: number, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { terminalId, sequence, sentAt: new Date().toISOString(), batteryPct: 80, charging: false, signalDbm: -70, network: '4g', printer: 'ok', ...fields };
}

/** Issues a terminal's device credential and returns a client that sends with it. */
export async function terminalDevice(admin: Client, terminalId: number): Promise<Client> {
  const reply = await admin.post(`/api/v1/terminals/${terminalId}/credentials`);
  if (reply.status !== 201) throw new Error(`credential: ${reply.status} ${JSON.stringify(reply.body)}`);
  return new Client(admin.api, reply.body.token);
}
