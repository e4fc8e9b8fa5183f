/**
 * Who hears about an alert, and how: each user's email subscription (kinds,
 * regions, lowest severity, within what the user may see), the escalation
 * role, and the webhook endpoints whose filters match. One evaluation sends
 * one digest per recipient and rule, not one message per alert: a storm of a
 * thousand terminals is one email.
 */
import { Injectable } from '@nestjs/common';
import { ALERT_SEVERITIES, can, type AlertNotice, type AlertSeverity, type OutgoingMessage } from '@fleet/shared';
import { NotificationsService } from '../notifications/notifications.service';
import { WebhooksService } from '../notifications/webhooks.service';
import { RegionsService } from '../regions/regions.service';
import { UsersService } from '../users/users.service';
import type { Tx } from '../database/transaction';
import type { AlertRuleEntity } from './alert-rule.entity';
import type { AlertEntity } from './alert.entity';
import { AlertsRepository } from './alerts.repository';

/** Alerts listed in one email; the rest are counted. */
const DIGEST_LINES = 20;
/** Alerts in one webhook delivery. */
const WEBHOOK_BATCH = 500;

export function atLeast(severity: AlertSeverity, minimum: AlertSeverity): boolean {
  return ALERT_SEVERITIES.indexOf(severity) >= ALERT_SEVERITIES.indexOf(minimum);
}

export function alertLine(alert: Pick<AlertEntity, 'severity' | 'subjectLabel' | 'since' | 'variant'>, regionName: string | null): string {
  return `- [${alert.severity}] ${alert.subjectLabel}${regionName ? ` (${regionName})` : ''} since ${alert.since.toISOString().slice(0, 16).replace('T', ' ')} UTC${alert.variant ? ` · ${alert.variant}` : ''}`;
}

@Injectable()
export class AlertNotifier {
  constructor(
    private readonly repository: AlertsRepository,
    private readonly users: UsersService,
    private readonly regions: RegionsService,
    private readonly notifications: NotificationsService,
    private readonly webhooks: WebhooksService,
  ) {}

  /** Enqueues, inside the evaluation's transaction, what `alerts` of `rule` call for. */
  async notify(tx: Tx, rule: AlertRuleEntity, notice: AlertNotice, alerts: AlertEntity[]): Promise<number> {
    if (alerts.length === 0) return 0;
    const regions = new Map((await this.regions.regionTree()).map((region) => [region.id, region]));
    const pathOf = (regionId: number | null) => (regionId === null ? null : (regions.get(regionId)?.path ?? null));
    const within = (alertRegion: number | null, limit: number) => {
      const path = pathOf(alertRegion);
      const limitPath = regions.get(limit)?.path;
      return path !== null && limitPath !== undefined && path.startsWith(limitPath);
    };
    const users = new Map((await this.users.list()).map((user) => [user.id, user]));
    const messages: OutgoingMessage[] = [];

    for (const subscription of await this.repository.enabledSubscriptions('email')) {
      const user = users.get(subscription.userId);
      if (!user?.active || !subscription.address || !can(user.role, 'fleet:read')) continue;
      const escalation = notice === 'escalated' && rule.escalateToRole === user.role;
      const wanted = alerts.filter(
        (alert) =>
          // A user limited to a region hears only of its alerts (and of those that belong to no region).
          (user.regionId === null || alert.regionId === null || within(alert.regionId, user.regionId)) &&
          (escalation ||
            ((subscription.kinds.length === 0 || subscription.kinds.includes(rule.kind)) &&
              atLeast(alert.severity, subscription.minSeverity) &&
              (subscription.regionIds.length === 0 || alert.regionId === null || subscription.regionIds.some((regionId) => within(alert.regionId, regionId))))),
      );
      if (wanted.length) messages.push(this.email(subscription.address, rule, notice, wanted, (id) => (id === null ? null : (regions.get(id)?.name ?? null))));
    }

    const byEndpoint = new Map<number, AlertEntity[]>();
    for (const alert of alerts) {
      for (const endpoint of await this.webhooks.matching(rule.kind, alert.regionId, alert.severity)) {
        byEndpoint.set(endpoint.id, [...(byEndpoint.get(endpoint.id) ?? []), alert]);
      }
    }
    for (const [endpointId, matched] of byEndpoint) {
      for (let start = 0; start < matched.length; start += WEBHOOK_BATCH) {
        messages.push({
          channel: 'webhook',
          endpointId,
          event: `alert.${notice}`,
          payload: {
            rule: { id: rule.id, name: rule.name, kind: rule.kind },
            alerts: matched.slice(start, start + WEBHOOK_BATCH).map((alert) => ({
              id: alert.id,
              severity: alert.severity,
              state: alert.state,
              subject: { type: alert.subjectType, id: alert.subjectId, label: alert.subjectLabel },
              variant: alert.variant,
              regionId: alert.regionId,
              since: alert.since.toISOString(),
              raisedAt: alert.raisedAt.toISOString(),
              details: alert.details ?? {},
            })),
          },
        });
      }
    }
    if (messages.length) await this.notifications.enqueue(messages, tx);
    return messages.length;
  }

  private email(to: string, rule: AlertRuleEntity, notice: AlertNotice, alerts: AlertEntity[], regionName: (id: number | null) => string | null): OutgoingMessage {
    const listed = alerts.slice(0, DIGEST_LINES).map((alert) => alertLine(alert, regionName(alert.regionId)));
    const more = alerts.length > DIGEST_LINES ? [`… and ${alerts.length - DIGEST_LINES} more`] : [];
    return {
      channel: 'email',
      to,
      subject: `[Fleet] ${alerts.length} ${notice} · ${rule.name}`,
      text: [`Fleet 告警 / alerts — ${rule.name} (${rule.kind}, ${rule.severity}): ${notice}`, '', ...listed, ...more, '', 'Open the dashboard’s Alerts page to acknowledge or assign them.'].join('\n'),
    };
  }
}
