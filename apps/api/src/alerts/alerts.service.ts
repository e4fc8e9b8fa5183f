/**
 * Alerts as people handle them: the list and counts (within the user's region
 * scope), acknowledging and assigning, the rules, each user's subscriptions,
 * maintenance windows and the expiry report. Raising, repeating, escalating
 * and resolving is the evaluator's.
 */
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import {
  ALERT_CHANNELS,
  ALERTS_LIST_SIZE,
  ALERT_SEVERITIES,
  can,
  RULE_PARAMS,
  type AlertResponse,
  type AlertRuleParams,
  type AlertRuleResponse,
  type AlertSeverity,
  type AlertSubscriptionsResponse,
  type AlertSummaryResponse,
  type CreateAlertRuleRequest,
  type ExpiryReportResponse,
  type MaintenanceWindowResponse,
  type Page,
} from '@fleet/shared';
import { AuditedWriter, type AuditedRecordSpec } from '../audit/audited-writer';
import { pageOf } from '../common/api-dtos';
import { SYSTEM_ACTOR, type Actor } from '../common/authorization';
import { addDays, Clock } from '../common/clock';
import { DomainException } from '../common/domain.exception';
import { duplicateField, presentFields, timestamps } from '../common/mapping';
import { requestScope, withinScope } from '../common/request-scope';
import { versionConflict } from '../common/versioning';
import { JobLocks } from '../database/job-locks';
import { TransactionRunner } from '../database/transaction';
import { RegionsService } from '../regions/regions.service';
import { TerminalsService } from '../terminals/terminals.service';
import { UsersService } from '../users/users.service';
import { InsurancePoliciesService } from '../warranties/insurance-policies.service';
import { AlertRuleEntity } from './alert-rule.entity';
import type { AlertEntity } from './alert.entity';
import { ALERTS_CHANGED, type AlertsChangedEvent } from './alerts.events';
import type { AcknowledgeAlertDto, AlertSummaryQueryDto, AssignAlertDto, CreateAlertRuleDto, CreateMaintenanceWindowDto, ListAlertsQueryDto, PutAlertSubscriptionsDto, UpdateAlertRuleDto } from './alerts.dto';
import { AlertsRepository, type AlertFilter } from './alerts.repository';
import { DEFAULT_ALERT_RULES } from './default-rules';
import type { MaintenanceWindowEntity } from './maintenance-window.entity';

export const RULE_RECORD: AuditedRecordSpec<AlertRuleEntity> = {
  entity: AlertRuleEntity,
  type: 'alert_rule',
  fields: ['kind', 'name', 'severity', 'enabled', 'params', 'repeatMinutes', 'escalateAfterMinutes', 'escalateToRole', 'suppressWithOpenTicket'],
  label: (rule) => rule.name,
};

/** A maintenance window lasts at most this long: longer silence is a decision to take elsewhere (disable the rule). */
const MAX_WINDOW_DAYS = 31;

export function toAlertResponse(alert: AlertEntity): AlertResponse {
  return {
    id: alert.id,
    rule: { id: alert.ruleId, name: alert.rule?.name ?? '', kind: alert.rule?.kind ?? 'terminal_offline' },
    severity: alert.severity,
    state: alert.state,
    subject: { type: alert.subjectType, id: alert.subjectId, label: alert.subjectLabel },
    variant: alert.variant,
    region: alert.regionId ? { id: alert.regionId, name: alert.region?.name ?? '', code: alert.region?.code ?? '' } : null,
    since: alert.since.toISOString(),
    raisedAt: alert.raisedAt.toISOString(),
    acknowledgedAt: alert.acknowledgedAt?.toISOString() ?? null,
    acknowledgedBy: alert.acknowledgedBy,
    assignee: alert.assigneeId ? { id: alert.assigneeId, name: alert.assignee?.displayName ?? '' } : null,
    escalatedAt: alert.escalatedAt?.toISOString() ?? null,
    notifyCount: alert.notifyCount,
    lastNotifiedAt: alert.lastNotifiedAt?.toISOString() ?? null,
    resolvedAt: alert.resolvedAt?.toISOString() ?? null,
    resolvedBy: alert.resolvedBy,
    details: alert.details ?? {},
    note: alert.note,
    version: alert.version,
  };
}

function toRuleResponse(rule: AlertRuleEntity, openAlerts: number): AlertRuleResponse {
  return {
    id: rule.id,
    kind: rule.kind,
    name: rule.name,
    severity: rule.severity,
    enabled: rule.enabled,
    params: rule.params,
    repeatMinutes: rule.repeatMinutes,
    escalateAfterMinutes: rule.escalateAfterMinutes,
    escalateToRole: rule.escalateToRole,
    suppressWithOpenTicket: rule.suppressWithOpenTicket,
    openAlerts,
    ...timestamps(rule),
  };
}

/** The kind's parameters, all of them and only them. */
function checkParams(kind: CreateAlertRuleRequest['kind'], params: AlertRuleParams): AlertRuleParams {
  const wanted = RULE_PARAMS[kind];
  for (const key of Object.keys(params) as (keyof AlertRuleParams)[]) {
    if (params[key] !== undefined && !wanted.includes(key)) throw DomainException.invalidField(`params.${key}`, 'notForKind', `params.${key} does not apply to ${kind} rules`);
  }
  for (const key of wanted) if (params[key] === undefined) throw DomainException.invalidField(`params.${key}`, 'required', `params.${key} is required for ${kind} rules`);
  return Object.fromEntries(wanted.map((key) => [key, params[key]])) as AlertRuleParams;
}

@Injectable()
export class AlertsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AlertsService.name);

  constructor(
    private readonly repository: AlertsRepository,
    private readonly writer: AuditedWriter,
    private readonly regions: RegionsService,
    private readonly terminals: TerminalsService,
    private readonly users: UsersService,
    private readonly policies: InsurancePoliciesService,
    private readonly transactions: TransactionRunner,
    private readonly locks: JobLocks,
    private readonly clock: Clock,
    private readonly events: EventEmitter2,
  ) {}

  /** A new installation starts with the default rules (once, even when several instances start together). */
  async onApplicationBootstrap(): Promise<void> {
    if ((await this.repository.countRules()) > 0) return;
    await this.locks.runExclusive('alert-default-rules', 60_000, async () => {
      if ((await this.repository.countRules()) > 0) return;
      for (const rule of DEFAULT_ALERT_RULES) await this.createRule(SYSTEM_ACTOR, rule);
      this.logger.log(`Created the ${DEFAULT_ALERT_RULES.length} default alert rules`);
    });
  }

  // ---- alerts

  async list(query: ListAlertsQueryDto): Promise<Page<AlertResponse>> {
    const { page, pageSize, offset } = pageOf(query);
    const [rows, total] = await this.repository.list(await this.toFilter(query), offset, pageSize);
    return { items: rows.map(toAlertResponse), total, page, pageSize };
  }

  async summary(query: AlertSummaryQueryDto): Promise<AlertSummaryResponse> {
    return summarize((await this.repository.summary(await this.toFilter(query))).rows);
  }

  /**
   * What an alerts room shows: the whole fleet's, or a region's as a user
   * limited to it sees them (its sub-regions, and the alerts of no region).
   */
  async forRoom(regionId: number | undefined): Promise<{ summary: AlertSummaryResponse; page: Page<AlertResponse> }> {
    const scopePath = regionId === undefined ? undefined : (await this.regions.getRegion(regionId)).path;
    const [{ rows }, [alerts, total]] = await Promise.all([
      this.repository.summary({ scopePath }),
      this.repository.list({ scopePath, state: ['open', 'acknowledged'] }, 0, ALERTS_LIST_SIZE),
    ]);
    return { summary: summarize(rows), page: { items: alerts.map(toAlertResponse), total, page: 1, pageSize: ALERTS_LIST_SIZE } };
  }

  /** Alerts of these ids (for the realtime gateway), whatever the request scope. */
  async byIds(ids: number[]): Promise<AlertResponse[]> {
    return (await this.repository.byIds(ids)).map(toAlertResponse);
  }

  async getAlert(id: number): Promise<AlertEntity> {
    const alert = await this.repository.findAlert(id);
    if (!alert || (alert.regionId !== null && !withinScope(requestScope(), alert.region?.path ?? ''))) throw new DomainException('ALERT_NOT_FOUND', `No alert ${id}`);
    return alert;
  }

  async describe(id: number): Promise<AlertResponse> {
    return toAlertResponse(await this.getAlert(id));
  }

  /** Acknowledged: someone has it; it is not repeated or escalated any more, and resolves by itself when the cause clears. */
  async acknowledge(actor: Actor, id: number, request: AcknowledgeAlertDto, version: number): Promise<AlertResponse> {
    const alert = await this.getAlert(id);
    if (alert.state !== 'open') throw new DomainException('ALERT_INVALID_TRANSITION', `Alert ${id} is ${alert.state}`, { state: alert.state });
    const now = this.clock.now();
    await this.update(alert, version, { state: 'acknowledged', acknowledgedAt: now, acknowledgedBy: actor.username, note: request.note ?? alert.note, updatedAt: now });
    this.logger.log(`Alert ${id} acknowledged by ${actor.username}`);
    return this.describe(id);
  }

  async assign(actor: Actor, id: number, request: AssignAlertDto, version: number): Promise<AlertResponse> {
    const alert = await this.getAlert(id);
    if (alert.state === 'resolved') throw new DomainException('ALERT_INVALID_TRANSITION', `Alert ${id} is resolved`, { state: alert.state });
    if (request.assigneeId !== null) {
      const user = await this.users.findById(request.assigneeId);
      if (!user || !user.active || !can(user.role, 'alerts:respond')) throw DomainException.invalidField('assigneeId', 'notAssignable', 'assigneeId: not an active user who handles alerts');
    }
    await this.update(alert, version, { assigneeId: request.assigneeId, updatedAt: this.clock.now() });
    this.logger.debug(`Alert ${id} assigned to ${request.assigneeId ?? 'nobody'} by ${actor.username}`);
    return this.describe(id);
  }

  private async update(alert: AlertEntity, version: number, changes: Partial<AlertEntity>): Promise<void> {
    if (alert.version !== version) throw versionConflict('alert', alert.id, alert.version);
    await this.transactions.run(async (tx) => {
      if (!(await this.repository.updateAlertIfVersion(tx, alert.id, version, changes))) throw versionConflict('alert', alert.id, alert.version);
      this.transactions.afterCommit(tx, () => this.events.emit(ALERTS_CHANGED, { ids: [alert.id] } satisfies AlertsChangedEvent));
    });
  }

  // ---- rules

  async listRules(): Promise<AlertRuleResponse[]> {
    const [rules, counts] = await Promise.all([this.repository.listRules(), this.repository.openCountsByRule()]);
    return rules.map((rule) => toRuleResponse(rule, counts.get(rule.id) ?? 0));
  }

  async getRule(id: number): Promise<AlertRuleEntity> {
    const rule = await this.repository.findRule(id);
    if (!rule) throw new DomainException('ALERT_RULE_NOT_FOUND', `No alert rule ${id}`);
    return rule;
  }

  async createRule(actor: Pick<Actor, 'id' | 'username'>, request: CreateAlertRuleDto | CreateAlertRuleRequest): Promise<AlertRuleResponse> {
    const params = checkParams(request.kind, request.params ?? {});
    if (await this.repository.findRuleByName(request.name)) throw duplicateField('DUPLICATE_NAME', 'name', request.name);
    const rule = await this.writer.create(actor, RULE_RECORD, {
      kind: request.kind,
      name: request.name,
      severity: request.severity,
      enabled: request.enabled ?? true,
      params,
      repeatMinutes: request.repeatMinutes ?? null,
      escalateAfterMinutes: request.escalateAfterMinutes ?? null,
      escalateToRole: request.escalateToRole ?? null,
      suppressWithOpenTicket: request.suppressWithOpenTicket ?? true,
    });
    return toRuleResponse(rule, 0);
  }

  async updateRule(actor: Actor, id: number, request: UpdateAlertRuleDto, version: number): Promise<AlertRuleResponse> {
    const before = await this.getRule(id);
    const { version: _version, ...changes } = presentFields(request);
    if (changes.params !== undefined) changes.params = checkParams(before.kind, changes.params);
    if (changes.name !== undefined && changes.name !== before.name && (await this.repository.findRuleByName(changes.name))) throw duplicateField('DUPLICATE_NAME', 'name', changes.name);
    const after = await this.writer.update(actor, RULE_RECORD, before, version, changes as Partial<AlertRuleEntity>);
    return toRuleResponse(after, (await this.repository.openCountsByRule()).get(id) ?? 0);
  }

  /** Deleting a rule resolves nothing by hand: its alerts go with it (they belong to the rule). */
  async removeRule(actor: Actor, id: number): Promise<void> {
    await this.writer.remove(actor, RULE_RECORD, await this.getRule(id));
  }

  // ---- subscriptions

  async subscriptions(actor: Actor): Promise<AlertSubscriptionsResponse> {
    const stored = await this.repository.subscriptionsOf(actor.id);
    return {
      subscriptions: ALERT_CHANNELS.map((channel) => {
        const row = stored.find((subscription) => subscription.channel === channel);
        return row
          ? { channel, enabled: row.enabled, address: row.address, kinds: row.kinds, regionIds: row.regionIds, minSeverity: row.minSeverity }
          : { channel, enabled: channel === 'dashboard', address: null, kinds: [], regionIds: [], minSeverity: 'info' };
      }),
    };
  }

  async putSubscriptions(actor: Actor, request: PutAlertSubscriptionsDto): Promise<AlertSubscriptionsResponse> {
    const seen = new Set<string>();
    for (const [index, subscription] of request.subscriptions.entries()) {
      if (seen.has(subscription.channel)) throw DomainException.invalidField(`subscriptions.${index}.channel`, 'duplicate', 'one subscription per channel');
      seen.add(subscription.channel);
      if (subscription.channel === 'email' && subscription.enabled && !subscription.address) {
        throw DomainException.invalidField(`subscriptions.${index}.address`, 'required', 'an email subscription needs an address');
      }
      for (const regionId of subscription.regionIds) {
        const region = await this.regions.getRegion(regionId, `subscriptions.${index}.regionIds`);
        if (!withinScope(requestScope(), region.path)) throw DomainException.invalidField(`subscriptions.${index}.regionIds`, 'outsideScope', 'a region outside the one you are limited to');
      }
    }
    const now = this.clock.now();
    await this.transactions.run((tx) =>
      this.repository.replaceSubscriptions(
        tx,
        actor.id,
        request.subscriptions.map((subscription) => ({ userId: actor.id, ...subscription, address: subscription.address ?? null, updatedAt: now })),
      ),
    );
    return this.subscriptions(actor);
  }

  // ---- maintenance windows

  async listWindows(): Promise<MaintenanceWindowResponse[]> {
    const scope = requestScope();
    const windows = await this.repository.listWindows(this.clock.now());
    return windows.filter((window) => scope === null || (window.region && withinScope(scope, window.region.path)) || window.terminal).map(toWindowResponse);
  }

  async createWindow(actor: Actor, request: CreateMaintenanceWindowDto): Promise<MaintenanceWindowResponse> {
    if ((request.regionId ?? null) === null && (request.terminalId ?? null) === null) throw DomainException.invalidField('regionId', 'required', 'give a regionId or a terminalId');
    if (request.regionId && request.terminalId) throw DomainException.invalidField('terminalId', 'both', 'give a regionId or a terminalId, not both');
    const startsAt = new Date(request.startsAt);
    const endsAt = new Date(request.endsAt);
    if (endsAt <= startsAt) throw DomainException.invalidField('endsAt', 'beforeStart', 'endsAt must be after startsAt');
    if (endsAt.getTime() - startsAt.getTime() > MAX_WINDOW_DAYS * 86_400_000) throw DomainException.invalidField('endsAt', 'tooLong', `a window lasts at most ${MAX_WINDOW_DAYS} days`);
    if (endsAt <= this.clock.now()) throw DomainException.invalidField('endsAt', 'inPast', 'endsAt is already past');
    if (request.regionId) {
      const region = await this.regions.getRegion(request.regionId);
      if (!withinScope(requestScope(), region.path)) throw DomainException.invalidField('regionId', 'outsideScope', 'regionId: outside the region you are limited to');
    }
    if (request.terminalId) await this.terminals.getTerminal(request.terminalId);
    const window = await this.transactions.run((tx) =>
      this.repository.insertWindow(tx, { regionId: request.regionId ?? null, terminalId: request.terminalId ?? null, startsAt, endsAt, reason: request.reason, createdBy: actor.username, createdAt: this.clock.now() }),
    );
    this.logger.log(`Maintenance window ${window.id} (${request.regionId ? `region ${request.regionId}` : `terminal ${request.terminalId}`}) by ${actor.username}`);
    return toWindowResponse((await this.repository.findWindow(window.id))!);
  }

  async removeWindow(id: number): Promise<void> {
    const window = await this.repository.findWindow(id);
    if (!window || (window.region && !withinScope(requestScope(), window.region.path))) throw new DomainException('NOT_FOUND', `No maintenance window ${id}`);
    if (window.terminalId) await this.terminals.getTerminal(window.terminalId);
    await this.transactions.run((tx) => this.repository.deleteWindow(tx, id));
  }

  // ---- expiry report

  async expiryReport(withinDays = 180): Promise<ExpiryReportResponse> {
    const today = this.clock.today();
    const last = addDays(today, withinDays);
    const scope = requestScope();
    const paths = new Map((await this.regions.regionTree()).map((region) => [region.id, region]));
    const acknowledged = await this.repository.acknowledgedSubjects(['warranty_expiring', 'policy_expiring']);
    const daysLeft = (date: string) => Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
    const warranties = (await this.terminals.warrantyEnding(today, last)).filter((row) => withinScope(scope, paths.get(row.regionId)?.path ?? ''));
    const policies = (await this.policies.list()).filter((policy) => policy.endDate >= today && policy.endDate <= last);
    return {
      asOf: today,
      withinDays,
      warranties: warranties.map((row) => ({
        terminal: { id: row.id, name: row.assetNumber, assetNumber: row.assetNumber },
        model: { id: row.modelId, name: row.modelName },
        region: { id: row.regionId, name: paths.get(row.regionId)?.name ?? '' },
        warrantyEnd: row.warrantyEnd,
        daysLeft: daysLeft(row.warrantyEnd),
        status: row.status,
        acknowledged: acknowledged.has(`terminal:${row.id}:${row.warrantyEnd}`),
      })),
      policies: policies.map((policy) => ({
        policy: { id: policy.id, name: policy.insurer, policyNumber: policy.policyNumber },
        endDate: policy.endDate,
        daysLeft: daysLeft(policy.endDate),
        terminalCount: policy.terminalCount,
        acknowledged: acknowledged.has(`insurance_policy:${policy.id}:${policy.endDate}`),
      })),
    };
  }

  private async toFilter(query: Omit<ListAlertsQueryDto, 'page' | 'pageSize'>): Promise<AlertFilter> {
    const { regionId, ...rest } = query;
    return { ...rest, regionPath: regionId ? (await this.regions.getRegion(regionId)).path : undefined, scopePath: requestScope()?.path };
  }
}

function summarize(rows: { state: string; severity: AlertSeverity; kind: string; count: number }[]): AlertSummaryResponse {
  const open = Object.fromEntries(ALERT_SEVERITIES.map((severity) => [severity, 0])) as Record<AlertSeverity, number>;
  const summary: AlertSummaryResponse = { open, acknowledged: 0, byKind: {} };
  for (const row of rows) {
    if (row.state === 'open') open[row.severity] += row.count;
    else summary.acknowledged += row.count;
    const kind = row.kind as keyof AlertSummaryResponse['byKind'];
    summary.byKind[kind] = (summary.byKind[kind] ?? 0) + row.count;
  }
  return summary;
}

function toWindowResponse(window: MaintenanceWindowEntity): MaintenanceWindowResponse {
  return {
    id: window.id,
    region: window.region ? { id: window.region.id, name: window.region.name, code: window.region.code } : null,
    terminal: window.terminal ? { id: window.terminal.id, name: window.terminal.assetNumber, assetNumber: window.terminal.assetNumber } : null,
    startsAt: window.startsAt.toISOString(),
    endsAt: window.endsAt.toISOString(),
    reason: window.reason,
    createdBy: window.createdBy,
    createdAt: window.createdAt.toISOString(),
  };
}
