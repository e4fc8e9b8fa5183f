/**
 * Maintenance plans and tasks through the HTTP API (issue 6): a plan created
 * over HTTP generates tasks for its deployed terminals only; technicians
 * complete, postpone, skip and assign them; the calendar counts them; a
 * usage plan falls due from heartbeat counters; firmware/app compliance
 * against the model's targets; bad input refused naming the field with
 * nothing stored; roles; a user limited to a region sees only its tasks.
 */
import { startApi, type RunningApi } from '../support/server';
import { type Catalog, Client, createUser, heartbeat, login, newCatalog, newTerminal, terminalDevice, unique } from './support/client';

const DAY = 86_400_000;
const today = () => new Date().toISOString().slice(0, 10);
const dateIn = (days: number) => new Date(Date.parse(`${today()}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
const CHECKLIST = ['Clean the card reader', 'Check the printer and paper', 'Run a test transaction'];

describe('maintenance plans and tasks', () => {
  let api: RunningApi;
  let admin: Client;
  let manager: Client;
  let technician: Client;
  let auditor: Client;
  let scopedManager: Client;
  let mine: Catalog;
  let other: Catalog;
  /** Deployed terminals of `mine` (its branch), and one of its model deployed in the other region. */
  let deployed: number[];
  let elsewhere: number;
  let notDeployed: number[];
  let technicianId: number;
  let auditorId: number;

  beforeAll(async () => {
    api = await startApi();
    admin = await login(api);
    manager = await createUser(admin, 'fleet_manager');
    technician = await createUser(admin, 'technician');
    auditor = await createUser(admin, 'auditor');
    mine = await newCatalog(admin);
    other = await newCatalog(admin);
    scopedManager = await createUser(admin, 'fleet_manager', mine.regionId);
    deployed = [];
    for (let i = 0; i < 3; i++) deployed.push((await newTerminal(admin, mine, { status: 'deployed' })).id);
    elsewhere = (await newTerminal(admin, mine, { status: 'deployed', regionId: other.branchId })).id;
    notDeployed = [(await newTerminal(admin, mine, { status: 'in_stock' })).id, (await newTerminal(admin, mine, { status: 'spare' })).id];
    const me = async (client: Client) => (await client.get('/api/v1/auth/session')).body.user;
    technicianId = (await me(technician)).id;
    auditorId = (await me(auditor)).id;
  });

  afterAll(() => api.stop());

  const plan = (fields: Record<string, unknown> = {}) => ({
    name: `Quarterly inspection ${unique()}`,
    kind: 'inspection',
    checklist: CHECKLIST,
    scope: 'model',
    modelId: mine.modelId,
    anchor: 'fixed',
    startDate: today(),
    interval: 3,
    intervalUnit: 'months',
    leadDays: 14,
    ...fields,
  });

  async function created(client: Client, fields: Record<string, unknown> = {}) {
    const reply = await client.post('/api/v1/maintenance/plans', plan(fields));
    if (reply.status !== 201) throw new Error(`plan: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  }

  async function tasksOf(planId: number, client: Client = admin) {
    return (await client.get(`/api/v1/maintenance/tasks?planId=${planId}&pageSize=200`)).body;
  }

  const answers = (result = 'ok') => CHECKLIST.map((item) => ({ item, result }));

  it('should generate tasks for the deployed terminals of the plan only, once, and take them through their steps', async () => {
    const quarterly = await created(manager);
    expect(quarterly).toMatchObject({ scope: 'model', model: { id: mine.modelId }, active: true, leadDays: 14, checklist: CHECKLIST, version: 1 });

    expect((await manager.post(`/api/v1/maintenance/plans/${quarterly.id}/generate`)).body).toEqual({ generated: 4 });
    expect((await manager.post(`/api/v1/maintenance/plans/${quarterly.id}/generate`)).body).toEqual({ generated: 0 });
    const list = await tasksOf(quarterly.id);
    expect(list.total).toBe(4);
    expect(list.items.map((task: { terminal: { id: number } }) => task.terminal.id).sort((a: number, b: number) => a - b)).toEqual([...deployed, elsewhere].sort((a, b) => a - b));
    expect(list.items.every((task: { terminal: { id: number } }) => !notDeployed.includes(task.terminal.id))).toBe(true);
    expect(list.items[0]).toMatchObject({ status: 'open', dueDate: today(), dueReason: 'time', overdue: false, checklist: CHECKLIST, actions: ['assign', 'complete', 'postpone', 'skip'] });

    const byTerminal = (id: number) => list.items.find((task: { terminal: { id: number } }) => task.terminal.id === id);
    const [toComplete, toPostpone, toSkip] = deployed.map(byTerminal);

    const incomplete = await technician.post(`/api/v1/maintenance/tasks/${toComplete.id}/complete`, { version: toComplete.version, results: answers().slice(0, 2) });
    expect(incomplete.status).toBe(400);
    expect(incomplete.body.details.fields[0]).toMatchObject({ field: 'results', code: 'incomplete' });

    const done = await technician.post(`/api/v1/maintenance/tasks/${toComplete.id}/complete`, {
      version: toComplete.version,
      results: [...answers().slice(1), { item: CHECKLIST[0], result: 'issue', note: 'Contacts worn, cleaned' }],
      note: 'All good after cleaning',
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      status: 'done',
      closedOn: today(),
      note: 'All good after cleaning',
      actions: [],
      results: [
        { item: CHECKLIST[0], result: 'issue', note: 'Contacts worn, cleaned' },
        { item: CHECKLIST[1], result: 'ok', note: null },
        { item: CHECKLIST[2], result: 'ok', note: null },
      ],
    });
    expect(done.body.completedBy.username).toMatch(/^technician/);
    const again = await technician.post(`/api/v1/maintenance/tasks/${toComplete.id}/complete`, { version: done.body.version, results: answers() });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'MAINTENANCE_TASK_INVALID_TRANSITION', details: { status: 'done', allowed: [] } });

    const stale = await technician.post(`/api/v1/maintenance/tasks/${toPostpone.id}/postpone`, { version: toPostpone.version + 1, to: dateIn(10), reason: 'x' });
    expect(stale.body.code).toBe('VERSION_CONFLICT');
    const postponed = await technician.post(`/api/v1/maintenance/tasks/${toPostpone.id}/postpone`, { to: dateIn(10), reason: 'Merchant closed for renovation' }, { 'if-match': String(toPostpone.version) });
    expect(postponed.body).toMatchObject({ status: 'open', dueDate: today(), postponedTo: dateIn(10), effectiveDueDate: dateIn(10), postponeReason: 'Merchant closed for renovation' });

    const skipped = await technician.post(`/api/v1/maintenance/tasks/${toSkip.id}/skip`, { version: toSkip.version, reason: 'Unit replaced last week' });
    expect(skipped.body).toMatchObject({ status: 'skipped', closeReason: 'Unit replaced last week', closedOn: today() });

    const assignee = await technician.post(`/api/v1/maintenance/tasks/${postponed.body.id}/assign`, { version: postponed.body.version, assigneeId: auditorId });
    expect(assignee.status).toBe(400);
    expect(assignee.body.details.fields[0]).toMatchObject({ field: 'assigneeId', code: 'notAssignable' });
    const assigned = await technician.post(`/api/v1/maintenance/tasks/${postponed.body.id}/assign`, { version: postponed.body.version, assigneeId: technicianId });
    expect(assigned.body.assignee).toMatchObject({ id: technicianId });
    expect((await admin.get(`/api/v1/maintenance/tasks?assigneeId=${technicianId}`)).body.items.map((task: { id: number }) => task.id)).toEqual([postponed.body.id]);

    const calendar = (await admin.get(`/api/v1/maintenance/tasks/calendar?from=${dateIn(-1)}&to=${dateIn(20)}&planId=${quarterly.id}`)).body;
    expect(calendar.days).toHaveLength(22);
    expect(calendar.days.filter((d: { open: number; done: number; skipped: number; cancelled: number }) => d.open + d.done + d.skipped + d.cancelled > 0)).toEqual([
      { date: today(), open: 1, overdue: 0, done: 1, skipped: 1, cancelled: 0 },
      { date: dateIn(10), open: 1, overdue: 0, done: 0, skipped: 0, cancelled: 0 },
    ]);

    const history = (await admin.get(`/api/v1/audit?entityType=maintenance_task&entityId=${toComplete.id}`)).body.items;
    expect(history[0]).toMatchObject({ action: 'transition', changes: { status: { from: 'open', to: 'done' } } });
    const planHistory = (await admin.get(`/api/v1/audit?entityType=maintenance_plan&entityId=${quarterly.id}`)).body.items;
    expect(planHistory.map((entry: { action: string }) => entry.action)).toEqual(['create']);

    // Deactivating the plan cancels what is still open; a plan with history is kept, not deleted.
    const off = await manager.patch(`/api/v1/maintenance/plans/${quarterly.id}`, { version: quarterly.version, active: false });
    expect(off.body.active).toBe(false);
    expect((await tasksOf(quarterly.id)).items.map((task: { status: string }) => task.status).sort()).toEqual(['cancelled', 'cancelled', 'done', 'skipped']);
    expect((await manager.delete(`/api/v1/maintenance/plans/${quarterly.id}`)).body.code).toBe('RECORD_IN_USE');
  });

  it('should fall due on a usage plan when the heartbeats’ transaction counter passes the threshold', async () => {
    const unit = (await newTerminal(admin, mine, { status: 'deployed' })).id;
    const device = await terminalDevice(admin, unit);
    const usagePlan = await created(manager, { scope: 'terminals', modelId: null, terminalIds: [unit], anchor: 'from_completion', interval: null, usageCounter: 'transactions', usageEvery: 500, kind: 'cleaning' });
    expect((await device.post('/api/v1/heartbeats', heartbeat(unit, 1, { transactionCount: 120_000 }))).status).toBeLessThan(300);
    // The first count is the baseline: a lifetime counter does not make the unit due at once.
    expect((await manager.post(`/api/v1/maintenance/plans/${usagePlan.id}/generate`)).body).toEqual({ generated: 0 });
    expect((await device.post('/api/v1/heartbeats', heartbeat(unit, 2, { transactionCount: 120_499 }))).status).toBeLessThan(300);
    expect((await manager.post(`/api/v1/maintenance/plans/${usagePlan.id}/generate`)).body).toEqual({ generated: 0 });
    expect((await device.post('/api/v1/heartbeats', heartbeat(unit, 3, { transactionCount: 120_500 }))).status).toBeLessThan(300);
    expect((await manager.post(`/api/v1/maintenance/plans/${usagePlan.id}/generate`)).body).toEqual({ generated: 1 });
    const [task] = (await tasksOf(usagePlan.id)).items;
    expect(task).toMatchObject({ terminal: { id: unit }, dueDate: today(), dueReason: 'usage' });
    // Completing it counts the next 500 from here.
    expect((await technician.post(`/api/v1/maintenance/tasks/${task.id}/complete`, { version: task.version, results: answers() })).status).toBe(200);
    expect((await device.post('/api/v1/heartbeats', heartbeat(unit, 4, { transactionCount: 120_900 }))).status).toBeLessThan(300);
    expect((await manager.post(`/api/v1/maintenance/plans/${usagePlan.id}/generate`)).body).toEqual({ generated: 0 });
    // A plan without history can be deleted, with its open tasks.
    const spare = await created(manager, { scope: 'terminals', modelId: null, terminalIds: [unit] });
    expect((await manager.post(`/api/v1/maintenance/plans/${spare.id}/generate`)).body).toEqual({ generated: 1 });
    expect((await manager.delete(`/api/v1/maintenance/plans/${spare.id}`)).status).toBe(204);
    expect((await admin.get(`/api/v1/maintenance/plans/${spare.id}`)).body.code).toBe('MAINTENANCE_PLAN_NOT_FOUND');
    expect((await tasksOf(spare.id)).total).toBe(0);
  });

  it('should report firmware and app compliance against the model’s targets, from the terminal records', async () => {
    const fleet = await newCatalog(admin);
    const policy = await admin.request('PUT', `/api/v1/models/${fleet.modelId}/health-policy`, { targetFirmwareVersion: '2.10.0', targetAppVersion: '5.1' });
    expect(policy.status).toBe(200);
    const versions: [string | null, string | null][] = [
      ['2.10.0', '5.1'],
      ['2.11.1', '5.2'],
      ['2.9.9', '5.1'],
      ['2.10.0', '5.0'],
      [null, '5.1'],
    ];
    const ids: number[] = [];
    for (const [firmwareVersion, appVersion] of versions) ids.push((await newTerminal(admin, fleet, { status: 'deployed', firmwareVersion, appVersion })).id);
    await newTerminal(admin, fleet, { status: 'in_stock', firmwareVersion: '1.0.0', appVersion: '1.0' });

    const overview = (await auditor.get('/api/v1/maintenance/compliance')).body;
    expect(overview.models.find((row: { model: { id: number } }) => row.model.id === fleet.modelId)).toEqual({
      model: { id: fleet.modelId, name: fleet.modelName },
      targetFirmwareVersion: '2.10.0',
      targetAppVersion: '5.1',
      deployed: 5,
      onTarget: 2,
      behind: 2,
      unknown: 1,
      share: 0.4,
    });
    const behind = (await auditor.get(`/api/v1/maintenance/compliance/${fleet.modelId}/behind`)).body;
    expect(behind.total).toBe(3);
    expect(behind.items.map((row: { id: number; firmware: string; app: string }) => [row.id, row.firmware, row.app]).sort((a: number[], b: number[]) => a[0]! - b[0]!)).toEqual([
      [ids[2], 'behind', 'on_target'],
      [ids[3], 'on_target', 'behind'],
      [ids[4], 'unknown', 'on_target'],
    ]);
    expect((await auditor.get('/api/v1/maintenance/compliance/999999/behind')).status).toBe(404);
    // A user limited to a region sees its own terminals only.
    const scoped = (await scopedManager.get('/api/v1/maintenance/compliance')).body;
    expect(scoped.models.map((row: { model: { id: number } }) => row.model.id)).not.toContain(fleet.modelId);
  });

  describe('bad input', () => {
    const counts = async () => ({
      plans: (await admin.get('/api/v1/maintenance/plans?pageSize=200')).body.total as number,
      audit: (await admin.get('/api/v1/audit?entityType=maintenance_plan')).body.total as number,
    });

    const cases: [string, () => Record<string, unknown>, string][] = [
      ['missing name', () => plan({ name: undefined }), 'name'],
      ['unknown kind', () => plan({ kind: 'polishing' }), 'kind'],
      ['empty checklist', () => plan({ checklist: [] }), 'checklist'],
      ['checklist too long', () => plan({ checklist: Array.from({ length: 31 }, (_v, i) => `Item ${i}`) }), 'checklist'],
      ['checklist item too long', () => plan({ checklist: ['x'.repeat(201)] }), 'checklist'],
      ['checklist item blank', () => plan({ checklist: ['  '] }), 'checklist'],
      ['checklist item twice', () => plan({ checklist: ['A', 'A'] }), 'checklist.1'],
      ['unknown scope', () => plan({ scope: 'city' }), 'scope'],
      ['model scope without a model', () => plan({ modelId: undefined }), 'modelId'],
      ['model scope with a region too', () => plan({ regionId: mine.regionId }), 'regionId'],
      ['unknown model', () => plan({ modelId: 999_999 }), 'modelId'],
      ['unknown region', () => plan({ scope: 'region', modelId: undefined, regionId: 999_999 }), 'regionId'],
      ['unknown category', () => plan({ scope: 'category', modelId: undefined, category: 'tablet' }), 'category'],
      ['unknown terminals', () => plan({ scope: 'terminals', modelId: undefined, terminalIds: [deployed[0], 999_999] }), 'terminalIds'],
      ['a terminal listed twice', () => plan({ scope: 'terminals', modelId: undefined, terminalIds: [deployed[0], deployed[0]] }), 'terminalIds'],
      ['too many terminals', () => plan({ scope: 'terminals', modelId: undefined, terminalIds: Array.from({ length: 1_001 }, (_v, i) => i + 1) }), 'terminalIds'],
      ['an interval of 0 days', () => plan({ interval: 0, intervalUnit: 'days' }), 'interval'],
      ['an interval of 1.5 months', () => plan({ interval: 1.5 }), 'interval'],
      ['an interval of 121 months', () => plan({ interval: 121 }), 'interval'],
      ['an interval as text', () => plan({ interval: '3' }), 'interval'],
      ['an unknown interval unit', () => plan({ intervalUnit: 'weeks' }), 'intervalUnit'],
      ['a fixed calendar without interval', () => plan({ interval: null, usageCounter: 'prints', usageEvery: 5_000 }), 'anchor'],
      ['no trigger at all', () => plan({ anchor: 'from_completion', interval: null }), 'interval'],
      ['usage without a counter', () => plan({ usageEvery: 5_000 }), 'usageCounter'],
      ['a counter without usage', () => plan({ usageCounter: 'transactions' }), 'usageEvery'],
      ['an unknown counter', () => plan({ usageCounter: 'swipes', usageEvery: 5 }), 'usageCounter'],
      ['usage of 0', () => plan({ usageCounter: 'prints', usageEvery: 0 }), 'usageEvery'],
      ['an impossible start date', () => plan({ startDate: '2026-02-30' }), 'startDate'],
      ['a start date in another format', () => plan({ startDate: '2026/01/01' }), 'startDate'],
      ['a null start date', () => plan({ startDate: null }), 'startDate'],
      ['lead days over 90', () => plan({ leadDays: 91 }), 'leadDays'],
      ['negative lead days', () => plan({ leadDays: -1 }), 'leadDays'],
      ['an unknown field', () => plan({ colour: 'red' }), 'colour'],
    ];

    it.each(cases)('should refuse a plan with %s, naming the field and storing nothing', async (_case, body, field) => {
      const before = await counts();
      const reply = await manager.post('/api/v1/maintenance/plans', body());
      expect(reply.status).toBe(400);
      expect(reply.body.code).toBe('VALIDATION_FAILED');
      expect(reply.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
      expect(await counts()).toEqual(before);
    });

    it('should refuse an impossible change to a plan and leave it as it was', async () => {
      const existing = await created(manager, { scope: 'region', modelId: null, regionId: other.regionId, active: false });
      const before = await counts();
      for (const [change, field] of [
        [{ interval: 0 }, 'interval'],
        [{ interval: null }, 'interval'],
        [{ interval: null, usageCounter: 'prints', usageEvery: 100 }, 'anchor'],
        [{ scope: 'category' }, 'category'],
        [{ name: null }, 'name'],
        [{ checklist: null }, 'checklist'],
      ] as const) {
        const reply = await manager.patch(`/api/v1/maintenance/plans/${existing.id}`, { version: existing.version, ...change });
        expect([reply.status, reply.body.details?.fields?.[0]?.field]).toEqual([400, field]);
      }
      expect((await manager.patch(`/api/v1/maintenance/plans/${existing.id}`, { interval: 6 })).status).toBe(428);
      expect((await manager.post(`/api/v1/maintenance/plans/${existing.id}/generate`)).status).toBe(409);
      expect((await admin.get(`/api/v1/maintenance/plans/${existing.id}`)).body).toEqual(existing);
      expect(await counts()).toEqual(before);
    });

    it('should refuse bad task steps and calendar ranges, naming the field', async () => {
      const weekly = await created(manager, { scope: 'terminals', modelId: null, terminalIds: [deployed[0]], interval: 7, intervalUnit: 'days' });
      await manager.post(`/api/v1/maintenance/plans/${weekly.id}/generate`);
      const [task] = (await tasksOf(weekly.id)).items;
      const step = (name: string, body: Record<string, unknown>) => technician.post(`/api/v1/maintenance/tasks/${task.id}/${name}`, { version: task.version, ...body });
      for (const [reply, field] of [
        [await step('postpone', { to: dateIn(-1), reason: 'late' }), 'to'],
        [await step('postpone', { to: '2026-13-01', reason: 'late' }), 'to'],
        [await step('postpone', { to: dateIn(3) }), 'reason'],
        [await step('skip', { reason: '' }), 'reason'],
        [await step('complete', { results: [{ item: 'Polish the case', result: 'ok' }] }), 'results.0.item'],
        [await step('complete', { results: answers('broken') }), 'results.0.result'],
        [await step('assign', {}), 'assigneeId'],
        [await admin.get(`/api/v1/maintenance/tasks/calendar?from=${dateIn(0)}&to=${dateIn(63)}`), 'to'],
        [await admin.get(`/api/v1/maintenance/tasks/calendar?to=${dateIn(3)}`), 'from'],
        [await admin.get('/api/v1/maintenance/tasks?status=late'), 'status'],
      ] as const) {
        expect([reply.status, reply.body.details?.fields?.[0]?.field]).toEqual([400, field]);
      }
      expect((await tasksOf(weekly.id)).items[0]).toEqual(task);
    });
  });

  describe('who may do what', () => {
    it('should let an auditor read plans, tasks and compliance but change nothing', async () => {
      const existing = await created(manager);
      for (const path of ['/api/v1/maintenance/plans', `/api/v1/maintenance/plans/${existing.id}`, '/api/v1/maintenance/tasks', `/api/v1/maintenance/tasks/calendar?from=${today()}&to=${dateIn(30)}`, '/api/v1/maintenance/compliance']) {
        expect([path, (await auditor.get(path)).status]).toEqual([path, 200]);
      }
      expect((await auditor.post('/api/v1/maintenance/plans', plan())).status).toBe(403);
      expect((await auditor.patch(`/api/v1/maintenance/plans/${existing.id}`, { version: 1, name: 'Renamed' })).status).toBe(403);
      expect((await auditor.post(`/api/v1/maintenance/plans/${existing.id}/generate`)).status).toBe(403);
      await manager.post(`/api/v1/maintenance/plans/${existing.id}/generate`);
      const [task] = (await tasksOf(existing.id)).items;
      expect((await auditor.post(`/api/v1/maintenance/tasks/${task.id}/complete`, { version: task.version, results: answers() })).status).toBe(403);
    });

    it('should let a technician work on tasks but not plan them', async () => {
      expect((await technician.post('/api/v1/maintenance/plans', plan())).status).toBe(403);
      const existing = await created(admin);
      expect((await technician.delete(`/api/v1/maintenance/plans/${existing.id}`)).status).toBe(403);
      expect((await technician.post(`/api/v1/maintenance/plans/${existing.id}/generate`)).status).toBe(403);
    });
  });

  describe('a user limited to a region', () => {
    it('should see only the tasks of terminals in the region, and plan for the region only', async () => {
      const fleetWide = await created(admin, { name: `Fleet-wide ${unique()}` });
      const otherRegion = await created(admin, { scope: 'region', modelId: null, regionId: other.regionId, name: `Other region ${unique()}` });
      await admin.post(`/api/v1/maintenance/plans/${fleetWide.id}/generate`);
      await admin.post(`/api/v1/maintenance/plans/${otherRegion.id}/generate`);

      const seen = await tasksOf(fleetWide.id, scopedManager);
      expect(seen.items.map((task: { terminal: { id: number } }) => task.terminal.id).sort((a: number, b: number) => a - b)).toEqual(
        (await tasksOf(fleetWide.id)).items
          .filter((task: { region: { id: number } }) => task.region.id === mine.branchId)
          .map((task: { terminal: { id: number } }) => task.terminal.id)
          .sort((a: number, b: number) => a - b),
      );
      expect(seen.items.some((task: { terminal: { id: number } }) => task.terminal.id === elsewhere)).toBe(false);
      expect((await scopedManager.get(`/api/v1/maintenance/tasks?terminalId=${elsewhere}`)).body.total).toBe(0);
      const outside = (await tasksOf(otherRegion.id)).items[0];
      expect((await scopedManager.get(`/api/v1/maintenance/tasks/${outside.id}`)).body.code).toBe('MAINTENANCE_TASK_NOT_FOUND');
      expect((await scopedManager.post(`/api/v1/maintenance/tasks/${outside.id}/skip`, { version: outside.version, reason: 'not mine' })).status).toBe(404);
      const calendar = (await scopedManager.get(`/api/v1/maintenance/tasks/calendar?from=${today()}&to=${today()}&planId=${otherRegion.id}`)).body;
      expect(calendar.days).toEqual([{ date: today(), open: 0, overdue: 0, done: 0, skipped: 0, cancelled: 0 }]);

      const plans = (await scopedManager.get('/api/v1/maintenance/plans?pageSize=200')).body.items.map((p: { id: number }) => p.id);
      expect(plans).toContain(fleetWide.id);
      expect(plans).not.toContain(otherRegion.id);
      expect((await scopedManager.get(`/api/v1/maintenance/plans/${otherRegion.id}`)).status).toBe(404);

      expect((await scopedManager.post('/api/v1/maintenance/plans', plan())).status).toBe(403);
      expect((await scopedManager.patch(`/api/v1/maintenance/plans/${fleetWide.id}`, { version: fleetWide.version, leadDays: 3 })).status).toBe(403);
      const refused = await scopedManager.post('/api/v1/maintenance/plans', plan({ scope: 'region', modelId: null, regionId: other.regionId }));
      expect([refused.status, refused.body.details.fields[0].field]).toEqual([400, 'regionId']);
      const foreignTerminal = await scopedManager.post('/api/v1/maintenance/plans', plan({ scope: 'terminals', modelId: null, terminalIds: [elsewhere] }));
      expect([foreignTerminal.status, foreignTerminal.body.details.fields[0].field]).toEqual([400, 'terminalIds']);
      const own = await scopedManager.post('/api/v1/maintenance/plans', plan({ scope: 'region', modelId: null, regionId: mine.branchId }));
      expect(own.status).toBe(201);
      expect((await scopedManager.post(`/api/v1/maintenance/plans/${own.body.id}/generate`)).body.generated).toBeGreaterThan(0);
    });
  });

  describe('the scheduler', () => {
    let scheduled: RunningApi;

    beforeAll(async () => {
      scheduled = await startApi({ MAINTENANCE_CHECK_SECONDS: '1' });
    });

    afterAll(() => scheduled?.stop());

    it('should generate the tasks of a new plan by itself, once', async () => {
      const owner = await login(scheduled);
      const catalog = await newCatalog(owner);
      const units = [(await newTerminal(owner, catalog, { status: 'deployed' })).id, (await newTerminal(owner, catalog, { status: 'deployed' })).id];
      await newTerminal(owner, catalog, { status: 'in_stock' });
      const reply = await owner.post('/api/v1/maintenance/plans', plan({ modelId: catalog.modelId }));
      expect(reply.status).toBe(201);
      let found: { terminal: { id: number } }[] = [];
      for (let attempt = 0; attempt < 100 && found.length < units.length; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        found = (await owner.get(`/api/v1/maintenance/tasks?planId=${reply.body.id}`)).body.items;
      }
      expect(found.map((task) => task.terminal.id).sort((a, b) => a - b)).toEqual(units);
      // Later checks find nothing more to do.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect((await owner.get(`/api/v1/maintenance/tasks?planId=${reply.body.id}`)).body.total).toBe(2);
    });
  });

  it('should describe the routes in the OpenAPI document', async () => {
    const document = (await admin.get('/api/docs/openapi.json')).body;
    for (const path of ['/api/v1/maintenance/plans', '/api/v1/maintenance/plans/{id}/generate', '/api/v1/maintenance/tasks/calendar', '/api/v1/maintenance/tasks/{id}/complete', '/api/v1/maintenance/compliance/{modelId}/behind']) {
      const operations = Object.values(document.paths[path] ?? {}) as { tags: string[]; summary?: string }[];
      expect([path, operations.length > 0 && operations.every((op) => op.tags.includes('maintenance') && Boolean(op.summary))]).toEqual([path, true]);
    }
  });
});
