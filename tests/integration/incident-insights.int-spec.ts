/**
 * The common-faults table (常见故障处理汇总表), its CSV, the known fixes
 * suggested on a new ticket and the service levels, from tickets driven to
 * their end through the HTTP API. Timestamps come from the real clock, so
 * only the met rates that cannot depend on it are asserted (every measure here
 * is met within seconds of the report).
 */
import { parse } from 'csv-parse/sync';
import { startApi, type RunningApi } from '../support/server';
import { type Catalog, Client, createUser, login, newCatalog, newTerminal, unique } from './support/client';

const DAY = 86_400_000;
const dateIn = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);
const PASS = { chip: 'pass', stripe: 'pass', contactless: 'pass', print: 'pass', touch_keys: 'pass', network: 'pass', test_transaction: 'pass' };
const CSV_HEADER = ['symptom', 'model', 'errorCode', 'firmwareVersion', 'faultType', 'cause', 'fix', 'tickets', 'firstTimeFixRate', 'medianRepairHours', 'lastNote', 'lastClosedAt'];

interface Ticket {
  id: number;
  version: number;
  closedAt: string | null;
}

interface Row {
  symptom: string;
  model: { id: number; name: string };
  errorCode: string | null;
  fix: string;
  tickets: number;
  firstTimeFixRate: number;
  lastNote: string | null;
}

describe('common faults and service levels', () => {
  let api: RunningApi;
  let admin: Client;
  let wang: Client;
  let scoped: Client;
  let home: Catalog;
  let away: Catalog;
  let modelB: { id: number; name: string };
  let wangId: number;
  let liId: number;
  const tickets: Record<string, Ticket> = {};

  /** A technician with a display name of its own, signed in. */
  async function technician(displayName: string): Promise<{ client: Client; id: number }> {
    const username = `tech${unique().toLowerCase()}`;
    const reply = await admin.post('/api/v1/users', { username, displayName, password: 'password-for-tests', role: 'technician' });
    if (reply.status !== 201) throw new Error(`create user: ${reply.status} ${JSON.stringify(reply.body)}`);
    return { client: await login(api, username, 'password-for-tests'), id: reply.body.id };
  }

  /** Runs a step with the ticket's current version; expects 200 and returns the ticket. */
  async function step(ticket: Ticket, name: string, body: Record<string, unknown> = {}): Promise<Ticket> {
    const reply = await wang.post(`/api/v1/incidents/${ticket.id}/${name}`, { version: ticket.version, ...body });
    if (reply.status !== 200) throw new Error(`${name}: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  }

  async function report(catalog: Catalog, merchantId: number, fields: Record<string, unknown>, terminal: Record<string, unknown> = {}): Promise<Ticket> {
    const unit = await newTerminal(admin, catalog, { status: 'deployed', merchantId, firmwareVersion: '2.3.1', ...terminal });
    const reply = await wang.post('/api/v1/incidents', { terminalId: unit.id, description: 'Reported by the merchant', ...fields });
    if (reply.status !== 201) throw new Error(`report: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  }

  const fixedOnFirstResponse = (ticket: Ticket, note: string) => step(ticket, 'respond', { checks: { restart: 'done', cables: 'fixed' }, fixed: true, note });

  /** Diagnosed, repaired on site by the vendor, tested (failing first when asked), rated and closed. */
  async function repairedOnSite(ticket: Ticket, options: { vendor: string; note: string; failFirst?: boolean; rating?: number }): Promise<Ticket> {
    ticket = await step(ticket, 'diagnose', { faultType: 'hardware', cause: 'wear', mode: 'on_site', responsibility: 'bank' });
    ticket = await step(ticket, 'decide', { decision: 'on_site_repair', repairVendor: options.vendor });
    ticket = await step(ticket, 'repair-on-site');
    if (options.failFirst) {
      ticket = await step(ticket, 'test', { checks: { ...PASS, print: 'fail' } });
      ticket = await step(ticket, 'repair-on-site');
    }
    ticket = await step(ticket, 'test', { checks: PASS });
    if (options.rating) ticket = await step(ticket, 'rate', { rating: options.rating });
    return step(ticket, 'close', { resolution: 'repaired', note: options.note });
  }

  const rows = async (client: Client, query = '') => {
    const reply = await client.get(`/api/v1/incidents/common-faults${query}`);
    expect(reply.status).toBe(200);
    return reply.body as { items: Row[]; total: number; page: number; pageSize: number };
  };
  const shape = (row: Row) => `${row.symptom}/${row.model.name}/${row.errorCode ?? '-'}/${row.fix}: ${row.tickets} @ ${row.firstTimeFixRate}`;

  beforeAll(async () => {
    api = await startApi();
    admin = await login(api);
    home = await newCatalog(admin);
    away = await newCatalog(admin);
    const model = await admin.post('/api/v1/models', { name: `Model B ${unique()}`, manufacturer: 'Maker', category: 'smart' });
    modelB = { id: model.body.id, name: model.body.name };
    const homeMerchant = (await admin.post('/api/v1/merchants', { name: `Tea house ${unique()}`, regionId: home.branchId })).body.id;
    const awayMerchant = (await admin.post('/api/v1/merchants', { name: `Bakery ${unique()}`, regionId: away.branchId })).body.id;
    const first = await technician('Wang Wei');
    const second = await technician('Li Na');
    wang = first.client;
    wangId = first.id;
    liId = second.id;
    scoped = await createUser(admin, 'fleet_manager', home.regionId);

    const cardReader = (assigneeId: number | null, errorCodes = ['E203']) => ({ symptom: 'card_reader', errorCodes, assigneeId });
    // Card-reader faults on model A fixed on first response; C4 comes back and is repaired on site.
    tickets.c1 = await fixedOnFirstResponse(await report(home, homeMerchant, cardReader(wangId, ['E203', 'E7'])), 'Cleaned the chip reader contacts');
    tickets.c2 = await fixedOnFirstResponse(await report(home, homeMerchant, cardReader(wangId)), 'Reseated the card reader cable');
    tickets.c3 = await fixedOnFirstResponse(await report(home, homeMerchant, cardReader(liId)), 'Cleaned chip contacts with alcohol');
    let c4 = await fixedOnFirstResponse(await report(home, homeMerchant, cardReader(liId)), 'Restarted');
    c4 = await step(c4, 'reopen', { reason: 'Chip cards refused again' });
    tickets.c4 = await repairedOnSite(c4, { vendor: 'Maker Service', note: 'Replaced the reader head on site' });
    // Printer faults repaired on site by FixIt, the second after a failed test; its note looks like a formula.
    // They ran different firmware, which does not tell hardware faults apart: one row.
    for (const [name, failFirst, rating, note] of [
      ['p1', false, 4, 'Replaced the printer roller'],
      ['p2', true, 2, '=HYPERLINK("http://x") replaced the print head'],
    ] as const) {
      let ticket = await report(home, homeMerchant, { symptom: 'printer', assigneeId: wangId }, name === 'p2' ? { firmwareVersion: '2.4.0' } : {});
      ticket = await step(ticket, 'respond', { checks: { restart: 'done' }, fixed: false });
      tickets[name] = await repairedOnSite(ticket, { vendor: 'FixIt Ltd', note, failFirst, rating });
    }
    // Network faults on model B, nobody assigned.
    tickets.n1 = await fixedOnFirstResponse(await report(home, homeMerchant, { symptom: 'network' }, { modelId: modelB.id }), 'Replugged the network cable');
    tickets.n2 = await fixedOnFirstResponse(await report(home, homeMerchant, { symptom: 'network' }, { modelId: modelB.id }), 'Reset the router');
    // Not fixes: closed as no fault found (its note mentions the chip), and still open.
    tickets.x1 = await step(await report(home, homeMerchant, cardReader(null)), 'close', { resolution: 'no_fault_found', note: 'Chip reader fine, merchant card damaged' });
    tickets.x2 = await report(home, homeMerchant, cardReader(null));
    tickets.x3 = await report(home, homeMerchant, { symptom: 'printer', errorCodes: ['E999'] });
    tickets.x4 = await report(home, homeMerchant, { symptom: 'card_reader' }, { modelId: modelB.id });
    // Another province, outside the scoped user's region.
    tickets.o1 = await fixedOnFirstResponse(await report(away, awayMerchant, cardReader(wangId)), 'Other province: chip cleaned');
  });

  afterAll(() => api.stop());

  it('should rank the known fixes by tickets then first-time-fix rate, with the last note of each', async () => {
    const table = await rows(admin);
    expect(table).toMatchObject({ total: 5, page: 1 });
    expect(table.items.map(shape)).toEqual([
      `card_reader/${home.modelName}/E203/first_response: 3 @ 1`,
      `network/${modelB.name}/-/first_response: 2 @ 1`,
      `printer/${home.modelName}/-/on_site_repair: 2 @ 0.5`,
      `card_reader/${away.modelName}/E203/first_response: 1 @ 1`,
      `card_reader/${home.modelName}/E203/on_site_repair: 1 @ 0`,
    ]);
    const [cardReader, , printer, , reopened] = table.items as (Row & Record<string, unknown>)[];
    expect(cardReader).toMatchObject({ firmwareVersion: '2.3.1', faultType: null, cause: null, lastNote: 'Cleaned chip contacts with alcohol', lastClosedAt: tickets.c3!.closedAt });
    expect(cardReader!.medianRepairHours).toBeGreaterThanOrEqual(0);
    expect(cardReader!.medianRepairHours).toBeLessThan(0.1);
    expect(printer).toMatchObject({ firmwareVersion: null, faultType: 'hardware', cause: 'wear', lastNote: '=HYPERLINK("http://x") replaced the print head', lastClosedAt: tickets.p2!.closedAt });
    expect(reopened).toMatchObject({ faultType: 'hardware', cause: 'wear', lastNote: 'Replaced the reader head on site' });

    const second = await rows(admin, '?pageSize=2&page=2');
    expect(second).toMatchObject({ total: 5, page: 2, pageSize: 2 });
    expect(second.items.map((row) => row.fix + '/' + row.symptom)).toEqual(['on_site_repair/printer', 'first_response/card_reader']);
  });

  it('should filter by symptom, model, error code (any code on the ticket, any case) and closing note', async () => {
    expect((await rows(admin, '?symptom=printer')).items.map(shape)).toEqual([`printer/${home.modelName}/-/on_site_repair: 2 @ 0.5`]);
    expect((await rows(admin, `?modelId=${modelB.id}`)).items.map(shape)).toEqual([`network/${modelB.name}/-/first_response: 2 @ 1`]);
    expect((await rows(admin, '?errorCode=e7')).items.map(shape)).toEqual([`card_reader/${home.modelName}/E203/first_response: 1 @ 1`]);
    expect((await rows(admin, '?errorCode=E203')).items.map(shape)).toEqual([
      `card_reader/${home.modelName}/E203/first_response: 3 @ 1`,
      `card_reader/${away.modelName}/E203/first_response: 1 @ 1`,
      `card_reader/${home.modelName}/E203/on_site_repair: 1 @ 0`,
    ]);
    // A note search picks the fixes described that way and keeps their whole figures; the no-fault close is no fix.
    expect((await rows(admin, '?q=CHIP')).items.map(shape)).toEqual([`card_reader/${home.modelName}/E203/first_response: 3 @ 1`, `card_reader/${away.modelName}/E203/first_response: 1 @ 1`]);
    expect((await rows(admin, '?q=%25')).items).toEqual([]);
    const bad = await admin.get('/api/v1/incidents/common-faults?errorCode=E%203');
    expect(bad.status).toBe(400);
    expect(bad.body.details.fields.map((f: { field: string }) => f.field)).toContain('errorCode');
  });

  it('should keep to the user’s region', async () => {
    const table = await rows(scoped);
    expect(table.total).toBe(4);
    expect(table.items.every((row) => row.model.id !== away.modelId)).toBe(true);
  });

  it('should export the table as CSV with a byte-order mark and formula-like notes neutralised', async () => {
    const response = await fetch(`${api.baseUrl}/api/v1/incidents/common-faults.csv`, { headers: { authorization: `Bearer ${admin.token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('content-disposition')).toContain('common-faults.csv');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records = parse(bytes.subarray(3).toString('utf8')) as string[][];
    expect(records[0]).toEqual(CSV_HEADER);
    expect(records.slice(1).map((r) => [r[0], r[1], r[2], r[6], r[7], r[8]])).toEqual([
      ['card_reader', home.modelName, 'E203', 'first_response', '3', '1'],
      ['network', modelB.name, '', 'first_response', '2', '1'],
      ['printer', home.modelName, '', 'on_site_repair', '2', '0.5'],
      ['card_reader', away.modelName, 'E203', 'first_response', '1', '1'],
      ['card_reader', home.modelName, 'E203', 'on_site_repair', '1', '0'],
    ]);
    expect(records[3]![10]).toBe(`'=HYPERLINK("http://x") replaced the print head`);
    expect(records[3]![11]).toBe(tickets.p2!.closedAt);

    const filtered = await scoped.get('/api/v1/incidents/common-faults.csv?symptom=card_reader');
    const scopedRecords = parse((filtered.body as string).replace(/^\uFEFF/, '')) as string[][];
    expect(scopedRecords.slice(1).map((r) => [r[1], r[6]])).toEqual([
      [home.modelName, 'first_response'],
      [home.modelName, 'on_site_repair'],
    ]);
  });

  it('should suggest the fixes known for the symptom on the model with the error code, then on the model, then on any model', async () => {
    const exact = await wang.get(`/api/v1/incidents/${tickets.x2!.id}/suggestions`);
    expect(exact.status).toBe(200);
    expect((exact.body as Row[]).map(shape)).toEqual([`card_reader/${home.modelName}/E203/first_response: 3 @ 1`, `card_reader/${home.modelName}/E203/on_site_repair: 1 @ 0`]);
    expect(exact.body[0].lastNote).toBe('Cleaned chip contacts with alcohol');

    const sameModel = await wang.get(`/api/v1/incidents/${tickets.x3!.id}/suggestions`);
    expect((sameModel.body as Row[]).map(shape)).toEqual([`printer/${home.modelName}/-/on_site_repair: 2 @ 0.5`]);

    const anyModel = await admin.get(`/api/v1/incidents/${tickets.x4!.id}/suggestions`);
    expect((anyModel.body as Row[]).map(shape)).toEqual([
      `card_reader/${home.modelName}/E203/first_response: 3 @ 1`,
      `card_reader/${away.modelName}/E203/first_response: 1 @ 1`,
      `card_reader/${home.modelName}/E203/on_site_repair: 1 @ 0`,
    ]);
    const anyModelInScope = await scoped.get(`/api/v1/incidents/${tickets.x4!.id}/suggestions`);
    expect((anyModelInScope.body as Row[]).map((row) => row.model.name)).toEqual([home.modelName, home.modelName]);

    expect((await scoped.get(`/api/v1/incidents/${tickets.o1!.id}/suggestions`)).status).toBe(404);
    expect((await admin.get('/api/v1/incidents/999999/suggestions')).body.code).toBe('INCIDENT_NOT_FOUND');
    expect((await admin.get('/api/v1/incidents/abc/suggestions')).status).toBe(400);
  });

  it('should still serve a ticket by id beside the insight routes', async () => {
    expect((await admin.get(`/api/v1/incidents/${tickets.x2!.id}`)).body).toMatchObject({ id: tickets.x2!.id, stage: 'reported' });
  });

  describe('service levels', () => {
    const metInTime = expect.objectContaining({ metRate: 1 });
    const met = { respond: metInTime, restore: metInTime, repair: metInTime };
    const levels = async (client: Client, query: string) => {
      const reply = await client.get(`/api/v1/incidents/service-levels?${query}`);
      expect(reply.status).toBe(200);
      return reply.body as Record<string, unknown>[];
    };

    it('should give each technician their tickets, closes, first-time fixes, reopens and ratings', async () => {
      expect(await levels(admin, 'groupBy=technician')).toEqual([
        expect.objectContaining({ key: 'unassigned', label: 'Unassigned', tickets: 6, closed: 3, firstTimeFixRate: 1, reopenRate: 0, averageRating: null, ...met }),
        expect.objectContaining({ key: String(wangId), label: 'Wang Wei', tickets: 5, closed: 5, firstTimeFixRate: 0.8, reopenRate: 0, averageRating: 3, ...met }),
        expect.objectContaining({ key: String(liId), label: 'Li Na', tickets: 2, closed: 2, firstTimeFixRate: 0.5, reopenRate: 0.5, averageRating: null, ...met }),
      ]);
      const mine = await levels(scoped, 'groupBy=technician');
      expect(mine.map((row) => [row.label, row.tickets, row.closed, row.firstTimeFixRate])).toEqual([
        ['Unassigned', 6, 3, 1],
        ['Wang Wei', 4, 4, 0.75],
        ['Li Na', 2, 2, 0.5],
      ]);
    });

    it('should measure the response of tickets answered within seconds as met, in a fraction of an hour', async () => {
      const [unassigned] = await levels(admin, 'groupBy=technician');
      const respond = unassigned!.respond as { metRate: number; medianHours: number };
      expect(respond.metRate).toBe(1);
      expect(respond.medianHours).toBeLessThan(0.1);
    });

    it('should group by region and by repair vendor', async () => {
      expect(await levels(admin, 'groupBy=region')).toEqual([
        expect.objectContaining({ key: String(home.branchId), label: `Branch ${home.branchCode}`, tickets: 12, closed: 9, firstTimeFixRate: 0.75, reopenRate: 0.1111, averageRating: 3, ...met }),
        expect.objectContaining({ key: String(away.branchId), label: `Branch ${away.branchCode}`, tickets: 1, closed: 1, firstTimeFixRate: 1, reopenRate: 0, averageRating: null, ...met }),
      ]);
      expect((await levels(scoped, 'groupBy=region')).map((row) => row.key)).toEqual([String(home.branchId)]);
      expect(await levels(admin, 'groupBy=vendor')).toEqual([
        expect.objectContaining({ key: 'FixIt Ltd', label: 'FixIt Ltd', tickets: 2, closed: 2, firstTimeFixRate: 0.5, reopenRate: 0, averageRating: 3, ...met }),
        expect.objectContaining({ key: 'Maker Service', label: 'Maker Service', tickets: 1, closed: 1, firstTimeFixRate: 0, reopenRate: 1, averageRating: null, ...met }),
      ]);
    });

    it('should count the tickets reported in [from, to)', async () => {
      const around = await levels(admin, `groupBy=region&from=${dateIn(-1)}&to=${dateIn(1)}`);
      expect(around.map((row) => row.tickets)).toEqual([12, 1]);
      expect(await levels(admin, `groupBy=region&to=${dateIn(-1)}`)).toEqual([]);
      const reversed = await admin.get(`/api/v1/incidents/service-levels?groupBy=region&from=${dateIn(1)}&to=${dateIn(-1)}`);
      expect(reversed.status).toBe(400);
      expect(reversed.body.details.fields[0].field).toBe('from');
    });

    it('should refuse an unknown grouping, naming groupBy', async () => {
      for (const query of ['groupBy=merchant', '']) {
        const reply = await admin.get(`/api/v1/incidents/service-levels?${query}`);
        expect(reply.status).toBe(400);
        expect(reply.body.details.fields.map((f: { field: string }) => f.field)).toContain('groupBy');
      }
    });
  });
});
