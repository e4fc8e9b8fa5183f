/**
 * Maintenance task queries, including the generation job's: the deployed
 * terminals of a plan's scope a chunk at a time (keyset on id), where each
 * of them stands (two grouped queries per chunk), and the chunk's writes as
 * multi-row inserts that skip what already exists, so a rerun or a racing
 * instance never doubles a task.
 */
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, type ObjectLiteral, type QueryResult, type SelectQueryBuilder, type WhereExpressionBuilder } from 'typeorm';
import type { DueReason, IsoDate, MaintenanceTaskStatus, TerminalCategory } from '@fleet/shared';
import { updateIfVersion, type Tx } from '../database/transaction';
import { inRegionSubtree } from '../database/ranges';
import { MaintenanceProgressEntity } from './maintenance-progress.entity';
import { MaintenanceTaskEntity } from './maintenance-task.entity';

/** A plan's scope as SQL can test it (a region by its materialised path). */
export type PlanScopeFilter =
  | { kind: 'model'; modelId: number }
  | { kind: 'region'; path: string }
  | { kind: 'category'; category: TerminalCategory }
  | { kind: 'terminals'; ids: number[] };

export interface TaskFilter {
  status?: MaintenanceTaskStatus[];
  /** Only overdue tasks (true) or only the others (false), as of `today`. */
  overdue?: boolean;
  today: IsoDate;
  dueFrom?: IsoDate;
  dueTo?: IsoDate;
  /** Region (with sub-regions) of the terminal. */
  regionPath?: string;
  /** The user's region scope. */
  scopePath?: string;
  assigneeId?: number;
  planId?: number;
  terminalId?: number;
}

export interface TaskHistory {
  lastDueDate: IsoDate | null;
  lastClosedOn: IsoDate | null;
  open: boolean;
}

export interface NewTask {
  terminalId: number;
  dueDate: IsoDate;
  dueReason: DueReason;
}

/** Rows per multi-row statement: well under both engines' bound-parameter limits. */
const ROWS_PER_STATEMENT = 500;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

/** Terminals (alias `t`) in the scope. */
export function whereInScope<Q extends WhereExpressionBuilder>(qb: Q, scope: PlanScopeFilter, alias = 't'): Q {
  switch (scope.kind) {
    case 'model':
      return qb.andWhere(`${alias}.model_id = :scopeModelId`, { scopeModelId: scope.modelId });
    case 'category':
      return qb.andWhere(`${alias}.category = :scopeCategory`, { scopeCategory: scope.category });
    case 'region':
      return inRegionSubtree(qb, `${alias}.region_id`, 'scopeRegion', scope.path);
    case 'terminals':
      return scope.ids.length ? qb.andWhere(`${alias}.id IN (:...scopeIds)`, { scopeIds: scope.ids }) : qb.andWhere('1 = 0');
  }
}

/**
 * Multi-row inserts that skip rows whose key exists (ON CONFLICT DO NOTHING
 * on both engines), written by hand: the query builder spends longer
 * assembling a thousand rows than the database takes to store them.
 * Returns how many rows were inserted.
 */
async function insertIgnoring(tx: Tx, table: string, columns: readonly string[], rows: readonly unknown[][]): Promise<number> {
  let inserted = 0;
  const driver = tx.connection.driver;
  for (const part of chunks(rows, ROWS_PER_STATEMENT)) {
    const parameters: unknown[] = [];
    const tuples = part.map((row) => `(${row.map((value) => (parameters.push(value), driver.createParameter(`p${parameters.length}`, parameters.length - 1))).join(', ')})`);
    const result = (await tx.queryRunner!.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')} ON CONFLICT DO NOTHING`, parameters, true)) as QueryResult;
    inserted += result.affected ?? 0;
  }
  return inserted;
}

function dayOf(value: Date | string): IsoDate {
  return typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10);
}

@Injectable()
export class MaintenanceTasksRepository {
  constructor(
    @InjectRepository(MaintenanceTaskEntity) private readonly tasks: Repository<MaintenanceTaskEntity>,
    @InjectRepository(MaintenanceProgressEntity) private readonly progress: Repository<MaintenanceProgressEntity>,
  ) {}

  // ---- reading

  findById(id: number): Promise<MaintenanceTaskEntity | null> {
    return this.withReferences(this.tasks.createQueryBuilder('mt')).where('mt.id = :id', { id }).getOne();
  }

  async list(filter: TaskFilter, offset: number, limit: number): Promise<[MaintenanceTaskEntity[], number]> {
    const qb = this.filtered(filter);
    const total = await qb.clone().getCount();
    const ids = await qb
      .clone()
      .select('mt.id', 'id')
      .orderBy('mt.effective_due_date', 'ASC')
      .addOrderBy('mt.id', 'ASC')
      .offset(offset)
      .limit(limit)
      .getRawMany<{ id: number | string }>();
    if (ids.length === 0) return [[], total];
    const rows = await this.withReferences(this.tasks.createQueryBuilder('mt'))
      .where('mt.id IN (:...ids)', { ids: ids.map((row) => Number(row.id)) })
      .getMany();
    const byId = new Map(rows.map((row) => [row.id, row]));
    return [ids.map((row) => byId.get(Number(row.id))).filter((row): row is MaintenanceTaskEntity => row !== undefined), total];
  }

  /** Tasks by effective due date and status within [from, to]. */
  async calendar(filter: TaskFilter & { dueFrom: IsoDate; dueTo: IsoDate }): Promise<{ date: IsoDate; status: MaintenanceTaskStatus; count: number }[]> {
    const rows = await this.filtered(filter)
      .select('mt.effective_due_date', 'date')
      .addSelect('mt.status', 'status')
      .addSelect('COUNT(*)', 'count')
      .groupBy('mt.effective_due_date')
      .addGroupBy('mt.status')
      .getRawMany<{ date: string; status: MaintenanceTaskStatus; count: number | string }>();
    return rows.map((row) => ({ date: row.date, status: row.status, count: Number(row.count) }));
  }

  /** Open tasks past their effective due date whose terminal is deployed, oldest first. */
  async overdueOnDeployed(today: IsoDate): Promise<{ id: number; planId: number; planName: string; terminalId: number; assetNumber: string; regionId: number; effectiveDueDate: IsoDate }[]> {
    const rows = await this.tasks
      .createQueryBuilder('mt')
      .innerJoin('terminals', 't', 't.id = mt.terminal_id')
      .innerJoin('maintenance_plans', 'p', 'p.id = mt.plan_id')
      .select(['mt.id AS id', 'mt.plan_id AS "planId"', 'p.name AS "planName"', 'mt.terminal_id AS "terminalId"', 't.asset_number AS "assetNumber"', 't.region_id AS "regionId"', 'mt.effective_due_date AS "effectiveDueDate"'])
      .where("mt.status = 'open' AND mt.effective_due_date < :today AND t.status = 'deployed'", { today })
      .orderBy('mt.effective_due_date', 'ASC')
      .addOrderBy('mt.id', 'ASC')
      .getRawMany<{ id: number | string; planId: number | string; planName: string; terminalId: number | string; assetNumber: string; regionId: number | string; effectiveDueDate: string }>();
    return rows.map((row) => ({ ...row, id: Number(row.id), planId: Number(row.planId), terminalId: Number(row.terminalId), regionId: Number(row.regionId) }));
  }

  /** Whether any task of the plan was done or skipped: its history is worth keeping. */
  async hasHistory(planId: number): Promise<boolean> {
    return (await this.tasks.createQueryBuilder('mt').where("mt.plan_id = :planId AND mt.status IN ('done', 'skipped')", { planId }).getCount()) > 0;
  }

  // ---- task steps

  updateIfVersion(tx: Tx, id: number, version: number, changes: Partial<Omit<MaintenanceTaskEntity, 'id' | 'version'>>): Promise<boolean> {
    return updateIfVersion(tx, MaintenanceTaskEntity, id, version, changes);
  }

  /** The usage counter at a completion or skip: the next usage threshold counts from it. */
  async setUsageBaseline(tx: Tx, planId: number, terminalId: number, usage: number | null): Promise<void> {
    await tx.createQueryBuilder().update(MaintenanceProgressEntity).set({ usageAtLast: usage }).where('plan_id = :planId AND terminal_id = :terminalId', { planId, terminalId }).execute();
  }

  /** Forgets every usage baseline of a plan (reactivated: each terminal counts from its next report). */
  async clearUsageBaselines(tx: Tx, planId: number): Promise<void> {
    await tx.createQueryBuilder().update(MaintenanceProgressEntity).set({ usageAtLast: null }).where('plan_id = :planId', { planId }).execute();
  }

  /**
   * Cancels the plan's open tasks, all of them or only those of terminals
   * outside `keep` (its new scope); returns how many.
   */
  async cancelOpen(tx: Tx, planId: number, keep: PlanScopeFilter | null, closedOn: IsoDate, reason: string, now: Date): Promise<number> {
    const qb = tx
      .createQueryBuilder()
      .update(MaintenanceTaskEntity)
      .set({ status: 'cancelled', closedOn, closeReason: reason, updatedAt: now, version: () => 'version + 1' })
      .where("plan_id = :planId AND status = 'open'", { planId });
    if (keep) {
      const inScope = whereInScope(tx.createQueryBuilder().subQuery().select('t.id').from('terminals', 't'), keep);
      qb.andWhere(`terminal_id NOT IN ${inScope.getQuery()}`, inScope.getParameters());
    }
    return (await qb.execute()).affected ?? 0;
  }

  // ---- generation

  /** Deployed terminals of the scope after `after`, in id order, with the day each record last changed. */
  async deployedInScope(scope: PlanScopeFilter, after: number, limit: number): Promise<{ id: number; changedOn: IsoDate }[]> {
    const qb = this.tasks.manager
      .createQueryBuilder()
      .select('t.id', 'id')
      .addSelect('t.updated_at', 'updatedAt')
      .from('terminals', 't')
      .where("t.status = 'deployed'")
      .andWhere('t.id > :after', { after });
    const rows = await whereInScope(qb, scope).orderBy('t.id', 'ASC').limit(limit).getRawMany<{ id: number | string; updatedAt: Date | string }>();
    return rows.map((row) => ({ id: Number(row.id), changedOn: dayOf(row.updatedAt) }));
  }

  /** The progress rows and task history of these terminals on the plan: two grouped queries. */
  async standings(planId: number, terminalIds: number[]): Promise<{ progress: Map<number, MaintenanceProgressEntity>; history: Map<number, TaskHistory> }> {
    const [progressRows, historyRows] = await Promise.all([
      this.progress.createQueryBuilder('p').where('p.plan_id = :planId AND p.terminal_id IN (:...terminalIds)', { planId, terminalIds }).getMany(),
      this.tasks
        .createQueryBuilder('mt')
        .select('mt.terminal_id', 'terminalId')
        .addSelect('MAX(mt.due_date)', 'lastDueDate')
        .addSelect("MAX(CASE WHEN mt.status IN ('done', 'skipped') THEN mt.closed_on END)", 'lastClosedOn')
        .addSelect("SUM(CASE WHEN mt.status = 'open' THEN 1 ELSE 0 END)", 'open')
        .where('mt.plan_id = :planId AND mt.terminal_id IN (:...terminalIds)', { planId, terminalIds })
        .groupBy('mt.terminal_id')
        .getRawMany<{ terminalId: number | string; lastDueDate: string | null; lastClosedOn: string | null; open: number | string }>(),
    ]);
    return {
      progress: new Map(progressRows.map((row) => [row.terminalId, row])),
      history: new Map(historyRows.map((row) => [Number(row.terminalId), { lastDueDate: row.lastDueDate, lastClosedOn: row.lastClosedOn, open: Number(row.open) > 0 }])),
    };
  }

  /**
   * Writes one chunk of the generation: terminals joining the plan, moved
   * usage baselines, and the new tasks. Rows that exist already (a rerun, a
   * racing instance) are skipped; returns how many tasks were inserted.
   */
  async writeChunk(
    tx: Tx,
    planId: number,
    chunk: { joins: MaintenanceProgressEntity[]; baselines: [terminalId: number, usage: number][]; tasks: NewTask[] },
    now: Date,
  ): Promise<number> {
    await insertIgnoring(
      tx,
      'maintenance_progress',
      ['plan_id', 'terminal_id', 'joined_on', 'usage_at_last'],
      chunk.joins.map((join) => [planId, join.terminalId, join.joinedOn, join.usageAtLast]),
    );
    for (const rows of chunks(chunk.baselines, ROWS_PER_STATEMENT)) {
      const parameters: ObjectLiteral = { planId, terminalIds: rows.map(([terminalId]) => terminalId) };
      const cases = rows.map(([terminalId, usage], index) => {
        parameters[`t${index}`] = terminalId;
        parameters[`u${index}`] = usage;
        return `WHEN :t${index} THEN CAST(:u${index} AS bigint)`;
      });
      await tx
        .createQueryBuilder()
        .update(MaintenanceProgressEntity)
        .set({ usageAtLast: () => `CASE terminal_id ${cases.join(' ')} END` })
        .where('plan_id = :planId AND terminal_id IN (:...terminalIds)', parameters)
        .execute();
    }
    // The other columns of a new task are null; timestamps as the driver stores them.
    const createdAt = tx.connection.driver.preparePersistentValue(now, tx.connection.getMetadata(MaintenanceTaskEntity).findColumnWithPropertyName('createdAt')!);
    return insertIgnoring(
      tx,
      'maintenance_tasks',
      ['plan_id', 'terminal_id', 'due_date', 'due_reason', 'status', 'effective_due_date', 'version', 'created_at', 'updated_at'],
      chunk.tasks.map((task) => [planId, task.terminalId, task.dueDate, task.dueReason, 'open', task.dueDate, 1, createdAt, createdAt]),
    );
  }

  // ---- internals

  private withReferences(qb: SelectQueryBuilder<MaintenanceTaskEntity>): SelectQueryBuilder<MaintenanceTaskEntity> {
    return qb
      .leftJoinAndSelect('mt.plan', 'plan')
      .leftJoinAndSelect('mt.terminal', 'terminal')
      .leftJoinAndSelect('terminal.region', 'region')
      .leftJoinAndSelect('mt.assignee', 'assignee');
  }

  private filtered(filter: TaskFilter): SelectQueryBuilder<MaintenanceTaskEntity> {
    const qb = this.tasks.createQueryBuilder('mt');
    if (filter.status?.length) qb.andWhere('mt.status IN (:...status)', { status: filter.status });
    if (filter.overdue === true) qb.andWhere("mt.status = 'open' AND mt.effective_due_date < :today", { today: filter.today });
    if (filter.overdue === false) qb.andWhere("(mt.status <> 'open' OR mt.effective_due_date >= :today)", { today: filter.today });
    if (filter.dueFrom) qb.andWhere('mt.effective_due_date >= :dueFrom', { dueFrom: filter.dueFrom });
    if (filter.dueTo) qb.andWhere('mt.effective_due_date <= :dueTo', { dueTo: filter.dueTo });
    if (filter.planId) qb.andWhere('mt.plan_id = :planId', { planId: filter.planId });
    if (filter.terminalId) qb.andWhere('mt.terminal_id = :terminalId', { terminalId: filter.terminalId });
    if (filter.assigneeId) qb.andWhere('mt.assignee_id = :assigneeId', { assigneeId: filter.assigneeId });
    if (filter.regionPath || filter.scopePath) {
      qb.innerJoin('terminals', 'tr', 'tr.id = mt.terminal_id');
      if (filter.regionPath) inRegionSubtree(qb, 'tr.region_id', 'region', filter.regionPath);
      if (filter.scopePath) inRegionSubtree(qb, 'tr.region_id', 'scope', filter.scopePath);
    }
    return qb;
  }
}
