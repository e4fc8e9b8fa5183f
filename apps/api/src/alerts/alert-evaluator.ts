/**
 * One evaluation of every rule at the clock's instant: find the conditions,
 * drop the suppressed subjects (a maintenance window, an open fault ticket),
 * plan with the shared `planAlerts`, and write raises, resolutions and
 * notifications in one transaction per rule. Idempotent: a live alert's key is
 * unique, so an evaluation interrupted halfway and run again, or run by two
 * instances at once, raises nothing twice.
 */
import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { alertKey, planAlerts, TERMINAL_ALERT_KINDS, type AlertNotice, type LiveAlert } from '@fleet/shared';
import { Clock } from '../common/clock';
import { TransactionRunner } from '../database/transaction';
import { IncidentsService } from '../incidents/incidents.service';
import { RegionsService } from '../regions/regions.service';
import type { AlertRuleEntity } from './alert-rule.entity';
import { AlertNotifier } from './alert-notifier';
import { AlertSources, type LabelledCondition } from './alert-sources';
import type { AlertEntity } from './alert.entity';
import { ALERTS_CHANGED, type AlertsChangedEvent } from './alerts.events';
import { AlertsRepository } from './alerts.repository';
import type { MaintenanceWindowEntity } from './maintenance-window.entity';

export interface EvaluationTotals {
  raised: number;
  resolved: number;
  notified: number;
}

const EXPIRY_KINDS = ['warranty_expiring', 'policy_expiring'];

function toLive(alert: AlertEntity): LiveAlert {
  return {
    id: alert.id,
    subjectType: alert.subjectType,
    subjectId: alert.subjectId,
    variant: alert.variant,
    state: alert.state === 'acknowledged' ? 'acknowledged' : 'open',
    raisedAt: alert.raisedAt,
    lastNotifiedAt: alert.lastNotifiedAt,
    escalatedAt: alert.escalatedAt,
  };
}

@Injectable()
export class AlertEvaluator {
  private readonly logger = new Logger(AlertEvaluator.name);

  constructor(
    private readonly repository: AlertsRepository,
    private readonly sources: AlertSources,
    private readonly notifier: AlertNotifier,
    private readonly incidents: IncidentsService,
    private readonly regions: RegionsService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly events: EventEmitter2,
  ) {}

  async evaluate(): Promise<EvaluationTotals> {
    const totals: EvaluationTotals = { raised: 0, resolved: 0, notified: 0 };
    const now = this.clock.now();
    const windows = await this.repository.activeWindows(now);
    const paths = new Map((await this.regions.regionTree()).map((region) => [region.id, region.path]));
    for (const rule of await this.repository.listRules()) {
      const conditions = rule.enabled ? this.suppress(rule, await this.sources.conditions(rule), windows, paths) : [];
      const result = await this.apply(rule, await this.withoutTicketed(rule, conditions), now);
      totals.raised += result.raised;
      totals.resolved += result.resolved;
      totals.notified += result.notified;
    }
    if (totals.raised || totals.resolved || totals.notified) this.logger.log(`Alerts: ${totals.raised} raised, ${totals.resolved} resolved, ${totals.notified} notifications`);
    return totals;
  }

  /** Terminal alerts are not raised inside an active maintenance window of the terminal or of its region (and sub-regions). */
  private suppress(rule: AlertRuleEntity, conditions: LabelledCondition[], windows: MaintenanceWindowEntity[], paths: Map<number, string>): LabelledCondition[] {
    if (!TERMINAL_ALERT_KINDS.includes(rule.kind) || windows.length === 0) return conditions;
    const terminals = new Set(windows.filter((w) => w.terminalId !== null).map((w) => w.terminalId!));
    const regionPaths = windows.filter((w) => w.regionId !== null && w.region).map((w) => w.region!.path);
    return conditions.filter((condition) => {
      if (terminals.has(condition.subjectId)) return false;
      const path = condition.regionId === null ? undefined : paths.get(condition.regionId);
      return !(path && regionPaths.some((windowPath) => path.startsWith(windowPath)));
    });
  }

  /** Someone is on it: a terminal with an open fault ticket raises no terminal alert (when the rule says so). */
  private async withoutTicketed(rule: AlertRuleEntity, conditions: LabelledCondition[]): Promise<LabelledCondition[]> {
    if (!TERMINAL_ALERT_KINDS.includes(rule.kind) || !rule.suppressWithOpenTicket || conditions.length === 0) return conditions;
    const ticketed = await this.incidents.terminalsWithOpenTickets(conditions.map((condition) => condition.subjectId));
    return conditions.filter((condition) => !ticketed.has(condition.subjectId));
  }

  private async apply(rule: AlertRuleEntity, conditions: LabelledCondition[], now: Date): Promise<EvaluationTotals> {
    const live = await this.repository.liveAlerts(rule.id);
    const plan = planAlerts(conditions, live.map(toLive), { repeatMinutes: rule.repeatMinutes, escalateAfterMinutes: rule.escalateAfterMinutes }, now);
    const byId = new Map(live.map((alert) => [alert.id, alert]));
    const notices = new Map<AlertNotice, AlertEntity[]>();
    for (const { alert, notice } of plan.notify) notices.set(notice, [...(notices.get(notice) ?? []), byId.get(alert.id)!]);
    // Expiry reminders go out again as each narrower window opens, unless acknowledged.
    const narrowed: AlertEntity[] = [];
    if (EXPIRY_KINDS.includes(rule.kind)) {
      const current = new Map(conditions.map((condition) => [alertKey(condition), condition]));
      for (const alert of live) {
        const condition = current.get(alertKey(alert));
        const window = condition?.details.window;
        if (alert.state === 'open' && typeof window === 'number' && typeof alert.details?.window === 'number' && window < alert.details.window) {
          narrowed.push({ ...alert, details: { ...alert.details, ...condition!.details } });
        }
      }
      if (narrowed.length) notices.set('repeated', [...(notices.get('repeated') ?? []), ...narrowed.filter((alert) => !notices.get('repeated')?.some((a) => a.id === alert.id))]);
    }
    if (plan.raise.length === 0 && plan.resolve.length === 0 && notices.size === 0) return { raised: 0, resolved: 0, notified: 0 };

    let notified = 0;
    const changed: number[] = [];
    const raised = await this.transactions.run(async (tx) => {
      const created = await this.repository.insertAlerts(
        tx,
        plan.raise.map((condition) => ({
          ruleId: rule.id,
          openKey: `${rule.id}:${alertKey(condition)}`,
          severity: rule.severity,
          state: 'open',
          subjectType: condition.subjectType,
          subjectId: condition.subjectId,
          subjectLabel: (condition as LabelledCondition).label.slice(0, 120),
          variant: condition.variant,
          regionId: condition.regionId,
          since: condition.since,
          raisedAt: now,
          acknowledgedAt: null,
          acknowledgedBy: null,
          assigneeId: null,
          escalatedAt: null,
          lastNotifiedAt: now,
          notifyCount: 1,
          resolvedAt: null,
          resolvedBy: null,
          details: condition.details,
          note: null,
          version: 1,
          createdAt: now,
          updatedAt: now,
        })),
      );
      await this.repository.resolveAlerts(tx, plan.resolve.map((alert) => alert.id), now, rule.enabled ? null : 'rule disabled');
      for (const alert of narrowed) await this.repository.updateDetails(tx, alert.id, alert.details ?? {});
      for (const [notice, alerts] of notices) await this.repository.markNotified(tx, alerts.map((alert) => alert.id), now, notice === 'escalated');
      notified += await this.notifier.notify(tx, rule, 'raised', created);
      for (const [notice, alerts] of notices) notified += await this.notifier.notify(tx, rule, notice, alerts);
      changed.push(...created.map((alert) => alert.id), ...plan.resolve.map((alert) => alert.id), ...[...notices.values()].flat().map((alert) => alert.id));
      this.transactions.afterCommit(tx, () => this.events.emit(ALERTS_CHANGED, { ids: [...new Set(changed)] } satisfies AlertsChangedEvent));
      return created.length;
    });
    return { raised, resolved: plan.resolve.length, notified };
  }
}
