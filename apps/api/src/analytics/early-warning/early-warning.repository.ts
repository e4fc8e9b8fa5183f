/**
 * The queries of the early warning: daily heartbeat history (rollups and
 * drop-outs) of a chunk of terminals, the failure tickets and who has one,
 * the deployed terminals in id order, and the stored swap list. Reads the
 * heartbeat, incident and terminal tables it learns from; writes only its own
 * tables, and in demo mode the history it plants.
 */
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, type SelectQueryBuilder } from 'typeorm';
import { EARLY_RESOLUTIONS, type DemoHistoryFailure, type DemoHistoryTerminal, type DemoTerminalHistory, type EarlyWarningEvidence, type HeartbeatDay, type IncidentSymptom, type TerminalCategory, type TerminalStatus } from '@fleet/shared';
import { inRegionSubtree } from '../../database/ranges';
import type { Tx } from '../../database/transaction';
import { EarlyWarningRunEntity } from './early-warning-run.entity';
import { EarlyWarningEntity } from './early-warning.entity';

const DAY_MS = 86_400_000;
/** Rows per multi-row insert: well under both engines' limits on bound parameters. */
const INSERT_ROWS = 1_000;

export interface EarlyWarningFilter {
  modelId?: number;
  /** The asked region's sub-tree. */
  regionPath?: string;
  /** The user's region scope. */
  scopePath?: string;
}

export interface EarlyWarningListRow {
  terminalId: number;
  assetNumber: string;
  modelId: number;
  modelName: string;
  regionId: number;
  regionName: string;
  score: number;
  evidence: EarlyWarningEvidence[];
}

/** A failure ticket's unit and instant (occurred_at, epoch ms). */
export interface FailureInstant {
  terminalId: number;
  failedAt: number;
}

export type EarlyWarningRow = Pick<EarlyWarningEntity, 'terminalId' | 'score' | 'evidence'>;
export type EarlyWarningRun = Omit<EarlyWarningRunEntity, 'id'>;

/** A timestamp column as epoch ms: a Date on PostgreSQL, UTC text on SQLite. */
function epochMs(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  const text = String(value);
  return Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
}

@Injectable()
export class EarlyWarningRepository {
  constructor(
    @InjectRepository(EarlyWarningEntity) private readonly warnings: Repository<EarlyWarningEntity>,
    @InjectRepository(EarlyWarningRunEntity) private readonly runs: Repository<EarlyWarningRunEntity>,
  ) {}

  private get sqlite(): boolean {
    return this.warnings.manager.connection.options.type === 'better-sqlite3';
  }

  private select(): SelectQueryBuilder<object> {
    return this.warnings.manager.connection.createQueryBuilder();
  }

  /** The next `limit` deployed terminals after `afterId`, in id order. */
  async deployedAfter(afterId: number, limit: number): Promise<number[]> {
    const rows = await this.select()
      .select('t.id', 'id')
      .from('terminals', 't')
      .where("t.status = 'deployed' AND t.id > :afterId", { afterId })
      .orderBy('t.id', 'ASC')
      .limit(limit)
      .getRawMany<{ id: number | string }>();
    return rows.map((row) => Number(row.id));
  }

  /** The daily rollups and drop-outs of the terminals in [from, to), per terminal. */
  async dailyHistory(terminalIds: readonly number[], fromMs: number, toMs: number): Promise<Map<number, HeartbeatDay[]>> {
    const history = new Map<number, Map<number, HeartbeatDay>>();
    if (terminalIds.length === 0) return new Map();
    const ids = [...terminalIds];
    const [rollups, dropouts] = await Promise.all([
      this.select()
        .select(['r.terminal_id AS terminal_id', 'r.bucket_start AS bucket_start', 'r.samples AS samples', 'r.battery_min AS battery_min', 'r.signal_avg AS signal_avg', 'r.temperature_max AS temperature_max', 'r.error_count AS error_count'])
        .from('heartbeat_rollups', 'r')
        .where("r.terminal_id IN (:...ids) AND r.granularity = 'day' AND r.bucket_start >= :fromMs AND r.bucket_start < :toMs", { ids, fromMs, toMs })
        .getRawMany<Record<string, unknown>>(),
      this.select()
        .select('s.terminal_id', 'terminal_id')
        .addSelect(`s.at - (s.at % ${DAY_MS})`, 'day')
        .addSelect('COUNT(*)', 'n')
        .from('status_changes', 's')
        .where("s.terminal_id IN (:...ids) AND s.to_state = 'offline' AND s.at >= :fromMs AND s.at < :toMs", { ids, fromMs, toMs })
        .groupBy('s.terminal_id')
        .addGroupBy(`s.at - (s.at % ${DAY_MS})`)
        .getRawMany<Record<string, unknown>>(),
    ]);
    const dayOf = (terminalId: number, day: number): HeartbeatDay => {
      let days = history.get(terminalId);
      if (!days) history.set(terminalId, (days = new Map()));
      let entry = days.get(day);
      if (!entry) days.set(day, (entry = { day, samples: 0, batteryMin: null, signalAvg: null, temperatureMax: null, errors: 0, dropouts: 0 }));
      return entry;
    };
    const orNull = (value: unknown) => (value === null || value === undefined ? null : Number(value));
    for (const row of rollups) {
      const entry = dayOf(Number(row.terminal_id), Number(row.bucket_start));
      entry.samples = Number(row.samples);
      entry.batteryMin = orNull(row.battery_min);
      entry.signalAvg = orNull(row.signal_avg);
      entry.temperatureMax = orNull(row.temperature_max);
      entry.errors = Number(row.error_count);
    }
    for (const row of dropouts) dayOf(Number(row.terminal_id), Number(row.day)).dropouts = Number(row.n);
    return new Map([...history].map(([terminalId, days]) => [terminalId, [...days.values()]]));
  }

  /** Failure tickets (not closed as no fault, duplicate or cancelled) that occurred in [from, to), a page at a time. */
  async *failures(from: Date, to: Date, page = 5_000): AsyncGenerator<FailureInstant[]> {
    let after = 0;
    for (;;) {
      const rows = await this.failureTickets()
        .select(['i.id AS id', 'i.terminal_id AS terminal_id', 'i.occurred_at AS occurred_at'])
        .andWhere('i.occurred_at >= :from AND i.occurred_at < :to AND i.id > :after', { from, to, after })
        .orderBy('i.id', 'ASC')
        .limit(page)
        .getRawMany<{ id: number | string; terminal_id: number | string; occurred_at: unknown }>();
      if (rows.length === 0) return;
      yield rows.map((row) => ({ terminalId: Number(row.terminal_id), failedAt: epochMs(row.occurred_at) }));
      if (rows.length < page) return;
      after = Number(rows[rows.length - 1]!.id);
    }
  }

  /** Of the terminals, those with a failure that occurred since `since` or is still open. */
  async failedSince(terminalIds: readonly number[], since: Date): Promise<Set<number>> {
    if (terminalIds.length === 0) return new Set();
    const rows = await this.failureTickets()
      .select('DISTINCT i.terminal_id', 'terminal_id')
      .andWhere('i.terminal_id IN (:...ids)', { ids: [...terminalIds] })
      .andWhere("(i.occurred_at >= :since OR i.stage <> 'closed')", { since })
      .getRawMany<{ terminal_id: number | string }>();
    return new Set(rows.map((row) => Number(row.terminal_id)));
  }

  private failureTickets(): SelectQueryBuilder<object> {
    return this.select().from('incidents', 'i').where('(i.resolution IS NULL OR i.resolution NOT IN (:...early))', { early: [...EARLY_RESOLUTIONS] });
  }

  /** Replaces the whole list with a run's, and records the run. */
  async replace(tx: Tx, rows: readonly EarlyWarningRow[], run: EarlyWarningRun): Promise<void> {
    await tx.createQueryBuilder().delete().from(EarlyWarningEntity).execute();
    for (let start = 0; start < rows.length; start += INSERT_ROWS) {
      await tx
        .createQueryBuilder()
        .insert()
        .into(EarlyWarningEntity)
        .values(rows.slice(start, start + INSERT_ROWS).map((row) => ({ ...row, computedAt: run.computedAt })))
        .execute();
    }
    await tx.getRepository(EarlyWarningRunEntity).insert(run);
  }

  latestRun(): Promise<EarlyWarningRunEntity | null> {
    return this.runs.findOne({ where: {}, order: { id: 'DESC' } });
  }

  /** The listed terminals still deployed, highest score first. */
  async list(filter: EarlyWarningFilter, offset: number, limit: number): Promise<EarlyWarningListRow[]> {
    const rows = await this.listed(filter)
      .select(['e.terminal_id AS terminal_id', 'e.score AS score', 'e.evidence AS evidence', 't.asset_number AS asset_number'])
      .addSelect(['t.model_id AS model_id', 'm.name AS model_name', 't.region_id AS region_id', 'r.name AS region_name'])
      .orderBy('e.score', 'DESC')
      .addOrderBy('e.terminal_id', 'ASC')
      .offset(offset)
      .limit(limit)
      .getRawMany<Record<string, unknown>>();
    return rows.map((row) => ({
      terminalId: Number(row.terminal_id),
      assetNumber: String(row.asset_number),
      modelId: Number(row.model_id),
      modelName: String(row.model_name),
      regionId: Number(row.region_id),
      regionName: String(row.region_name),
      score: Number(row.score),
      evidence: JSON.parse(String(row.evidence)) as EarlyWarningEvidence[],
    }));
  }

  async count(filter: EarlyWarningFilter): Promise<number> {
    const row = await this.listed(filter).select('COUNT(*)', 'n').getRawOne<{ n: number | string }>();
    return Number(row?.n ?? 0);
  }

  private listed(filter: EarlyWarningFilter): SelectQueryBuilder<EarlyWarningEntity> {
    const qb = this.warnings
      .createQueryBuilder('e')
      .innerJoin('terminals', 't', 't.id = e.terminal_id')
      .innerJoin('models', 'm', 'm.id = t.model_id')
      .innerJoin('regions', 'r', 'r.id = t.region_id')
      .where("t.status = 'deployed'");
    if (filter.modelId) qb.andWhere('t.model_id = :modelId', { modelId: filter.modelId });
    if (filter.regionPath) inRegionSubtree(qb, 't.region_id', 'region', filter.regionPath);
    if (filter.scopePath) inRegionSubtree(qb, 't.region_id', 'scope', filter.scopePath);
    return qb;
  }

  /** Demo mode: the deployed terminals and the failures since `since`, for the history it plants. */
  async demoSubjects(since: Date): Promise<{ terminals: DemoHistoryTerminal[]; failures: DemoHistoryFailure[] }> {
    const failures = await this.failureTickets()
      .select(['i.terminal_id AS terminal_id', 'i.symptom AS symptom', 'i.occurred_at AS occurred_at', 'i.restored_at AS restored_at'])
      .andWhere('i.occurred_at >= :since', { since })
      .getRawMany<Record<string, unknown>>();
    const failed = [...new Set(failures.map((row) => Number(row.terminal_id)))];
    const terminals = await this.select()
      .select(['t.id AS id', 't.category AS category', 't.status AS status'])
      .from('terminals', 't')
      .where(failed.length > 0 ? "(t.status = 'deployed' OR t.id IN (:...failed))" : "t.status = 'deployed'", { failed })
      .orderBy('t.id', 'ASC')
      .getRawMany<{ id: number | string; category: TerminalCategory; status: TerminalStatus }>();
    return {
      terminals: terminals.map((row) => ({ id: Number(row.id), category: row.category, status: row.status })),
      failures: failures.map((row) => ({
        terminalId: Number(row.terminal_id),
        symptom: row.symptom as IncidentSymptom,
        occurredAt: new Date(epochMs(row.occurred_at)).toISOString(),
        restoredAt: row.restored_at === null || row.restored_at === undefined ? null : new Date(epochMs(row.restored_at)).toISOString(),
      })),
    };
  }

  /** Demo mode: daily rollups, and each drop-out as the pair of status changes live health would have written. */
  async insertHistory(tx: Tx, histories: readonly DemoTerminalHistory[]): Promise<void> {
    await this.insertRows(
      tx,
      'heartbeat_rollups',
      ['terminal_id', 'granularity', 'bucket_start', 'samples', 'up_ms', 'battery_min', 'battery_avg', 'signal_min', 'signal_avg', 'temperature_max', 'error_count', 'transactions', 'prints'],
      histories.flatMap(({ rollups }) =>
        rollups.map((row) => [row.terminalId, 'day', row.bucketStart, row.samples, row.upMs, row.batteryMin, row.batteryAvg, row.signalMin, row.signalAvg, row.temperatureMax, row.errorCount, row.transactions, row.prints]),
      ),
      'ON CONFLICT (terminal_id, granularity, bucket_start) DO NOTHING',
    );
    const monitored = this.sqlite ? 1 : true;
    await this.insertRows(
      tx,
      'status_changes',
      ['terminal_id', 'from_state', 'to_state', 'reasons', 'at', 'monitored'],
      histories.flatMap(({ terminalId, dropouts }) =>
        dropouts.flatMap((dropout) => [
          [terminalId, 'online', 'offline', 0, dropout.offlineAt, monitored],
          [terminalId, 'offline', 'online', 0, dropout.onlineAt, monitored],
        ]),
      ),
    );
  }

  private async insertRows(tx: Tx, table: string, columns: readonly string[], rows: readonly unknown[][], suffix = ''): Promise<void> {
    for (let start = 0; start < rows.length; start += INSERT_ROWS) {
      const chunk = rows.slice(start, start + INSERT_ROWS);
      const values = chunk.map((_, r) => `(${columns.map((_column, c) => (this.sqlite ? '?' : `$${r * columns.length + c + 1}`)).join(', ')})`);
      await tx.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values.join(', ')} ${suffix}`, chunk.flat());
    }
  }
}
