/**
 * Alerts through the built API (issue 6): a terminal's low battery raises one
 * alert (however many evaluations run), it reaches the subscribed manager by
 * email through a local SMTP sink, a webhook receiver with a valid signature,
 * and the dashboard's socket; a user limited to another region hears nothing;
 * it is acknowledged, and resolves by itself when the battery recovers; a
 * maintenance window suppresses it; bad rules and subscriptions are refused.
 */
import { startApi, type RunningApi } from '../support/server';
import { connect, next, type FleetSocket } from './support/realtime';
import { Client, createUser, heartbeat, login, newCatalog, newTerminal, terminalDevice, unique, type Catalog } from './support/client';
import { eventually, startReceiver, startSmtpSink, verifySignature, type Receiver, type SmtpSink } from './support/sinks';

describe('alerts', () => {
  let api: RunningApi;
  let admin: Client;
  let manager: Client;
  let catalog: Catalog;
  let smtp: SmtpSink;
  let receiver: Receiver;
  let socket: FleetSocket;
  let ruleId: number;
  let webhook: { id: number; secret: string };
  let sequence = 0;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    receiver = await startReceiver();
    api = await startApi({
      ALERT_CHECK_SECONDS: '1',
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      NOTIFY_DISPATCH_SECONDS: '1',
      NOTIFY_BACKOFF_SECONDS: '1',
      INCIDENT_AUTO_ERROR_SECONDS: '0',
    });
    admin = await login(api);
    // Only this test's rule: the defaults are switched off.
    for (const rule of (await admin.get('/api/v1/alerts/rules')).body as { id: number; version: number }[]) {
      expect((await admin.patch(`/api/v1/alerts/rules/${rule.id}`, { version: rule.version, enabled: false })).status).toBe(200);
    }
    const created = await admin.post('/api/v1/alerts/rules', { kind: 'battery_low', name: `Battery low now ${unique()}`, severity: 'warning', params: { minutes: 0 } });
    expect(created.status).toBe(201);
    ruleId = created.body.id;
    catalog = await newCatalog(admin);
    manager = await createUser(admin, 'fleet_manager');
    expect(
      (await manager.request('PUT', '/api/v1/alerts/subscriptions/me', { subscriptions: [{ channel: 'email', enabled: true, address: 'manager@bank.test', kinds: ['battery_low'], regionIds: [], minSeverity: 'warning' }] })).status,
    ).toBe(200);
    const elsewhere = await newCatalog(admin);
    const outsider = await createUser(admin, 'technician', elsewhere.regionId);
    expect((await outsider.request('PUT', '/api/v1/alerts/subscriptions/me', { subscriptions: [{ channel: 'email', enabled: true, address: 'outsider@bank.test', kinds: [], regionIds: [], minSeverity: 'info' }] })).status).toBe(200);
    const hook = await admin.post('/api/v1/webhooks', { name: `Ops ${unique()}`, url: `${receiver.url}/alerts`, kinds: ['battery_low'] });
    expect(hook.status).toBe(201);
    webhook = hook.body;
    socket = connect(api, manager.token);
    await new Promise<void>((resolve) => socket.emit('subscribe', 'alerts', () => resolve()));
  });

  afterAll(async () => {
    socket?.disconnect();
    await api.stop();
    await smtp.close();
    await receiver.close();
  });

  async function report(terminalId: number, batteryPct: number): Promise<void> {
    const device = await terminalDevice(admin, terminalId);
    expect((await device.post('/api/v1/heartbeats', heartbeat(terminalId, ++sequence, { batteryPct }))).status).toBe(200);
  }

  async function alertsOf(terminalId: number, state = 'open,acknowledged,resolved') {
    return (await admin.get(`/api/v1/alerts?subjectType=terminal&subjectId=${terminalId}&state=${state}`)).body.items as { id: number; state: string; version: number; resolvedBy: string | null; rule: { id: number } }[];
  }

  it('should raise one alert for a low battery, deliver it by email, webhook and socket, let it be acknowledged, and resolve it when the battery recovers', async () => {
    const unit = await newTerminal(admin, catalog, { status: 'deployed' });
    const pushed = next<{ alerts: { subject: { id: number } }[] }>(socket, 'alerts:changed', (message) => message.alerts.some((alert) => alert.subject.id === unit.id));
    await report(unit.id, 5);
    const [alert] = await eventually('the alert', async () => {
      const alerts = await alertsOf(unit.id, 'open');
      return alerts.length ? alerts : undefined;
    });
    expect(alert!.rule.id).toBe(ruleId);
    expect((await pushed).alerts[0]!.subject.id).toBe(unit.id);

    const mail = await eventually('the email', () => smtp.mails.find((m) => m.to.includes('manager@bank.test') && m.raw.includes(unit.assetNumber)));
    expect(mail.raw).toContain('raised');
    const hook = await eventually('the webhook', () => receiver.hooks.find((h) => h.path === '/alerts' && h.body.includes(unit.assetNumber)));
    expect(verifySignature(webhook.secret, hook)).toBe(true);
    expect(JSON.parse(hook.body)).toMatchObject({ event: 'alert.raised', payload: { alerts: [{ subject: { type: 'terminal', id: unit.id } }] } });

    // More evaluations run: still one alert, and the outsider, limited to another region, heard nothing.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(await alertsOf(unit.id)).toHaveLength(1);
    expect(smtp.mails.filter((m) => m.to.includes('outsider@bank.test') && m.raw.includes(unit.assetNumber))).toEqual([]);

    const technician = await createUser(admin, 'technician');
    const acknowledged = await technician.post(`/api/v1/alerts/${alert!.id}/acknowledge`, { version: alert!.version, note: 'Merchant will charge it' });
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.body).toMatchObject({ state: 'acknowledged', note: 'Merchant will charge it' });
    const again = await technician.post(`/api/v1/alerts/${alert!.id}/acknowledge`, { version: acknowledged.body.version });
    expect([again.status, again.body.code]).toEqual([409, 'ALERT_INVALID_TRANSITION']);
    const auditor = await createUser(admin, 'auditor');
    expect((await auditor.post(`/api/v1/alerts/${alert!.id}/assign`, { version: acknowledged.body.version, assigneeId: null })).status).toBe(403);

    await report(unit.id, 90);
    const resolved = await eventually('the resolution', async () => {
      const [current] = await alertsOf(unit.id);
      return current?.state === 'resolved' ? current : undefined;
    });
    expect(resolved.resolvedBy).toBeNull();
    expect((await admin.get('/api/v1/alerts/summary')).body.open.warning).toBe(0);
  });

  it('should raise nothing for a terminal in a region under a maintenance window', async () => {
    const window = await manager.post('/api/v1/alerts/maintenance-windows', {
      regionId: catalog.branchId,
      startsAt: new Date(Date.now() - 60_000).toISOString(),
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      reason: 'Network upgrade at the branch',
    });
    expect(window.status).toBe(201);
    const unit = await newTerminal(admin, catalog, { status: 'deployed' });
    await report(unit.id, 5);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await alertsOf(unit.id)).toEqual([]);
    expect((await manager.delete(`/api/v1/alerts/maintenance-windows/${window.body.id}`)).status).toBe(204);
    await eventually('the alert once the window is gone', async () => ((await alertsOf(unit.id, 'open')).length ? true : undefined));
  });

  it('should refuse bad rules, windows and subscriptions naming the field, storing nothing', async () => {
    const before = (await admin.get('/api/v1/alerts/rules')).body.length;
    for (const [body, field] of [
      [{ kind: 'battery_low', name: `x${unique()}`, severity: 'warning', params: {} }, 'params.minutes'],
      [{ kind: 'warranty_expiring', name: `x${unique()}`, severity: 'info', params: { windows: [30], minutes: 5 } }, 'params.minutes'],
      [{ kind: 'warranty_expiring', name: `x${unique()}`, severity: 'info', params: { windows: [0] } }, 'params.windows'],
      [{ kind: 'terminal_offline', name: `x${unique()}`, severity: 'loud', params: { minutes: 5 } }, 'severity'],
      [{ kind: 'terminal_offline', name: `x${unique()}`, severity: 'info', params: { minutes: 5 }, repeatMinutes: 0 }, 'repeatMinutes'],
      [{ kind: 'terminal_offline', name: `x${unique()}`, severity: 'info', params: { minutes: 5 }, escalateToRole: 'boss' }, 'escalateToRole'],
      [{ kind: 'nothing', name: `x${unique()}`, severity: 'info' }, 'kind'],
    ] as const) {
      const reply = await admin.post('/api/v1/alerts/rules', body);
      expect([reply.status, reply.body.details?.fields?.map((f: { field: string }) => f.field)]).toEqual([400, expect.arrayContaining([field])]);
    }
    expect((await admin.get('/api/v1/alerts/rules')).body.length).toBe(before);
    expect((await manager.post('/api/v1/alerts/rules', { kind: 'paper_out', name: `x${unique()}`, severity: 'info', params: { minutes: 1 } })).status).toBe(201);
    const technician = await createUser(admin, 'technician');
    expect((await technician.post('/api/v1/alerts/rules', { kind: 'paper_out', name: `x${unique()}`, severity: 'info', params: { minutes: 1 } })).status).toBe(403);

    const noAddress = await manager.request('PUT', '/api/v1/alerts/subscriptions/me', { subscriptions: [{ channel: 'email', enabled: true, address: null, kinds: [], regionIds: [], minSeverity: 'info' }] });
    expect(noAddress.body.details.fields[0].field).toBe('subscriptions.0.address');
    const badAddress = await manager.request('PUT', '/api/v1/alerts/subscriptions/me', { subscriptions: [{ channel: 'email', enabled: true, address: 'not-an-address', kinds: [], regionIds: [], minSeverity: 'info' }] });
    expect(badAddress.status).toBe(400);
    expect((await manager.get('/api/v1/alerts/subscriptions/me')).body.subscriptions.find((s: { channel: string }) => s.channel === 'email').address).toBe('manager@bank.test');

    const backwards = await manager.post('/api/v1/alerts/maintenance-windows', { regionId: catalog.branchId, startsAt: '2026-12-02T10:00:00Z', endsAt: '2026-12-02T09:00:00Z', reason: 'x' });
    expect(backwards.body.details.fields[0].field).toBe('endsAt');
    const neither = await manager.post('/api/v1/alerts/maintenance-windows', { startsAt: '2026-12-02T10:00:00Z', endsAt: '2026-12-02T11:00:00Z', reason: 'x' });
    expect(neither.body.details.fields[0].field).toBe('regionId');
  });

  it('should report warranties and policies ending soon', async () => {
    const soon = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    const unit = await newTerminal(admin, catalog, { status: 'deployed', purchaseDate: '2024-01-01', warrantyStart: '2024-01-01', warrantyEnd: soon });
    const report = (await admin.get('/api/v1/alerts/expiry-report?withinDays=30')).body;
    expect(report.warranties).toEqual(expect.arrayContaining([expect.objectContaining({ terminal: expect.objectContaining({ id: unit.id }), warrantyEnd: soon, daysLeft: 20, acknowledged: false })]));
    expect((await admin.get('/api/v1/alerts/expiry-report?withinDays=0')).status).toBe(400);
  });
});
