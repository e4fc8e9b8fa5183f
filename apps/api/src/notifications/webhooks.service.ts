/**
 * Webhook endpoints: where alerts are POSTed, which alerts go where (kinds,
 * regions with their sub-regions, a least severity), and the signing secret,
 * generated here and shown only when issued. Changes are audited without the
 * secret; a rotation shows in the log as a new `secretIssuedAt`.
 */
import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import {
  ALERT_SEVERITIES,
  WEBHOOK_TEST_EVENT,
  type AlertRuleKind,
  type AlertSeverity,
  type ListWebhookDeliveriesQuery,
  type NotificationDeliveryResponse,
  type Page,
  type QueuedNotificationResponse,
  type WebhookResponse,
  type WebhookWithSecretResponse,
} from '@fleet/shared';
import { AuditedWriter, type AuditedRecordSpec } from '../audit/audited-writer';
import type { Actor } from '../common/authorization';
import { Clock } from '../common/clock';
import { DomainException } from '../common/domain.exception';
import { duplicateField, timestamps } from '../common/mapping';
import { TransactionRunner } from '../database/transaction';
import { RegionsService } from '../regions/regions.service';
import { NotificationsService } from './notifications.service';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';
import type { CreateWebhookDto, UpdateWebhookDto } from './notifications.dto';
import { WebhooksRepository } from './webhooks.repository';

export const WEBHOOK_RECORD: AuditedRecordSpec<WebhookEndpointEntity> = {
  entity: WebhookEndpointEntity,
  type: 'webhook_endpoint',
  // Never `secret`.
  fields: ['name', 'url', 'enabled', 'kinds', 'regionIds', 'minSeverity', 'secretIssuedAt'],
  label: (endpoint) => endpoint.name,
};

export function toWebhookResponse(endpoint: WebhookEndpointEntity): WebhookResponse {
  return {
    id: endpoint.id,
    name: endpoint.name,
    url: endpoint.url,
    enabled: endpoint.enabled,
    kinds: endpoint.kinds,
    regionIds: endpoint.regionIds,
    minSeverity: endpoint.minSeverity,
    secretIssuedAt: endpoint.secretIssuedAt.toISOString(),
    ...timestamps(endpoint),
  };
}

function withSecret(endpoint: WebhookEndpointEntity): WebhookWithSecretResponse {
  return { ...toWebhookResponse(endpoint), secret: endpoint.secret };
}

/** 32 random bytes, base64url. */
function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

const severityRank = (severity: AlertSeverity) => ALERT_SEVERITIES.indexOf(severity);

@Injectable()
export class WebhooksService {
  constructor(
    private readonly repository: WebhooksRepository,
    private readonly notifications: NotificationsService,
    private readonly regions: RegionsService,
    private readonly writer: AuditedWriter,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<WebhookResponse[]> {
    return (await this.repository.list()).map(toWebhookResponse);
  }

  async getEndpoint(id: number): Promise<WebhookEndpointEntity> {
    const endpoint = await this.repository.find(id);
    if (!endpoint) throw new DomainException('WEBHOOK_NOT_FOUND', `No webhook endpoint ${id}`);
    return endpoint;
  }

  async describe(id: number): Promise<WebhookResponse> {
    return toWebhookResponse(await this.getEndpoint(id));
  }

  async create(actor: Actor, request: CreateWebhookDto): Promise<WebhookWithSecretResponse> {
    await this.assertNameFree(request.name);
    const regionIds = await this.checkRegions(request.regionIds ?? []);
    const endpoint = await this.writer.create(actor, WEBHOOK_RECORD, {
      name: request.name,
      url: request.url,
      enabled: request.enabled ?? true,
      secret: newSecret(),
      secretIssuedAt: this.clock.now(),
      kinds: request.kinds ?? [],
      regionIds,
      minSeverity: request.minSeverity ?? 'info',
    });
    return withSecret(endpoint);
  }

  async update(actor: Actor, id: number, request: UpdateWebhookDto, version: number): Promise<WebhookResponse> {
    const before = await this.getEndpoint(id);
    if (request.name !== undefined && request.name !== before.name) await this.assertNameFree(request.name);
    const { version: _version, regionIds, ...changes } = request;
    const after = await this.writer.update(actor, WEBHOOK_RECORD, before, version, {
      ...changes,
      ...(regionIds === undefined ? {} : { regionIds: await this.checkRegions(regionIds) }),
    });
    return toWebhookResponse(after);
  }

  /** Deletes the endpoint with its queued deliveries and its delivery log. */
  async remove(actor: Actor, id: number): Promise<void> {
    const before = await this.getEndpoint(id);
    await this.transactions.run(async (tx) => {
      await this.notifications.forgetWebhookDeliveries(tx, id);
      await this.writer.remove(actor, WEBHOOK_RECORD, before, tx);
    });
  }

  /** Issues a new secret; the old one stops signing at once, so the receiver must switch too. */
  async rotateSecret(actor: Actor, id: number): Promise<WebhookWithSecretResponse> {
    const before = await this.getEndpoint(id);
    const after = await this.writer.update(actor, WEBHOOK_RECORD, before, before.version, { secret: newSecret(), secretIssuedAt: this.clock.now() });
    return withSecret(after);
  }

  async sendTest(actor: Actor, id: number): Promise<QueuedNotificationResponse> {
    const endpoint = await this.getEndpoint(id);
    if (!endpoint.enabled) throw new DomainException('CONFLICT', `The webhook endpoint ${endpoint.name} is disabled; enable it to test it`);
    const [deliveryId] = await this.notifications.enqueue([
      {
        channel: 'webhook',
        endpointId: id,
        event: WEBHOOK_TEST_EVENT,
        payload: { message: 'A test event from Fleet', endpoint: { id, name: endpoint.name }, requestedBy: actor.username },
      },
    ]);
    return { deliveryId: deliveryId! };
  }

  async deliveries(id: number, query: ListWebhookDeliveriesQuery): Promise<Page<NotificationDeliveryResponse>> {
    await this.getEndpoint(id);
    return this.notifications.webhookDeliveries(id, query);
  }

  /**
   * The enabled endpoints an alert goes to: the kind among theirs (or they
   * take all), at least their least severity, and the alert's region within
   * one of theirs (or they take all). An alert without a region goes only to
   * endpoints without a region filter.
   */
  async matching(kind: AlertRuleKind, regionId: number | null, severity: AlertSeverity): Promise<{ id: number }[]> {
    const candidates = (await this.repository.listEnabled()).filter(
      (endpoint) => (endpoint.kinds.length === 0 || endpoint.kinds.includes(kind)) && severityRank(severity) >= severityRank(endpoint.minSeverity),
    );
    const lineage = candidates.some((endpoint) => endpoint.regionIds.length > 0) && regionId !== null ? await this.lineage(regionId) : new Set<number>();
    return candidates.filter((endpoint) => endpoint.regionIds.length === 0 || endpoint.regionIds.some((id) => lineage.has(id))).map((endpoint) => ({ id: endpoint.id }));
  }

  /** The region and the regions above it. */
  private async lineage(regionId: number): Promise<Set<number>> {
    const region = await this.regions.getRegion(regionId).catch((error: unknown) => {
      // A region deleted since the alert was raised routes like an alert without a region.
      if (error instanceof DomainException && error.code === 'REGION_NOT_FOUND') return null;
      throw error;
    });
    return new Set(region ? [...region.path.split('/').filter(Boolean).map(Number), region.id] : []);
  }

  private async checkRegions(regionIds: number[]): Promise<number[]> {
    for (const regionId of regionIds) await this.regions.getRegion(regionId, 'regionIds');
    return [...regionIds].sort((a, b) => a - b);
  }

  private async assertNameFree(name: string): Promise<void> {
    if (await this.repository.findByName(name)) throw duplicateField('DUPLICATE_NAME', 'name', name);
  }
}
