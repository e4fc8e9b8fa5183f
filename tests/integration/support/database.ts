/**
 * Direct access to the database of a running test API, for the few tests that
 * must plant more rows than HTTP would create in reasonable time (a fleet of
 * thousands with years of history). SQL is written with `?` placeholders and
 * runs on the engine the suite runs on: the API's SQLite file or its schema
 * on PostgreSQL.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import { testDatabaseUrl, type RunningApi } from '../../support/server';

export interface TestDatabase {
  /** An instant as the engine's timestamp column takes it. */
  timestamp(iso: string): string;
  insert(table: string, columns: readonly string[], rows: readonly (readonly unknown[])[]): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs `work` in one transaction, so the API's jobs never see half of what it writes. */
  transaction(work: () => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

const PG_ROWS_PER_INSERT = 500;

export async function openDatabase(api: RunningApi): Promise<TestDatabase> {
  const databaseUrl = testDatabaseUrl();
  if (databaseUrl) {
    const client = new PgClient({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`SET search_path TO "${api.schema}"`);
    const numbered = (sql: string) => {
      let index = 0;
      return sql.replace(/\?/g, () => `$${++index}`);
    };
    return {
      timestamp: (iso) => iso,
      insert: async (table, columns, rows) => {
        for (let i = 0; i < rows.length; i += PG_ROWS_PER_INSERT) {
          const chunk = rows.slice(i, i + PG_ROWS_PER_INSERT);
          const values = chunk.map((row) => `(${row.map(() => '?').join(', ')})`).join(', ');
          await client.query(numbered(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values}`), chunk.flat() as unknown[]);
        }
      },
      query: async <T>(sql: string, params: readonly unknown[] = []) => (await client.query(numbered(sql), params as unknown[])).rows as T[],
      transaction: async (work) => {
        await client.query('BEGIN');
        try {
          await work();
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
      },
      close: () => client.end(),
    };
  }
  const db = new Database(join(api.dataDir, 'fleet.sqlite'));
  db.pragma('busy_timeout = 10000');
  return {
    timestamp: (iso) => iso.replace('T', ' ').replace('Z', ''),
    insert: async (table, columns, rows) => {
      const statement = db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
      db.transaction(() => rows.forEach((row) => statement.run(...row)))();
    },
    query: async <T>(sql: string, params: readonly unknown[] = []) => {
      const statement = db.prepare(sql);
      return (statement.reader ? statement.all(...params) : (statement.run(...params), [])) as T[];
    },
    // Inserts made inside run in savepoints of this transaction (better-sqlite3 nests them).
    transaction: async (work) => {
      db.exec('BEGIN IMMEDIATE');
      try {
        await work();
        db.exec('COMMIT');
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    },
    close: async () => void db.close(),
  };
}
