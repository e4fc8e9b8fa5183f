/**
 * `job_state`: small named values a job keeps between runs (a watermark, the
 * instant it last finished), written in the same transaction as the rows the
 * run produced, so a run cut short resumes from what it really wrote.
 */
import type { DataSource } from 'typeorm';
import type { Tx } from './transaction';

export async function readJobState(dataSource: DataSource, name: string): Promise<string | null> {
  const row = await dataSource.createQueryBuilder().select('j.value', 'value').from('job_state', 'j').where('j.name = :name', { name }).getRawOne<{ value: string }>();
  return row?.value ?? null;
}

export async function writeJobState(tx: Tx, name: string, value: string, now: Date): Promise<void> {
  const sqlite = tx.connection.options.type === 'better-sqlite3';
  const param = (index: number) => (sqlite ? '?' : `$${index}`);
  await tx.query(
    `INSERT INTO job_state (name, value, updated_at) VALUES (${param(1)}, ${param(2)}, ${param(3)})
     ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    [name, value, sqlite ? now.toISOString().replace('T', ' ').replace('Z', '') : now],
  );
}
