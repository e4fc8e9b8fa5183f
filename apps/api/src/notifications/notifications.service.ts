/**
 * The notification outbox. Features hand over messages with `enqueue`, inside
 * their own transaction when they have one, so an alert and its notifications
 * commit (or roll back) together; the dispatcher later sends what is due and
 * records each attempt. Delivery is at least once: a crash between sending and
 * recording sends again, which is why webhook receivers dedupe on
 * X-Fleet-Delivery.
 */
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { DeliveryStatus, ListWebhookDeliveriesQuery, NotificationDeliveryResponse, OutgoingMessage, Page, QueuedNotificationResponse, WebhookEventBody } from '@fleet/shared';
import { pageOf } from '../common/api-dtos';
import type { Actor } from '../common/authorization';
import { Clock } from '../common/clock';
import { DomainException } from '../common/domain.exception';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { TransactionRunner, type Tx } from '../database/transaction';
import { afterFailedAttempt } from './delivery-backoff';
import { EmailSender } from './email-sender';
import type { NotificationDeliveryEntity } from './notification-delivery.entity';
import { NotificationsRepository, type DeliveryOutcome, type NewDelivery } from './notifications.repository';
import { WebhookSender } from './webhook-sender';
import { WebhooksRepository } from './webhooks.repository';

const EMAIL_PATTERN = /^[^\s@<>]{1,64}@[^\s@<>]{1,255}$/;
const EVENT_PATTERN = /^[a-z0-9_.-]{1,64}$/i;
const MAX_SUBJECT = 255;
const MAX_ERROR = 1000;

export type AttemptOutcome = Extract<DeliveryStatus, 'sent' | 'failed' | 'gave_up'>;

export function toDeliveryResponse(delivery: NotificationDeliveryEntity): NotificationDeliveryResponse {
  const waiting = delivery.status === 'pending' || delivery.status === 'failed';
  return {
    id: delivery.id,
    channel: delivery.channel,
    to: delivery.channel === 'email' ? delivery.target : null,
    event: delivery.event,
    status: delivery.status,
    attempts: delivery.attempts,
    lastError: delivery.lastError,
    nextAttemptAt: waiting ? delivery.nextAttemptAt.toISOString() : null,
    createdAt: delivery.createdAt.toISOString(),
    sentAt: delivery.sentAt?.toISOString() ?? null,
  };
}

async function failureOf(work: () => Promise<void>): Promise<string | null> {
  try {
    await work();
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

@Injectable()
export class NotificationsService implements OnModuleInit {
  private readonly logger = new Logger(NotificationsService.name);

  constructor(
    private readonly repository: NotificationsRepository,
    private readonly webhooks: WebhooksRepository,
    private readonly transactions: TransactionRunner,
    private readonly email: EmailSender,
    private readonly webhookSender: WebhookSender,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    if (this.email.enabled) this.logger.log(`Email notifications go through ${this.email.server}`);
    else this.logger.log('Email notifications are off (SMTP_URL is not set): email messages are not queued');
  }

  /**
   * Queues messages for delivery, in `tx` when given, and returns the ids of
   * the deliveries. Email messages are left out while email is off.
   */
  async enqueue(messages: OutgoingMessage[], tx?: Tx): Promise<number[]> {
    const now = this.clock.now();
    const rows = messages.filter((message) => message.channel === 'webhook' || this.email.enabled).map((message) => this.toDelivery(message, now));
    if (rows.length === 0) return [];
    return tx ? this.repository.insert(tx, rows) : this.transactions.run((t) => this.repository.insert(t, rows));
  }

  /** Queues a test email, so an administrator can check the SMTP settings. */
  async sendTestEmail(actor: Actor, to: string): Promise<QueuedNotificationResponse> {
    if (!this.email.enabled) throw new DomainException('CONFLICT', 'Email is off on this server: SMTP_URL is not set');
    const [deliveryId] = await this.enqueue([
      {
        channel: 'email',
        to,
        subject: 'Fleet: test email',
        text: `This is a test email from Fleet, requested by ${actor.username} at ${this.clock.now().toISOString()}.\nIf you can read it, Fleet's SMTP settings work.`,
      },
    ]);
    return { deliveryId: deliveryId! };
  }

  /** One delivery, e.g. a test email, to see whether it went out or why not. */
  async describeDelivery(id: number): Promise<NotificationDeliveryResponse> {
    const delivery = await this.repository.find(id);
    if (!delivery) throw new DomainException('NOT_FOUND', `No delivery ${id}`);
    return toDeliveryResponse(delivery);
  }

  async webhookDeliveries(endpointId: number, query: ListWebhookDeliveriesQuery): Promise<Page<NotificationDeliveryResponse>> {
    const { page, pageSize, offset } = pageOf(query);
    const [items, total] = await this.repository.listForTarget('webhook', String(endpointId), query.status, offset, pageSize);
    return { items: items.map(toDeliveryResponse), total, page, pageSize };
  }

  /** Drops an endpoint's queue and log, in the transaction that deletes the endpoint. */
  forgetWebhookDeliveries(tx: Tx, endpointId: number): Promise<void> {
    return this.repository.deleteForTarget(tx, 'webhook', String(endpointId));
  }

  /** Deliveries to try now, longest waiting first. */
  due(limit: number): Promise<NotificationDeliveryEntity[]> {
    return this.repository.due(this.clock.now(), limit);
  }

  /** Tries one delivery once and records the outcome: sent, failed (tried again later) or given up. */
  async attempt(delivery: NotificationDeliveryEntity): Promise<AttemptOutcome> {
    let error: string | null;
    if (delivery.channel === 'email') {
      if (!this.email.enabled) return this.giveUp(delivery, 'Email is off (SMTP_URL is not set)');
      error = await failureOf(() => this.email.send(delivery.target, delivery.subject ?? '', delivery.body));
    } else {
      const endpoint = await this.webhooks.find(Number(delivery.target));
      if (!endpoint) return this.giveUp(delivery, 'The endpoint was deleted');
      if (!endpoint.enabled) return this.giveUp(delivery, 'The endpoint is disabled');
      const message: WebhookEventBody = { id: delivery.id, event: delivery.event ?? '', occurredAt: delivery.createdAt.toISOString(), payload: JSON.parse(delivery.body) as Record<string, unknown> };
      error = await failureOf(() => this.webhookSender.send(endpoint, message, this.clock.now()));
    }
    const now = this.clock.now();
    const attempts = delivery.attempts + 1;
    if (error === null) {
      await this.record(delivery, { status: 'sent', attempts, sentAt: now });
      this.logger.debug(`Delivery ${delivery.id} (${delivery.channel}) sent on attempt ${attempts}`);
      return 'sent';
    }
    const { maxAttempts, backoffSeconds } = this.config.notifications;
    const next = afterFailedAttempt(attempts, maxAttempts, now, backoffSeconds);
    await this.record(delivery, { status: next.status, attempts, nextAttemptAt: next.nextAttemptAt, lastError: error.slice(0, MAX_ERROR) });
    this.logger.debug(`Delivery ${delivery.id} (${delivery.channel}) attempt ${attempts} failed: ${error}`);
    return next.status;
  }

  private async giveUp(delivery: NotificationDeliveryEntity, reason: string): Promise<AttemptOutcome> {
    await this.record(delivery, { status: 'gave_up', attempts: delivery.attempts, lastError: reason });
    this.logger.debug(`Delivery ${delivery.id} given up: ${reason}`);
    return 'gave_up';
  }

  private record(delivery: NotificationDeliveryEntity, outcome: DeliveryOutcome): Promise<void> {
    return this.transactions.run((tx) => this.repository.record(tx, delivery.id, outcome));
  }

  /** The outbox row of a message; a malformed message is the calling feature's bug and fails its transaction. */
  private toDelivery(message: OutgoingMessage, now: Date): NewDelivery {
    const common = { status: 'pending' as const, attempts: 0, nextAttemptAt: now, lastError: null, createdAt: now, sentAt: null };
    if (message.channel === 'email') {
      if (!EMAIL_PATTERN.test(message.to)) throw new Error(`Not an email address: ${JSON.stringify(message.to)}`);
      return { ...common, channel: 'email', target: message.to, event: null, subject: message.subject.slice(0, MAX_SUBJECT), body: message.text };
    }
    if (!Number.isInteger(message.endpointId) || message.endpointId < 1) throw new Error(`Not a webhook endpoint id: ${message.endpointId}`);
    if (!EVENT_PATTERN.test(message.event)) throw new Error(`Not a webhook event name: ${JSON.stringify(message.event)}`);
    return { ...common, channel: 'webhook', target: String(message.endpointId), event: message.event, subject: null, body: JSON.stringify(message.payload) };
  }
}
