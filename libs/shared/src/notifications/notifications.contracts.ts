/**
 * Notifications (通知): messages other features hand over for delivery by
 * email or signed webhook, the webhook endpoints and their delivery log
 * (/api/v1/webhooks, /api/v1/notifications).
 */
import type { AlertRuleKind, AlertSeverity } from '../alerts/alert-lifecycle';
import type { PageQuery } from '../common/pagination';
import type { IsoDateTime, Versioned } from '../terminals/terminals.contracts';

export const NOTIFICATION_CHANNELS = ['email', 'webhook'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/** pending: not tried yet; failed: tried, will be retried; gave_up: failed NOTIFY_MAX_ATTEMPTS times, or its endpoint is gone or disabled. */
export const DELIVERY_STATUSES = ['pending', 'sent', 'failed', 'gave_up'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** A message to deliver, as a feature hands it to NotificationsService.enqueue. */
export type OutgoingMessage =
  | { channel: 'email'; to: string; subject: string; text: string }
  | { channel: 'webhook'; endpointId: number; event: string; payload: Record<string, unknown> };

/** The event a webhook test request sends. */
export const WEBHOOK_TEST_EVENT = 'test';

/** The headers of every webhook request; the signature is `sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`. */
export const WEBHOOK_HEADERS = {
  event: 'X-Fleet-Event',
  delivery: 'X-Fleet-Delivery',
  timestamp: 'X-Fleet-Timestamp',
  signature: 'X-Fleet-Signature',
} as const;

/** The JSON body of every webhook request. `id` is the delivery: the same on every retry, so receivers dedupe on it. */
export interface WebhookEventBody {
  id: number;
  event: string;
  occurredAt: IsoDateTime;
  payload: Record<string, unknown>;
}

export const WEBHOOK_URL_MAX_LENGTH = 2000;

/** Empty kinds or regionIds: every kind, every region (a region includes its sub-regions). */
export interface CreateWebhookRequest {
  name: string;
  url: string;
  enabled?: boolean;
  kinds?: AlertRuleKind[];
  regionIds?: number[];
  /** The least severe alert sent (default info: all). */
  minSeverity?: AlertSeverity;
}
export type UpdateWebhookRequest = Partial<CreateWebhookRequest> & Versioned;

export interface WebhookResponse {
  id: number;
  name: string;
  url: string;
  enabled: boolean;
  kinds: AlertRuleKind[];
  regionIds: number[];
  minSeverity: AlertSeverity;
  /** When the current signing secret was issued (created or rotated). */
  secretIssuedAt: IsoDateTime;
  version: number;
  createdAt: IsoDateTime;
  updatedAt: IsoDateTime;
}

/** The answer of a create or a secret rotation: the only time the secret is shown. */
export interface WebhookWithSecretResponse extends WebhookResponse {
  secret: string;
}

export interface ListWebhookDeliveriesQuery extends PageQuery {
  status?: DeliveryStatus;
}

export interface NotificationDeliveryResponse {
  id: number;
  channel: NotificationChannel;
  /** The address of an email; null for a webhook. */
  to: string | null;
  /** The event of a webhook; null for an email. */
  event: string | null;
  status: DeliveryStatus;
  attempts: number;
  /** The last failure, kept after a later success. */
  lastError: string | null;
  /** When it is tried next; null once sent or given up. */
  nextAttemptAt: IsoDateTime | null;
  createdAt: IsoDateTime;
  sentAt: IsoDateTime | null;
}

export interface TestEmailRequest {
  to: string;
}

/** A message accepted for delivery (202); its delivery id. */
export interface QueuedNotificationResponse {
  deliveryId: number;
}
