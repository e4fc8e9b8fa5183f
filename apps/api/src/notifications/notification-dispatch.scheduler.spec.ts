import { Logger } from '@nestjs/common';
import type { WebhookEventBody } from '@fleet/shared';
import { FixedClock } from '../common/clock';
import type { AppConfig } from '../config/app-config';
import { JobLockEntity } from '../database/job-lock.entity';
import { JobLocks } from '../database/job-locks';
import { TEST_ENGINES, type TestDatabase } from '../database/test-databases.testing';
import { TransactionRunner } from '../database/transaction';
import type { EmailSender } from './email-sender';
import { NotificationDeliveryEntity } from './notification-delivery.entity';
import { NotificationDispatchScheduler } from './notification-dispatch.scheduler';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';
import type { WebhookSender } from './webhook-sender';
import { WebhooksRepository } from './webhooks.repository';

Logger.overrideLogger(false);

const T0 = new Date('2026-11-22T08:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

describe.each(TEST_ENGINES)('NotificationDispatchScheduler on %s', (_engine, open) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await open([NotificationDeliveryEntity, WebhookEndpointEntity, JobLockEntity]);
  });
  afterAll(() => db.drop());
  afterEach(async () => {
    await db.dataSource.getRepository(NotificationDeliveryEntity).clear();
    await db.dataSource.getRepository(WebhookEndpointEntity).clear();
  });

  /** An outbox on the test database with recording senders; `failures` are the errors of the next sends, in order (null: success). */
  function outbox(options: { email?: boolean; maxAttempts?: number; failures?: (string | null)[]; sendDelayMs?: number } = {}) {
    const clock = new FixedClock(T0);
    const config = { notifications: { smtpUrl: options.email === false ? null : 'smtp://mail.test', smtpFrom: 'Fleet <fleet@localhost>', dispatchSeconds: 5, maxAttempts: options.maxAttempts ?? 8, backoffSeconds: 30 } } as AppConfig;
    const failures = [...(options.failures ?? [])];
    const sends: { to: string; subject?: string; message?: WebhookEventBody }[] = [];
    const outcome = async () => {
      if (options.sendDelayMs) await new Promise((resolve) => setTimeout(resolve, options.sendDelayMs));
      const failure = failures.shift();
      if (failure) throw new Error(failure);
    };
    const email = {
      enabled: options.email !== false,
      server: 'mail.test:587',
      send: async (to: string, subject: string) => {
        sends.push({ to, subject });
        await outcome();
      },
    } as unknown as EmailSender;
    const webhookSender = {
      send: async (endpoint: { url: string }, message: WebhookEventBody) => {
        sends.push({ to: endpoint.url, message });
        await outcome();
      },
    } as unknown as WebhookSender;
    const transactions = new TransactionRunner(db.dataSource);
    const service = new NotificationsService(
      new NotificationsRepository(db.dataSource.getRepository(NotificationDeliveryEntity)),
      new WebhooksRepository(db.dataSource.getRepository(WebhookEndpointEntity)),
      transactions,
      email,
      webhookSender,
      clock,
      config,
    );
    const instance = () => new NotificationDispatchScheduler(service, new JobLocks(db.dataSource, clock), config);
    return { clock, service, transactions, sends, scheduler: instance(), instance };
  }

  async function newEndpoint(fields: Partial<WebhookEndpointEntity> = {}): Promise<WebhookEndpointEntity> {
    const repository = db.dataSource.getRepository(WebhookEndpointEntity);
    return repository.save(
      repository.create({
        name: `Receiver ${Math.random()}`,
        url: 'http://127.0.0.1:9/hook',
        enabled: true,
        secret: 'secret',
        secretIssuedAt: T0,
        kinds: [],
        regionIds: [],
        minSeverity: 'info',
        version: 1,
        createdAt: T0,
        updatedAt: T0,
        ...fields,
      }),
    );
  }

  const deliveries = () => db.dataSource.getRepository(NotificationDeliveryEntity).find({ order: { id: 'ASC' } });

  it("should queue messages in the caller's transaction: nothing if it rolls back, pending deliveries once it commits", async () => {
    const { service, transactions } = outbox();
    const endpoint = await newEndpoint();
    const messages = [
      { channel: 'email' as const, to: 'ops@bank.test', subject: 'Terminal offline', text: 'POS-000001 is offline' },
      { channel: 'webhook' as const, endpointId: endpoint.id, event: 'alert.raised', payload: { alertId: 7 } },
    ];
    await expect(
      transactions.run(async (tx) => {
        await service.enqueue(messages, tx);
        throw new Error('the alert failed');
      }),
    ).rejects.toThrow('the alert failed');
    expect(await deliveries()).toEqual([]);

    const ids = await transactions.run((tx) => service.enqueue(messages, tx));
    expect(ids).toHaveLength(2);
    expect((await deliveries()).map((d) => [d.id, d.channel, d.target, d.event, d.status, d.attempts])).toEqual([
      [ids[0], 'email', 'ops@bank.test', null, 'pending', 0],
      [ids[1], 'webhook', String(endpoint.id), 'alert.raised', 'pending', 0],
    ]);
  });

  it('should leave email messages out of the queue while email is off', async () => {
    const { service } = outbox({ email: false });
    const endpoint = await newEndpoint();
    await service.enqueue([
      { channel: 'email', to: 'ops@bank.test', subject: 'Terminal offline', text: '...' },
      { channel: 'webhook', endpointId: endpoint.id, event: 'alert.raised', payload: {} },
    ]);
    expect((await deliveries()).map((d) => d.channel)).toEqual(['webhook']);
  });

  it('should send each due delivery once and record it sent', async () => {
    const { service, scheduler, sends, clock } = outbox();
    const endpoint = await newEndpoint({ url: 'http://127.0.0.1:9/ok' });
    const [emailId, webhookId] = await service.enqueue([
      { channel: 'email', to: 'ops@bank.test', subject: 'Terminal offline', text: '...' },
      { channel: 'webhook', endpointId: endpoint.id, event: 'alert.raised', payload: { alertId: 7 } },
    ]);
    clock.set(at(2));
    expect(await scheduler.dispatch()).toEqual({ sent: 2, failed: 0, gaveUp: 0 });
    expect(sends).toEqual([
      { to: 'ops@bank.test', subject: 'Terminal offline' },
      { to: 'http://127.0.0.1:9/ok', message: { id: webhookId, event: 'alert.raised', occurredAt: T0.toISOString(), payload: { alertId: 7 } } },
    ]);
    expect((await deliveries()).map((d) => [d.id, d.status, d.attempts, d.sentAt?.toISOString()])).toEqual([
      [emailId, 'sent', 1, at(2).toISOString()],
      [webhookId, 'sent', 1, at(2).toISOString()],
    ]);
    expect(await scheduler.dispatch()).toEqual({ sent: 0, failed: 0, gaveUp: 0 });
    expect(sends).toHaveLength(2);
  });

  it('should retry a failed delivery on the backoff schedule, keep the last error, and give up after the last attempt', async () => {
    const { service, scheduler, sends, clock } = outbox({ maxAttempts: 3, failures: ['HTTP 500 Internal Server Error', 'HTTP 502 Bad Gateway', 'HTTP 503 Service Unavailable'] });
    const endpoint = await newEndpoint();
    await service.enqueue([{ channel: 'webhook', endpointId: endpoint.id, event: 'alert.raised', payload: {} }]);

    expect(await scheduler.dispatch()).toEqual({ sent: 0, failed: 1, gaveUp: 0 });
    let [delivery] = await deliveries();
    expect(delivery).toMatchObject({ status: 'failed', attempts: 1, lastError: 'HTTP 500 Internal Server Error', nextAttemptAt: at(30) });

    clock.set(at(29));
    await scheduler.dispatch();
    expect(sends).toHaveLength(1);

    clock.set(at(30));
    expect(await scheduler.dispatch()).toEqual({ sent: 0, failed: 1, gaveUp: 0 });
    [delivery] = await deliveries();
    expect(delivery).toMatchObject({ status: 'failed', attempts: 2, lastError: 'HTTP 502 Bad Gateway', nextAttemptAt: at(30 + 120) });

    clock.set(at(150));
    expect(await scheduler.dispatch()).toEqual({ sent: 0, failed: 0, gaveUp: 1 });
    [delivery] = await deliveries();
    expect(delivery).toMatchObject({ status: 'gave_up', attempts: 3, lastError: 'HTTP 503 Service Unavailable' });

    clock.set(at(86_400));
    await scheduler.dispatch();
    expect(sends).toHaveLength(3);
  });

  it('should record a delivery sent after earlier failures with its attempts and last error', async () => {
    const { service, scheduler, clock } = outbox({ failures: ['HTTP 500 Internal Server Error', null] });
    const endpoint = await newEndpoint();
    await service.enqueue([{ channel: 'webhook', endpointId: endpoint.id, event: 'alert.raised', payload: {} }]);
    await scheduler.dispatch();
    clock.set(at(30));
    expect(await scheduler.dispatch()).toEqual({ sent: 1, failed: 0, gaveUp: 0 });
    expect((await deliveries())[0]).toMatchObject({ status: 'sent', attempts: 2, lastError: 'HTTP 500 Internal Server Error', sentAt: at(30) });
  });

  it('should give up, without sending, on deliveries to a disabled or deleted endpoint', async () => {
    const { service, scheduler, sends } = outbox();
    const disabled = await newEndpoint({ enabled: false });
    const deleted = await newEndpoint();
    await service.enqueue([
      { channel: 'webhook', endpointId: disabled.id, event: 'alert.raised', payload: {} },
      { channel: 'webhook', endpointId: deleted.id, event: 'alert.raised', payload: {} },
    ]);
    await db.dataSource.getRepository(WebhookEndpointEntity).delete(deleted.id);
    expect(await scheduler.dispatch()).toEqual({ sent: 0, failed: 0, gaveUp: 2 });
    expect(sends).toEqual([]);
    expect((await deliveries()).map((d) => [d.status, d.lastError])).toEqual([
      ['gave_up', 'The endpoint is disabled'],
      ['gave_up', 'The endpoint was deleted'],
    ]);
  });

  it('should send every delivery exactly once when two instances dispatch at the same moment', async () => {
    const { service, instance, sends } = outbox({ sendDelayMs: 5 });
    const endpoint = await newEndpoint();
    const ids = await service.enqueue(Array.from({ length: 30 }, (_, i) => ({ channel: 'webhook' as const, endpointId: endpoint.id, event: 'alert.raised', payload: { i } })));
    const [first, second] = await Promise.all([instance().dispatch(), instance().dispatch()]);
    expect(first.sent + second.sent).toBe(30);
    expect(sends.map((s) => s.message!.id).sort((a, b) => a - b)).toEqual(ids);
  });
});
