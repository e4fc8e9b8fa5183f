/**
 * Notifications through the built API (issue 6): a test email reaches a local
 * SMTP sink; webhook events reach a local HTTP receiver signed with the secret
 * shown at creation (and with the new one after a rotation); a receiver that
 * fails twice is retried and its delivery log shows it; bad URLs and users
 * without the fleet-wide permission are refused. Everything listens on
 * 127.0.0.1 and waits by polling a bounded number of times.
 */
import { startApi, type RunningApi } from '../support/server';
import { Client, createUser, login, newCatalog, unique } from './support/client';
import { eventually, startReceiver, startSmtpSink, verifySignature, type Receiver, type SmtpSink } from './support/sinks';

const SMTP_USER = 'fleet-mailer';
const SMTP_PASSWORD = 'smtp-password-for-tests';
const FROM = 'Fleet Alerts <alerts@bank.test>';

describe('notifications', () => {
  let api: RunningApi;
  let admin: Client;
  let smtp: SmtpSink;
  let receiver: Receiver;
  let receiverUrl: string;
  let mails: SmtpSink['mails'];
  let hooks: Receiver['hooks'];

  beforeAll(async () => {
    smtp = await startSmtpSink({ user: SMTP_USER, password: SMTP_PASSWORD });
    receiver = await startReceiver();
    ({ mails } = smtp);
    ({ hooks, url: receiverUrl } = receiver);
    api = await startApi({
      SMTP_URL: `smtp://${SMTP_USER}:${SMTP_PASSWORD}@127.0.0.1:${smtp.port}`,
      SMTP_FROM: FROM,
      NOTIFY_DISPATCH_SECONDS: '1',
      NOTIFY_BACKOFF_SECONDS: '1',
    });
    admin = await login(api);
  });

  afterAll(async () => {
    await api?.stop();
    await smtp?.close();
    await receiver?.close();
  });

  async function newWebhook(path: string, fields: Record<string, unknown> = {}) {
    const reply = await admin.post('/api/v1/webhooks', { name: `Receiver ${unique()}`, url: `${receiverUrl}${path}`, ...fields });
    if (reply.status !== 201) throw new Error(`create webhook: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body as { id: number; secret: string; version: number };
  }

  async function deliveryLog(id: number) {
    const reply = await admin.get(`/api/v1/webhooks/${id}/deliveries`);
    expect(reply.status).toBe(200);
    return reply.body as { total: number; items: { id: number; event: string; status: string; attempts: number; lastError: string | null; sentAt: string | null }[] };
  }

  it('should deliver a test email through the SMTP server, signed in, from the configured sender', async () => {
    const reply = await admin.post('/api/v1/notifications/test-email', { to: 'ops@bank.test' });
    expect(reply.status).toBe(202);
    expect(reply.body.deliveryId).toEqual(expect.any(Number));

    const mail = await eventually('the test email', () => mails.find((m) => m.to.includes('ops@bank.test')));
    expect(mail).toMatchObject({ user: SMTP_USER, from: 'alerts@bank.test', to: ['ops@bank.test'] });
    const text = mail.raw.replace(/=\r?\n/g, '');
    expect(text).toContain('From: Fleet Alerts <alerts@bank.test>');
    expect(text).toContain('Subject: Fleet: test email');
    expect(text).toContain('Content-Type: text/plain');
    expect(text).toContain('requested by admin');

    const delivery = await eventually('the test email recorded as sent', async () => {
      const current = (await admin.get(`/api/v1/notifications/deliveries/${reply.body.deliveryId}`)).body;
      return current.status === 'sent' ? current : undefined;
    });
    expect(delivery).toMatchObject({ channel: 'email', to: 'ops@bank.test', event: null, attempts: 1, lastError: null, nextAttemptAt: null });
  });

  it('should refuse a test email to something that is not an address', async () => {
    const reply = await admin.post('/api/v1/notifications/test-email', { to: 'not-an-address' });
    expect(reply.status).toBe(400);
    expect(reply.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['to']);
  });

  it('should POST a signed test event that the secret shown at creation verifies, and log it as sent', async () => {
    const webhook = await newWebhook('/ok');
    expect(webhook.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const queued = await admin.post(`/api/v1/webhooks/${webhook.id}/test`);
    expect(queued.status).toBe(202);
    const hook = await eventually('the test event', () => hooks.find((h) => h.path === '/ok'));
    const body = JSON.parse(hook.body);
    expect(body).toEqual({ id: queued.body.deliveryId, event: 'test', occurredAt: expect.any(String), payload: expect.objectContaining({ requestedBy: 'admin' }) });
    expect(hook.headers).toMatchObject({ 'content-type': 'application/json', 'x-fleet-event': 'test', 'x-fleet-delivery': String(queued.body.deliveryId) });
    expect(verifySignature(webhook.secret, hook)).toBe(true);
    expect(verifySignature('another-secret', hook)).toBe(false);

    const log = await eventually('the delivery recorded as sent', async () => {
      const current = await deliveryLog(webhook.id);
      return current.items[0]?.status === 'sent' ? current : undefined;
    });
    expect(log.items).toEqual([expect.objectContaining({ id: queued.body.deliveryId, event: 'test', status: 'sent', attempts: 1, lastError: null, sentAt: expect.any(String) })]);
  });

  it('should retry a receiver that answers 500 twice, then log the delivery sent on attempt 3 with the last error', async () => {
    receiver.failuresLeft.set('/flaky', 2);
    const webhook = await newWebhook('/flaky');
    const queued = await admin.post(`/api/v1/webhooks/${webhook.id}/test`);
    expect(queued.status).toBe(202);

    const log = await eventually('the delivery sent after retries', async () => {
      const current = await deliveryLog(webhook.id);
      return current.items[0]?.status === 'sent' ? current : undefined;
    });
    expect(log.items[0]).toMatchObject({ status: 'sent', attempts: 3, lastError: 'HTTP 500 Internal Server Error' });
    const requests = hooks.filter((h) => h.path === '/flaky');
    expect(requests).toHaveLength(3);
    // The same delivery each time, so the receiver can dedupe.
    expect(new Set(requests.map((h) => h.headers['x-fleet-delivery']))).toEqual(new Set([String(queued.body.deliveryId)]));
    for (const request of requests) expect(verifySignature(webhook.secret, request)).toBe(true);
  });

  it('should sign with the new secret once rotated, never show a secret again, and never audit one', async () => {
    const webhook = await newWebhook('/rotated');
    const rotated = await admin.post(`/api/v1/webhooks/${webhook.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(webhook.secret);

    await admin.post(`/api/v1/webhooks/${webhook.id}/test`);
    const hook = await eventually('the event after rotation', () => hooks.find((h) => h.path === '/rotated'));
    expect(verifySignature(rotated.body.secret, hook)).toBe(true);
    expect(verifySignature(webhook.secret, hook)).toBe(false);

    const shown = JSON.stringify([(await admin.get('/api/v1/webhooks')).body, (await admin.get(`/api/v1/webhooks/${webhook.id}`)).body]);
    const audit = await admin.get(`/api/v1/audit?entityType=webhook_endpoint&entityId=${webhook.id}`);
    expect(audit.body.items.map((entry: { action: string }) => entry.action)).toEqual(['update', 'create']);
    expect(Object.keys(audit.body.items[0].changes)).toEqual(['secretIssuedAt']);
    for (const text of [shown, JSON.stringify(audit.body)]) {
      expect(text).not.toContain(webhook.secret);
      expect(text).not.toContain(rotated.body.secret);
      expect(text).not.toContain('"secret"');
    }
  });

  it('should update filters with the version, and delete an endpoint with its delivery log', async () => {
    const webhook = await newWebhook('/filtered');
    const updated = await admin.patch(`/api/v1/webhooks/${webhook.id}`, { version: webhook.version, kinds: ['terminal_offline'], minSeverity: 'critical', enabled: false });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ kinds: ['terminal_offline'], minSeverity: 'critical', enabled: false, regionIds: [], version: webhook.version + 1 });
    expect((await admin.patch(`/api/v1/webhooks/${webhook.id}`, { version: webhook.version, enabled: true })).status).toBe(409);
    expect((await admin.post(`/api/v1/webhooks/${webhook.id}/test`)).status).toBe(409);

    expect((await admin.delete(`/api/v1/webhooks/${webhook.id}`)).status).toBe(204);
    const gone = await admin.get(`/api/v1/webhooks/${webhook.id}`);
    expect([gone.status, gone.body.code]).toEqual([404, 'WEBHOOK_NOT_FOUND']);
    expect((await admin.get(`/api/v1/webhooks/${webhook.id}/deliveries`)).status).toBe(404);
  });

  it('should refuse bad webhook URLs with a 400 naming url, and store nothing', async () => {
    const before = (await admin.get('/api/v1/webhooks')).body.length;
    for (const url of ['ftp://files.bank.test/in', 'http://user:pw@hooks.bank.test/', 'javascript:alert(1)', 'http://', 'http:///no-host', `https://hooks.bank.test/${'a'.repeat(2000)}`]) {
      const reply = await admin.post('/api/v1/webhooks', { name: `Bad ${unique()}`, url });
      expect({ url, status: reply.status, code: reply.body.code, fields: reply.body.details?.fields?.map((f: { field: string }) => f.field) }).toEqual({ url, status: 400, code: 'VALIDATION_FAILED', fields: ['url'] });
    }
    expect((await admin.get('/api/v1/webhooks')).body.length).toBe(before);

    const webhook = await newWebhook('/kept');
    const reply = await admin.patch(`/api/v1/webhooks/${webhook.id}`, { version: webhook.version, url: 'ftp://files.bank.test/in' });
    expect([reply.status, reply.body.details.fields[0].field]).toEqual([400, 'url']);
    expect((await admin.get(`/api/v1/webhooks/${webhook.id}`)).body).toMatchObject({ url: `${receiverUrl}/kept`, version: webhook.version });
  });

  it('should let neither an auditor, a technician nor a manager limited to a region manage webhooks or send test emails', async () => {
    const webhook = await newWebhook('/guarded');
    const catalog = await newCatalog(admin);
    const users = [await createUser(admin, 'auditor'), await createUser(admin, 'technician'), await createUser(admin, 'fleet_manager', catalog.regionId)];
    for (const user of users) {
      const replies = [
        await user.get('/api/v1/webhooks'),
        await user.get(`/api/v1/webhooks/${webhook.id}`),
        await user.post('/api/v1/webhooks', { name: `Sneaky ${unique()}`, url: `${receiverUrl}/sneaky` }),
        await user.patch(`/api/v1/webhooks/${webhook.id}`, { version: webhook.version, enabled: false }),
        await user.post(`/api/v1/webhooks/${webhook.id}/rotate-secret`),
        await user.post(`/api/v1/webhooks/${webhook.id}/test`),
        await user.get(`/api/v1/webhooks/${webhook.id}/deliveries`),
        await user.delete(`/api/v1/webhooks/${webhook.id}`),
        await user.post('/api/v1/notifications/test-email', { to: 'ops@bank.test' }),
        await user.get('/api/v1/notifications/deliveries/1'),
      ];
      expect(replies.map((r) => [r.status, r.body.code])).toEqual(replies.map(() => [403, 'FORBIDDEN']));
    }
    expect((await admin.get(`/api/v1/webhooks/${webhook.id}`)).body).toMatchObject({ enabled: true, version: webhook.version });
    expect(hooks.some((h) => h.path === '/guarded' || h.path === '/sneaky')).toBe(false);
  });
});
