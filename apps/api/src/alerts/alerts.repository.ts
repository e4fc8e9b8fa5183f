/** Alert queries: the only place that builds SQL for rules, alerts, subscriptions and maintenance windows. */
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, In, IsNull, Repository, type QueryDeepPartialEntity, type SelectQueryBuilder } from 'typeorm';
import type { AlertChannel, AlertSeverity, AlertState, ListAlertsQuery } from '@fleet/shared';
import { updateIfVersion, type Tx } from '../database/transaction';
import { inRegionSubtree, regionSubtree } from '../database/ranges';
import { AlertRuleEntity } from './alert-rule.entity';
import { AlertSubscriptionEntity } from './alert-subscription.entity';
import { AlertEntity } from './alert.entity';
import { MaintenanceWindowEntity } from './maintenance-window.entity';

export interface AlertFilter extends Omit<ListAlertsQuery, 'page' | 'pageSize' | 'regionId'> {
  regionPath?: string;
  scopePath?: string;
}

@Injectable()
export class AlertsRepository {
  constructor(
    @InjectRepository(AlertRuleEntity) private readonly rules: Repository<AlertRuleEntity>,
    @InjectRepository(AlertEntity) private readonly alerts: Repository<AlertEntity>,
    @InjectRepository(AlertSubscriptionEntity) private readonly subscriptions: Repository<AlertSubscriptionEntity>,
    @InjectRepository(MaintenanceWindowEntity) private readonly windows: Repository<MaintenanceWindowEntity>,
  ) {}

  // ---- rules

  listRules(): Promise<AlertRuleEntity[]> {
    return this.rules.find({ order: { kind: 'ASC', id: 'ASC' } });
  }

  findRule(id: number): Promise<AlertRuleEntity | null> {
    return this.rules.findOneBy({ id });
  }

  findRuleByName(name: string): Promise<AlertRuleEntity | null> {
    return this.rules.findOneBy({ name });
  }

  countRules(): Promise<number> {
    return this.rules.count();
  }

  async openCountsByRule(): Promise<Map<number, number>> {
    const rows = await this.alerts
      .createQueryBuilder('a')
      .select('a.rule_id', 'ruleId')
      .addSelect('COUNT(*)', 'count')
      .where('a.open_key IS NOT NULL')
      .groupBy('a.rule_id')
      .getRawMany<{ ruleId: number; count: string | number }>();
    return new Map(rows.map((row) => [Number(row.ruleId), Number(row.count)]));
  }

  // ---- alerts

  findAlert(id: number): Promise<AlertEntity | null> {
    return this.withReferences(this.alerts.createQueryBuilder('a')).where('a.id = :id', { id }).getOne();
  }

  /** The rule's alerts not yet resolved. */
  liveAlerts(ruleId: number): Promise<AlertEntity[]> {
    return this.alerts.find({ where: { ruleId, resolvedAt: IsNull() }, order: { id: 'ASC' } });
  }

  async list(filter: AlertFilter, offset: number, limit: number): Promise<[AlertEntity[], number]> {
    const qb = this.filtered(filter);
    const total = await qb.clone().getCount();
    const ids = await qb.clone().select('a.id', 'id').orderBy('a.raised_at', 'DESC').addOrderBy('a.id', 'DESC').offset(offset).limit(limit).getRawMany<{ id: number }>();
    if (ids.length === 0) return [[], total];
    const rows = await this.byIds(ids.map((row) => Number(row.id)));
    const byId = new Map(rows.map((row) => [row.id, row]));
    return [ids.map((row) => byId.get(Number(row.id))).filter((row): row is AlertEntity => row !== undefined), total];
  }

  byIds(ids: number[]): Promise<AlertEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.withReferences(this.alerts.createQueryBuilder('a')).where('a.id IN (:...ids)', { ids }).getMany();
  }

  /** Live alerts by state and severity, and by kind, within the filter. */
  async summary(filter: AlertFilter): Promise<{ rows: { state: AlertState; severity: AlertSeverity; kind: string; count: number }[] }> {
    const rows = await this.filtered({ ...filter, state: ['open', 'acknowledged'] })
      .innerJoin('a.rule', 'rule')
      .select('a.state', 'state')
      .addSelect('a.severity', 'severity')
      .addSelect('rule.kind', 'kind')
      .addSelect('COUNT(*)', 'count')
      .groupBy('a.state')
      .addGroupBy('a.severity')
      .addGroupBy('rule.kind')
      .getRawMany<{ state: AlertState; severity: AlertSeverity; kind: string; count: string | number }>();
    return { rows: rows.map((row) => ({ ...row, count: Number(row.count) })) };
  }

  /** Inserts new alerts, skipping any whose open key is already live (a racing evaluation). */
  async insertAlerts(tx: Tx, rows: Omit<AlertEntity, 'id'>[]): Promise<AlertEntity[]> {
    const created: AlertEntity[] = [];
    for (let start = 0; start < rows.length; start += 200) {
      const chunk = rows.slice(start, start + 200);
      await tx.createQueryBuilder().insert().into(AlertEntity).values(chunk as QueryDeepPartialEntity<AlertEntity>[]).orIgnore().execute();
      const keys = chunk.map((row) => row.openKey!);
      const at = chunk[0]!.raisedAt.getTime();
      created.push(...(await tx.find(AlertEntity, { where: { openKey: In(keys) } })).filter((alert) => alert.raisedAt.getTime() === at));
    }
    return created;
  }

  async resolveAlerts(tx: Tx, ids: number[], at: Date, by: string | null): Promise<void> {
    for (let start = 0; start < ids.length; start += 500) {
      await tx
        .createQueryBuilder()
        .update(AlertEntity)
        .set({ state: 'resolved', openKey: null, resolvedAt: at, resolvedBy: by, updatedAt: at, version: () => 'version + 1' })
        .where('id IN (:...ids) AND resolved_at IS NULL', { ids: ids.slice(start, start + 500) })
        .execute();
    }
  }

  async markNotified(tx: Tx, ids: number[], at: Date, escalated: boolean): Promise<void> {
    for (let start = 0; start < ids.length; start += 500) {
      await tx
        .createQueryBuilder()
        .update(AlertEntity)
        .set({ lastNotifiedAt: at, notifyCount: () => 'notify_count + 1', ...(escalated ? { escalatedAt: at } : {}) })
        .where('id IN (:...ids)', { ids: ids.slice(start, start + 500) })
        .execute();
    }
  }

  async updateDetails(tx: Tx, id: number, details: Record<string, unknown>): Promise<void> {
    await tx.update(AlertEntity, { id }, { details } as QueryDeepPartialEntity<AlertEntity>);
  }

  updateAlertIfVersion(tx: Tx, id: number, version: number, changes: Partial<AlertEntity>): Promise<boolean> {
    return updateIfVersion(tx, AlertEntity, id, version, changes as QueryDeepPartialEntity<AlertEntity>);
  }

  /** rule-less keys (subject:variant) of alerts of these kinds that someone acknowledged, resolved or not. */
  async acknowledgedSubjects(kinds: string[]): Promise<Set<string>> {
    const rows = await this.alerts
      .createQueryBuilder('a')
      .select(['a.subject_type AS "subjectType"', 'a.subject_id AS "subjectId"', 'a.variant AS variant'])
      .where('a.acknowledged_at IS NOT NULL AND a.rule_id IN (SELECT r.id FROM alert_rules r WHERE r.kind IN (:...kinds))', { kinds })
      .getRawMany<{ subjectType: string; subjectId: number | string; variant: string }>();
    return new Set(rows.map((row) => `${row.subjectType}:${Number(row.subjectId)}:${row.variant}`));
  }

  // ---- subscriptions

  subscriptionsOf(userId: number): Promise<AlertSubscriptionEntity[]> {
    return this.subscriptions.find({ where: { userId }, order: { channel: 'ASC' } });
  }

  enabledSubscriptions(channel: AlertChannel): Promise<AlertSubscriptionEntity[]> {
    return this.subscriptions.find({ where: { channel, enabled: true } });
  }

  async replaceSubscriptions(tx: Tx, userId: number, rows: Omit<AlertSubscriptionEntity, 'id'>[]): Promise<void> {
    await tx.delete(AlertSubscriptionEntity, { userId });
    if (rows.length) await tx.insert(AlertSubscriptionEntity, rows);
  }

  // ---- maintenance windows

  listWindows(from: Date): Promise<MaintenanceWindowEntity[]> {
    return this.windows
      .createQueryBuilder('w')
      .leftJoinAndSelect('w.region', 'region')
      .leftJoinAndSelect('w.terminal', 'terminal')
      .where('w.ends_at > :from', { from })
      .orderBy('w.starts_at', 'ASC')
      .getMany();
  }

  activeWindows(at: Date): Promise<MaintenanceWindowEntity[]> {
    return this.windows.createQueryBuilder('w').leftJoinAndSelect('w.region', 'region').where('w.starts_at <= :at AND w.ends_at > :at', { at }).getMany();
  }

  findWindow(id: number): Promise<MaintenanceWindowEntity | null> {
    return this.windows.findOne({ where: { id }, relations: { region: true, terminal: true } });
  }

  async insertWindow(tx: Tx, values: Omit<MaintenanceWindowEntity, 'id'>): Promise<MaintenanceWindowEntity> {
    return tx.save(MaintenanceWindowEntity, tx.create(MaintenanceWindowEntity, values));
  }

  async deleteWindow(tx: Tx, id: number): Promise<void> {
    await tx.delete(MaintenanceWindowEntity, { id });
  }

  private withReferences(qb: SelectQueryBuilder<AlertEntity>): SelectQueryBuilder<AlertEntity> {
    return qb.leftJoinAndSelect('a.rule', 'rule').leftJoinAndSelect('a.region', 'region').leftJoinAndSelect('a.assignee', 'assignee');
  }

  private filtered(filter: AlertFilter): SelectQueryBuilder<AlertEntity> {
    const qb = this.alerts.createQueryBuilder('a');
    const states = filter.state?.length ? filter.state : ['open', 'acknowledged'];
    qb.andWhere('a.state IN (:...states)', { states });
    if (filter.severity?.length) qb.andWhere('a.severity IN (:...severities)', { severities: filter.severity });
    if (filter.kind?.length) qb.andWhere('a.rule_id IN (SELECT r.id FROM alert_rules r WHERE r.kind IN (:...kinds))', { kinds: filter.kind });
    if (filter.subjectType) qb.andWhere('a.subject_type = :subjectType', { subjectType: filter.subjectType });
    if (filter.subjectId) qb.andWhere('a.subject_id = :subjectId', { subjectId: filter.subjectId });
    if (filter.assigneeId) qb.andWhere('a.assignee_id = :assigneeId', { assigneeId: filter.assigneeId });
    if (filter.regionPath) inRegionSubtree(qb, 'a.region_id', 'region', filter.regionPath);
    // A user limited to a region sees its alerts and those of no region (policies shared by all).
    if (filter.scopePath) qb.andWhere(new Brackets((where) => where.where('a.region_id IS NULL').orWhere(...regionSubtree('a.region_id', 'scope', filter.scopePath!))));
    return qb;
  }
}
