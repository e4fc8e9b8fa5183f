/** Fault-ticket queries: the only place that builds SQL for tickets, their events and cost lines. */
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, type SelectQueryBuilder } from 'typeorm';
import { INCIDENT_PRIORITIES, OPEN_INCIDENT_STAGES, type IncidentPriority, type IncidentStage, type ListIncidentsQuery, type SlaMeasure } from '@fleet/shared';
import { updateIfVersion, type Tx } from '../database/transaction';
import { inRegionSubtree, prefixUpperBound } from '../database/ranges';
import { IncidentCostEntity } from './incident-cost.entity';
import { IncidentEventEntity } from './incident-event.entity';
import { IncidentEntity } from './incident.entity';

/** For each priority, the report instant before which a still-running clock is past its target. */
export type OverdueCutoffs = Record<IncidentPriority, Record<SlaMeasure, Date>>;

export interface IncidentFilter extends Omit<ListIncidentsQuery, 'page' | 'pageSize' | 'regionId' | 'overdue'> {
  regionPath?: string;
  scopePath?: string;
  overdue?: OverdueCutoffs;
}

const MEASURE_COLUMN: Record<SlaMeasure, string> = { respond: 'i.responded_at', restore: 'i.restored_at', repair: 'i.resolved_at' };

@Injectable()
export class IncidentsRepository {
  constructor(
    @InjectRepository(IncidentEntity) private readonly incidents: Repository<IncidentEntity>,
    @InjectRepository(IncidentEventEntity) private readonly events: Repository<IncidentEventEntity>,
    @InjectRepository(IncidentCostEntity) private readonly costs: Repository<IncidentCostEntity>,
  ) {}

  findById(id: number): Promise<IncidentEntity | null> {
    return this.withReferences(this.incidents.createQueryBuilder('i'))
      .leftJoinAndSelect('i.spareTerminal', 'spare')
      .leftJoinAndSelect('i.replacementTerminal', 'replacement')
      .where('i.id = :id', { id })
      .getOne();
  }

  findOpenByTerminal(terminalId: number): Promise<IncidentEntity | null> {
    return this.incidents.findOneBy({ openTerminalId: terminalId });
  }

  /** Open tickets with a service-level clock past its target. */
  overdue(cutoffs: OverdueCutoffs): Promise<IncidentEntity[]> {
    return this.filtered({ overdue: cutoffs }).select(['i.id', 'i.regionId', 'i.terminalId', 'i.priority', 'i.reportedAt', 'i.respondedAt', 'i.restoredAt', 'i.resolvedAt']).getMany();
  }

  /** Which of these terminals have an open ticket (in chunks: the list can be a whole outage). */
  async openTerminalIds(terminalIds: number[]): Promise<Set<number>> {
    const open = new Set<number>();
    for (let start = 0; start < terminalIds.length; start += 1000) {
      const rows = await this.incidents
        .createQueryBuilder('i')
        .select('i.open_terminal_id', 'id')
        .where('i.open_terminal_id IN (:...ids)', { ids: terminalIds.slice(start, start + 1000) })
        .getRawMany<{ id: number }>();
      for (const row of rows) open.add(Number(row.id));
    }
    return open;
  }

  async insert(tx: Tx, values: Omit<IncidentEntity, 'id'>): Promise<IncidentEntity> {
    return tx.save(IncidentEntity, tx.create(IncidentEntity, values));
  }

  updateIfVersion(tx: Tx, id: number, version: number, changes: Partial<IncidentEntity>): Promise<boolean> {
    return updateIfVersion(tx, IncidentEntity, id, version, changes);
  }

  async list(filter: IncidentFilter, offset: number, limit: number): Promise<[IncidentEntity[], number]> {
    const qb = this.filtered(filter);
    const total = await qb.clone().getCount();
    const ids = await qb
      .clone()
      .select('i.id', 'id')
      .orderBy('i.reported_at', 'DESC')
      .addOrderBy('i.id', 'DESC')
      .offset(offset)
      .limit(limit)
      .getRawMany<{ id: number }>();
    if (ids.length === 0) return [[], total];
    const rows = await this.withReferences(this.incidents.createQueryBuilder('i'))
      .where('i.id IN (:...ids)', { ids: ids.map((row) => Number(row.id)) })
      .getMany();
    const byId = new Map(rows.map((row) => [row.id, row]));
    return [ids.map((row) => byId.get(Number(row.id))).filter((row): row is IncidentEntity => row !== undefined), total];
  }

  /** Open tickets by stage, and how many of them are overdue. */
  async board(filter: IncidentFilter, overdue: OverdueCutoffs): Promise<{ byStage: Map<IncidentStage, number>; overdue: number }> {
    const rows = await this.filtered({ ...filter, stage: [...OPEN_INCIDENT_STAGES] })
      .select('i.stage', 'stage')
      .addSelect('COUNT(*)', 'count')
      .groupBy('i.stage')
      .getRawMany<{ stage: IncidentStage; count: string | number }>();
    const late = await this.filtered({ ...filter, stage: [...OPEN_INCIDENT_STAGES], overdue }).getCount();
    return { byStage: new Map(rows.map((row) => [row.stage, Number(row.count)])), overdue: late };
  }

  listEvents(incidentId: number): Promise<IncidentEventEntity[]> {
    return this.events.find({ where: { incidentId }, order: { id: 'ASC' } });
  }

  async insertEvent(tx: Tx, event: Omit<IncidentEventEntity, 'id'>): Promise<IncidentEventEntity> {
    return tx.save(IncidentEventEntity, tx.create(IncidentEventEntity, event));
  }

  listCosts(incidentId: number): Promise<IncidentCostEntity[]> {
    return this.costs.find({ where: { incidentId }, order: { id: 'ASC' } });
  }

  findCost(incidentId: number, id: number): Promise<IncidentCostEntity | null> {
    return this.costs.findOneBy({ incidentId, id });
  }

  async insertCost(tx: Tx, values: Omit<IncidentCostEntity, 'id'>): Promise<IncidentCostEntity> {
    return tx.save(IncidentCostEntity, tx.create(IncidentCostEntity, values));
  }

  updateCostIfVersion(tx: Tx, id: number, version: number, changes: Partial<IncidentCostEntity>): Promise<boolean> {
    return updateIfVersion(tx, IncidentCostEntity, id, version, changes);
  }

  private withReferences(qb: SelectQueryBuilder<IncidentEntity>): SelectQueryBuilder<IncidentEntity> {
    return qb
      .leftJoinAndSelect('i.terminal', 'terminal')
      .leftJoinAndSelect('i.model', 'model')
      .leftJoinAndSelect('i.region', 'region')
      .leftJoinAndSelect('i.merchant', 'merchant')
      .leftJoinAndSelect('i.assignee', 'assignee');
  }

  private filtered(filter: IncidentFilter): SelectQueryBuilder<IncidentEntity> {
    const qb = this.incidents.createQueryBuilder('i');
    if (filter.stage?.length) qb.andWhere('i.stage IN (:...stages)', { stages: filter.stage });
    if (filter.priority?.length) qb.andWhere('i.priority IN (:...priorities)', { priorities: filter.priority });
    if (filter.modelId) qb.andWhere('i.model_id = :modelId', { modelId: filter.modelId });
    if (filter.terminalId) qb.andWhere('(i.terminal_id = :terminalId OR i.spare_terminal_id = :terminalId OR i.replacement_terminal_id = :terminalId)', { terminalId: filter.terminalId });
    if (filter.assigneeId) qb.andWhere('i.assignee_id = :assigneeId', { assigneeId: filter.assigneeId });
    if (filter.symptom) qb.andWhere('i.symptom = :symptom', { symptom: filter.symptom });
    for (const [name, path] of [['region', filter.regionPath], ['scope', filter.scopePath]] as const) {
      if (path) {
        inRegionSubtree(qb, 'i.region_id', name, path);
      }
    }
    if (filter.q) {
      const q = filter.q.trim().toUpperCase();
      const number = /^(?:INC-)?0*(\d{1,9})$/.exec(q);
      if (number) qb.andWhere('i.id = :incidentId', { incidentId: Number(number[1]) });
      else qb.andWhere('i.terminal_id IN (SELECT t.id FROM terminals t WHERE t.asset_number >= :qLo AND t.asset_number < :qHi)', { qLo: q, qHi: prefixUpperBound(q) });
    }
    if (filter.overdue) {
      const clauses: string[] = [];
      const params: Record<string, unknown> = {};
      for (const priority of INCIDENT_PRIORITIES) {
        const measures = (Object.keys(MEASURE_COLUMN) as SlaMeasure[]).map((measure) => {
          params[`${priority}_${measure}`] = filter.overdue![priority][measure];
          return `(${MEASURE_COLUMN[measure]} IS NULL AND i.reported_at < :${priority}_${measure})`;
        });
        clauses.push(`(i.priority = '${priority}' AND (${measures.join(' OR ')}))`);
      }
      qb.andWhere(`i.closed_at IS NULL AND (${clauses.join(' OR ')})`, params);
    }
    return qb;
  }
}
