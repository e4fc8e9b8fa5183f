/**
 * Inserts many rows fast on both engines, inside the caller's transaction:
 * on SQLite one prepared statement run per row (the statement is compiled
 * once; better-sqlite3 runs it without leaving C for each row), on
 * PostgreSQL one INSERT ... SELECT FROM unnest(arrays) per 10,000 rows. For
 * the rollups, which write tens of thousands of cells per run.
 */
import type { Tx } from './transaction';

export type BulkColumnType = 'integer' | 'bigint' | 'double precision' | 'text';

interface SqliteDatabase {
  prepare(sql: string): { run(...values: unknown[]): unknown };
}

const PG_CHUNK = 10_000;

export async function bulkInsert(tx: Tx, table: string, columns: readonly (readonly [string, BulkColumnType])[], rows: readonly (readonly unknown[])[]): Promise<void> {
  if (rows.length === 0) return;
  const names = columns.map(([name]) => name).join(', ');
  if (tx.connection.options.type === 'better-sqlite3') {
    const db = (tx.connection.driver as unknown as { databaseConnection: SqliteDatabase }).databaseConnection;
    const statement = db.prepare(`INSERT INTO ${table} (${names}) VALUES (${columns.map(() => '?').join(', ')})`);
    for (const row of rows) statement.run(...row);
    return;
  }
  const select = columns.map(([, type], index) => `$${index + 1}::${type}[]`).join(', ');
  for (let i = 0; i < rows.length; i += PG_CHUNK) {
    const chunk = rows.slice(i, i + PG_CHUNK);
    await tx.query(`INSERT INTO ${table} (${names}) SELECT * FROM unnest(${select})`, columns.map((_column, index) => chunk.map((row) => row[index])));
  }
}
