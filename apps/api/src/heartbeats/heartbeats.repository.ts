/**
 * The heartbeat tables. The hot path (append, upsert state, status changes)
 * bypasses the ORM's per-row work: prepared statements on the shared
 * better-sqlite3 connection inside the caller's transaction, and one
 * multi-row `unnest` statement per table on PostgreSQL.
 */
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { HealthCounts } from '@fleet/shared';
import { readJobState, writeJobState } from '../database/job-state';
import type { Tx } from '../database/transaction';
import {
  HEALTH_COLUMNS,
  HEARTBEAT_COLUMNS,
  healthValues,
  heartbeatValues,
  type HealthRow,
  type HealthStateRow,
  type HeartbeatRow,
  type RollupRow,
  type StatusChangeRow,
} from './heartbeat-rows';

interface SqliteStatement {
  run(...params: unknown[]): { changes: number };
  all(...params: unknown[]): unknown[];
}
interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
}

const PG_TYPES: Record<string, string> = {
  terminal_id: 'int',
  sequence: 'bigint',
  sent_at: 'bigint',
  received_at: 'bigint',
  battery_pct: 'smallint',
  charging: 'boolean',
  signal_dbm: 'smallint',
  network: 'varchar',
  printer: 'varchar',
  temperature_c: 'real',
  firmware_version: 'varchar',
  app_version: 'varchar',
  last_transaction_at: 'bigint',
  transaction_count: 'bigint',
  print_count: 'bigint',
  error_codes: 'varchar',
  lat: 'real',
  lon: 'real',
  up_ms: 'int',
  error_count: 'int',
  transactions: 'int',
  prints: 'int',
  state: 'varchar',
  reasons: 'int',
  since: 'bigint',
  last_seen_at: 'bigint',
  last_sent_at: 'bigint',
  last_sequence: 'bigint',
  error_streak: 'int',
  from_state: 'varchar',
  to_state: 'varchar',
  at: 'bigint',
  monitored: 'boolean',
};

const STATUS_CHANGE_COLUMNS = ['terminal_id', 'from_state', 'to_state', 'reasons', 'at', 'monitored'] as const;
const HEALTH_STATE_COLUMNS = ['terminal_id', 'state', 'reasons', 'since', 'error_streak'] as const;

/** Numbers from bigint columns come back as strings from PostgreSQL. */
const num = (value: unknown): number => (typeof value === 'number' ? value : Number(value));
const numOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : num(value));
const boolOrNull = (value: unknown): boolean | null => (value === null || value === undefined ? null : value === true || value === 1);

export type Granularity = 'hour' | 'day';

@Injectable()
export class HeartbeatsRepository {
  private readonly sqlite: boolean;
  private readonly statements = new Map<string, SqliteStatement>();

  constructor(private readonly dataSource: DataSource) {
    this.sqlite = dataSource.options.type === 'better-sqlite3';
  }

  /** Appends heartbeats, skipping any already stored; returns which rows were new. */
  async appendHeartbeats(tx: Tx, rows: readonly HeartbeatRow[]): Promise<boolean[]> {
    if (rows.length === 0) return [];
    if (this.sqlite) {
      const insert = this.prepared(`INSERT INTO heartbeats (${HEARTBEAT_COLUMNS.join(', ')}) VALUES (${HEARTBEAT_COLUMNS.map(() => '?').join(', ')}) ON CONFLICT DO NOTHING`);
      return rows.map((row) => insert.run(...sqliteValues(heartbeatValues(row))).changes === 1);
    }
    const inserted: { terminal_id: number; sequence: string }[] = await tx.query(
      `INSERT INTO heartbeats (${HEARTBEAT_COLUMNS.join(', ')}) ${unnest(HEARTBEAT_COLUMNS)} ON CONFLICT DO NOTHING RETURNING terminal_id, sequence`,
      columnArrays(rows.map(heartbeatValues), HEARTBEAT_COLUMNS.length),
    );
    // A key repeated within the batch is inserted once: its first occurrence (rows go in in order).
    const keys = new Set(inserted.map((row) => `${row.terminal_id}:${row.sequence}`));
    return rows.map((row) => keys.delete(`${row.terminalId}:${row.sequence}`));
  }

  /** Writes each terminal's newest values and state; one row per terminal. */
  async upsertHealth(tx: Tx, rows: readonly HealthRow[]): Promise<void> {
    if (rows.length === 0) return;
    const updates = HEALTH_COLUMNS.filter((column) => column !== 'terminal_id')
      .map((column) => `${column} = excluded.${column}`)
      .join(', ');
    if (this.sqlite) {
      const upsert = this.prepared(`INSERT INTO terminal_health (${HEALTH_COLUMNS.join(', ')}) VALUES (${HEALTH_COLUMNS.map(() => '?').join(', ')}) ON CONFLICT (terminal_id) DO UPDATE SET ${updates}`);
      for (const row of rows) upsert.run(...sqliteValues(healthValues(row)));
      return;
    }
    await tx.query(
      `INSERT INTO terminal_health (${HEALTH_COLUMNS.join(', ')}) ${unnest(HEALTH_COLUMNS)} ON CONFLICT (terminal_id) DO UPDATE SET ${updates}`,
      columnArrays(rows.map(healthValues), HEALTH_COLUMNS.length),
    );
  }

  /** Changes the state of terminals that changed without a heartbeat (they went offline). */
  async updateHealthState(tx: Tx, rows: readonly HealthStateRow[]): Promise<void> {
    if (rows.length === 0) return;
    const values = (row: HealthStateRow) => [row.terminalId, row.state, row.reasons, row.since, row.errorStreak];
    if (this.sqlite) {
      const update = this.prepared('UPDATE terminal_health SET state = ?, reasons = ?, since = ?, error_streak = ? WHERE terminal_id = ?');
      for (const row of rows) update.run(row.state, row.reasons, row.since, row.errorStreak, row.terminalId);
      return;
    }
    await tx.query(
      `UPDATE terminal_health AS h SET state = u.state, reasons = u.reasons, since = u.since, error_streak = u.error_streak
       FROM (${unnest(HEALTH_STATE_COLUMNS)}) AS u (${HEALTH_STATE_COLUMNS.join(', ')}) WHERE h.terminal_id = u.terminal_id`,
      columnArrays(rows.map(values), HEALTH_STATE_COLUMNS.length),
    );
  }

  async insertStatusChanges(tx: Tx, rows: readonly StatusChangeRow[]): Promise<void> {
    if (rows.length === 0) return;
    const values = (row: StatusChangeRow) => [row.terminalId, row.from, row.to, row.reasons, row.at, row.monitored];
    if (this.sqlite) {
      const insert = this.prepared(`INSERT INTO status_changes (${STATUS_CHANGE_COLUMNS.join(', ')}) VALUES (?, ?, ?, ?, ?, ?)`);
      for (const row of rows) insert.run(...sqliteValues(values(row)));
      return;
    }
    for (let start = 0; start < rows.length; start += 20_000) {
      await tx.query(`INSERT INTO status_changes (${STATUS_CHANGE_COLUMNS.join(', ')}) ${unnest(STATUS_CHANGE_COLUMNS)}`, columnArrays(rows.slice(start, start + 20_000).map(values), STATUS_CHANGE_COLUMNS.length));
    }
  }

  /** Every persisted health row, in id order, a chunk at a time (the restart rebuild). */
  async *streamHealth(chunk = 50_000): AsyncGenerator<HealthRow[]> {
    let after = 0;
    for (;;) {
      const raw: Record<string, unknown>[] = await this.dataSource.query(
        `SELECT ${HEALTH_COLUMNS.join(', ')} FROM terminal_health WHERE terminal_id > ${this.param(1)} ORDER BY terminal_id LIMIT ${chunk}`,
        [after],
      );
      if (raw.length === 0) return;
      const rows = raw.map(toHealthRow);
      yield rows;
      after = rows[rows.length - 1]!.terminalId;
    }
  }

  async findHealth(terminalId: number): Promise<HealthRow | null> {
    const [raw] = await this.dataSource.query(`SELECT ${HEALTH_COLUMNS.join(', ')} FROM terminal_health WHERE terminal_id = ${this.param(1)}`, [terminalId]);
    return raw ? toHealthRow(raw as Record<string, unknown>) : null;
  }

  async listStatusChanges(terminalId: number, fromMs: number, toMs: number, offset: number, limit: number): Promise<{ rows: (StatusChangeRow & { id: number })[]; total: number }> {
    const where = `WHERE terminal_id = ${this.param(1)} AND at >= ${this.param(2)} AND at < ${this.param(3)}`;
    const [raw, [count]] = await Promise.all([
      this.dataSource.query(`SELECT id, ${STATUS_CHANGE_COLUMNS.join(', ')} FROM status_changes ${where} ORDER BY at DESC, id DESC LIMIT ${limit} OFFSET ${offset}`, [terminalId, fromMs, toMs]),
      this.dataSource.query(`SELECT COUNT(*) AS total FROM status_changes ${where}`, [terminalId, fromMs, toMs]),
    ]);
    return {
      rows: (raw as Record<string, unknown>[]).map((row) => ({
        id: num(row.id),
        terminalId: num(row.terminal_id),
        from: row.from_state as StatusChangeRow['from'],
        to: row.to_state as StatusChangeRow['to'],
        reasons: num(row.reasons),
        at: num(row.at),
        monitored: row.monitored === true || row.monitored === 1,
      })),
      total: num((count as { total: unknown }).total),
    };
  }

  /** Raw heartbeats of one terminal as chart points, oldest first. */
  async rawSeries(terminalId: number, fromMs: number, toMs: number, limit: number): Promise<RollupRow[]> {
    const raw: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT received_at, up_ms, battery_pct, signal_dbm, temperature_c, error_count, transactions, prints FROM heartbeats
       WHERE terminal_id = ${this.param(1)} AND received_at >= ${this.param(2)} AND received_at < ${this.param(3)} ORDER BY received_at LIMIT ${limit}`,
      [terminalId, fromMs, toMs],
    );
    return raw.map((row) => ({
      bucketStart: num(row.received_at),
      samples: 1,
      upMs: num(row.up_ms),
      batteryMin: numOrNull(row.battery_pct),
      batteryAvg: numOrNull(row.battery_pct),
      signalMin: numOrNull(row.signal_dbm),
      signalAvg: numOrNull(row.signal_dbm),
      temperatureMax: numOrNull(row.temperature_c),
      errorCount: num(row.error_count),
      transactions: num(row.transactions),
      prints: num(row.prints),
    }));
  }

  async rollupSeries(terminalId: number, granularity: Granularity, fromMs: number, toMs: number): Promise<RollupRow[]> {
    const raw: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT bucket_start, samples, up_ms, battery_min, battery_avg, signal_min, signal_avg, temperature_max, error_count, transactions, prints FROM heartbeat_rollups
       WHERE terminal_id = ${this.param(1)} AND granularity = ${this.param(2)} AND bucket_start >= ${this.param(3)} AND bucket_start < ${this.param(4)} ORDER BY bucket_start`,
      [terminalId, granularity, fromMs, toMs],
    );
    return raw.map((row) => ({
      bucketStart: num(row.bucket_start),
      samples: num(row.samples),
      upMs: num(row.up_ms),
      batteryMin: numOrNull(row.battery_min),
      batteryAvg: numOrNull(row.battery_avg),
      signalMin: numOrNull(row.signal_min),
      signalAvg: numOrNull(row.signal_avg),
      temperatureMax: numOrNull(row.temperature_max),
      errorCount: num(row.error_count),
      transactions: num(row.transactions),
      prints: num(row.prints),
    }));
  }

  /**
   * Rolls the raw heartbeats received in [start, end) into one row per
   * terminal; running it again replaces the rows, so a job cut short can rerun.
   */
  async rollUpHour(tx: Tx, startMs: number, endMs: number): Promise<number> {
    return this.rollUp(
      tx,
      `SELECT terminal_id, 'hour', CAST(${this.param(1)} AS BIGINT), COUNT(*), SUM(up_ms), MIN(battery_pct), AVG(battery_pct), MIN(signal_dbm), AVG(signal_dbm),
              MAX(temperature_c), SUM(error_count), SUM(transactions), SUM(prints)
       FROM heartbeats WHERE received_at >= ${this.param(2)} AND received_at < ${this.param(3)} GROUP BY terminal_id`,
      [startMs, startMs, endMs],
    );
  }

  /** Rolls the hourly rows of [start, end) into one daily row per terminal (averages weighted by samples). */
  async rollUpDay(tx: Tx, startMs: number, endMs: number): Promise<number> {
    return this.rollUp(
      tx,
      `SELECT terminal_id, 'day', CAST(${this.param(1)} AS BIGINT), SUM(samples), SUM(up_ms), MIN(battery_min), SUM(battery_avg * samples) / SUM(samples),
              MIN(signal_min), SUM(signal_avg * samples) / SUM(samples), MAX(temperature_max), SUM(error_count), SUM(transactions), SUM(prints)
       FROM heartbeat_rollups WHERE granularity = 'hour' AND bucket_start >= ${this.param(2)} AND bucket_start < ${this.param(3)} GROUP BY terminal_id`,
      [startMs, startMs, endMs],
    );
  }

  private async rollUp(tx: Tx, select: string, params: unknown[]): Promise<number> {
    const columns = 'terminal_id, granularity, bucket_start, samples, up_ms, battery_min, battery_avg, signal_min, signal_avg, temperature_max, error_count, transactions, prints';
    const updates = columns
      .split(', ')
      .slice(3)
      .map((column) => `${column} = excluded.${column}`)
      .join(', ');
    // "WHERE true" lets SQLite parse ON CONFLICT after a SELECT.
    const sql = `INSERT INTO heartbeat_rollups (${columns}) SELECT * FROM (${select}) AS r WHERE true ON CONFLICT (terminal_id, granularity, bucket_start) DO UPDATE SET ${updates}`;
    if (this.sqlite) return this.prepared(sql).run(...params).changes;
    const result: unknown = await tx.query(`${sql} RETURNING 1`, params);
    return Array.isArray(result) ? result.length : 0;
  }

  /** Deletes raw heartbeats received in [from, to); the retention job walks hour by hour. */
  async deleteHeartbeats(tx: Tx, fromMs: number, toMs: number): Promise<number> {
    return this.deleteRange(tx, `DELETE FROM heartbeats WHERE received_at >= ${this.param(1)} AND received_at < ${this.param(2)}`, [fromMs, toMs]);
  }

  async deleteRollups(tx: Tx, granularity: Granularity, beforeMs: number): Promise<number> {
    return this.deleteRange(tx, `DELETE FROM heartbeat_rollups WHERE granularity = ${this.param(1)} AND bucket_start < ${this.param(2)}`, [granularity, beforeMs]);
  }

  async oldestHeartbeat(): Promise<number | null> {
    const [row] = await this.dataSource.query('SELECT MIN(received_at) AS oldest FROM heartbeats');
    return numOrNull((row as { oldest: unknown } | undefined)?.oldest);
  }

  getJobState(name: string): Promise<string | null> {
    return readJobState(this.dataSource, name);
  }

  setJobState(tx: Tx, name: string, value: string, now: Date): Promise<void> {
    return writeJobState(tx, name, value, now);
  }

  /** Records the fleet's counts at `atMs`; an instant already sampled (by another instance) is kept as it is. */
  async insertFleetSample(tx: Tx, atMs: number, counts: HealthCounts): Promise<void> {
    await tx.query(
      `INSERT INTO fleet_health_samples (at, online, degraded, offline, unknown) VALUES (${[1, 2, 3, 4, 5].map((i) => this.param(i)).join(', ')}) ON CONFLICT (at) DO NOTHING`,
      [atMs, counts.online, counts.degraded, counts.offline, counts.unknown],
    );
  }

  /** Samples in [from, to), averaged per bucket of `bucketMs` (a multiple of the sampling interval). */
  async fleetSamples(fromMs: number, toMs: number, bucketMs: number): Promise<{ at: number; counts: HealthCounts }[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT at - (at % ${this.param(1)}) AS bucket, AVG(online) AS online, AVG(degraded) AS degraded, AVG(offline) AS offline, AVG(unknown) AS unknown
       FROM fleet_health_samples WHERE at >= ${this.param(2)} AND at < ${this.param(3)} GROUP BY 1 ORDER BY 1`,
      [bucketMs, fromMs, toMs],
    );
    return rows.map((row) => ({
      at: Number(row.bucket),
      counts: { online: Math.round(Number(row.online)), degraded: Math.round(Number(row.degraded)), offline: Math.round(Number(row.offline)), unknown: Math.round(Number(row.unknown)) },
    }));
  }

  /** Reporting (online + degraded) and monitored terminal-samples in [from, to), and the first sample. */
  async fleetAvailability(fromMs: number, toMs: number): Promise<{ reporting: number; monitored: number; first: number | null }> {
    const [row] = await this.dataSource.query(
      `SELECT SUM(online + degraded) AS reporting, SUM(online + degraded + offline + unknown) AS monitored, MIN(at) AS first
       FROM fleet_health_samples WHERE at >= ${this.param(1)} AND at < ${this.param(2)}`,
      [fromMs, toMs],
    );
    const values = row as { reporting: unknown; monitored: unknown; first: unknown };
    return { reporting: Number(values.reporting ?? 0), monitored: Number(values.monitored ?? 0), first: numOrNull(values.first) };
  }

  async deleteFleetSamples(tx: Tx, beforeMs: number): Promise<number> {
    return this.deleteRange(tx, `DELETE FROM fleet_health_samples WHERE at < ${this.param(1)}`, [beforeMs]);
  }

  private async deleteRange(tx: Tx, sql: string, params: unknown[]): Promise<number> {
    if (this.sqlite) return this.prepared(sql).run(...params).changes;
    const result: unknown = await tx.query(`${sql} RETURNING 1`, params);
    return Array.isArray(result) ? result.length : 0;
  }

  private param(index: number): string {
    return this.sqlite ? '?' : `$${index}`;
  }

  /** Statements on the connection TypeORM shares; callers hold the transaction queue (TransactionRunner). */
  private prepared(sql: string): SqliteStatement {
    let statement = this.statements.get(sql);
    if (!statement) {
      const db = (this.dataSource.driver as unknown as { databaseConnection: SqliteDatabase }).databaseConnection;
      statement = db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

/** better-sqlite3 binds numbers, strings, bigints, buffers and null; booleans become 0/1. */
function sqliteValues(values: unknown[]): unknown[] {
  return values.map((value) => (typeof value === 'boolean' ? (value ? 1 : 0) : value));
}

function unnest(columns: readonly string[]): string {
  return `SELECT * FROM unnest(${columns.map((column, index) => `$${index + 1}::${PG_TYPES[column]}[]`).join(', ')})`;
}

function columnArrays(rows: unknown[][], width: number): unknown[][] {
  const arrays: unknown[][] = Array.from({ length: width }, () => new Array<unknown>(rows.length));
  rows.forEach((row, r) => row.forEach((value, c) => (arrays[c]![r] = value)));
  return arrays;
}

function toHealthRow(raw: Record<string, unknown>): HealthRow {
  return {
    terminalId: num(raw.terminal_id),
    state: raw.state as HealthRow['state'],
    reasons: num(raw.reasons),
    since: num(raw.since),
    lastSeenAt: num(raw.last_seen_at),
    lastSentAt: num(raw.last_sent_at),
    lastSequence: num(raw.last_sequence),
    errorStreak: num(raw.error_streak),
    batteryPct: numOrNull(raw.battery_pct),
    charging: boolOrNull(raw.charging),
    signalDbm: numOrNull(raw.signal_dbm),
    network: (raw.network as HealthRow['network']) ?? null,
    printer: (raw.printer as HealthRow['printer']) ?? null,
    temperatureC: numOrNull(raw.temperature_c),
    firmwareVersion: (raw.firmware_version as string | null) ?? null,
    appVersion: (raw.app_version as string | null) ?? null,
    lastTransactionAt: numOrNull(raw.last_transaction_at),
    transactionCount: numOrNull(raw.transaction_count),
    printCount: numOrNull(raw.print_count),
    errorCodes: (raw.error_codes as string | null) ?? null,
    lat: numOrNull(raw.lat),
    lon: numOrNull(raw.lon),
  };
}
