/**
 * Bulk writes of the demo's generated fault tickets: multi-row inserts in
 * chunks (bound-parameter limits), inside the caller's transaction. Rows come
 * back with their ids by a natural key, because SQLite's driver cannot return
 * the ids of a multi-row insert.
 */
import { Injectable } from '@nestjs/common';
import type { EntityTarget, ObjectLiteral, QueryDeepPartialEntity } from 'typeorm';
import type { Tx } from '../database/transaction';
import { IncidentCostEntity } from '../incidents/incident-cost.entity';
import { IncidentEventEntity } from '../incidents/incident-event.entity';
import { IncidentEntity } from '../incidents/incident.entity';

/** About 65 columns a ticket: 100 rows stay far below SQLite's and PostgreSQL's parameter limits. */
const TICKETS_PER_INSERT = 100;
const ROWS_PER_INSERT = 500;

@Injectable()
export class DemoIncidentsRepository {
  /** Inserts tickets and returns their ids in the order given; a terminal's tickets must differ in their report instant. */
  async insertIncidents(tx: Tx, rows: Omit<IncidentEntity, 'id'>[]): Promise<number[]> {
    const ids: number[] = [];
    for (let start = 0; start < rows.length; start += TICKETS_PER_INSERT) {
      const chunk = rows.slice(start, start + TICKETS_PER_INSERT);
      await insertRows(tx, IncidentEntity, chunk);
      const found = await tx
        .createQueryBuilder(IncidentEntity, 'i')
        .select(['i.id', 'i.terminalId', 'i.reportedAt'])
        .where('i.terminal_id IN (:...terminals)', { terminals: [...new Set(chunk.map((row) => row.terminalId))] })
        .getMany();
      const idOf = new Map(found.map((row) => [`${row.terminalId}@${row.reportedAt.getTime()}`, row.id]));
      for (const row of chunk) {
        const id = idOf.get(`${row.terminalId}@${row.reportedAt.getTime()}`);
        if (id === undefined) throw new Error(`demo ticket of terminal ${row.terminalId} not found after insert`);
        ids.push(id);
      }
    }
    return ids;
  }

  /** Inserts each ticket's cost lines and returns their ids, ticket by ticket, in the order given. */
  async insertCosts(tx: Tx, linesByTicket: Omit<IncidentCostEntity, 'id'>[][]): Promise<number[][]> {
    const ids: number[][] = linesByTicket.map(() => []);
    // Whole tickets per insert, so the ids read back by ticket are exactly this insert's.
    let batch: number[] = [];
    let size = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      const rows = batch.flatMap((index) => linesByTicket[index]!);
      await insertRows(tx, IncidentCostEntity, rows);
      const found = await tx
        .createQueryBuilder(IncidentCostEntity, 'c')
        .select(['c.id', 'c.incidentId'])
        .where('c.incident_id IN (:...incidents)', { incidents: [...new Set(rows.map((row) => row.incidentId))] })
        .orderBy('c.id', 'ASC')
        .getMany();
      const byTicket = new Map<number, number[]>();
      for (const row of found) byTicket.set(row.incidentId, [...(byTicket.get(row.incidentId) ?? []), row.id]);
      for (const index of batch) {
        const lines = linesByTicket[index]!;
        const got = byTicket.get(lines[0]!.incidentId) ?? [];
        if (got.length !== lines.length) throw new Error(`demo ticket ${lines[0]!.incidentId}: ${got.length} cost lines found after inserting ${lines.length}`);
        ids[index] = got;
      }
      batch = [];
      size = 0;
    };
    for (const [index, lines] of linesByTicket.entries()) {
      if (lines.length === 0) continue;
      if (size + lines.length > ROWS_PER_INSERT) await flush();
      batch.push(index);
      size += lines.length;
    }
    await flush();
    return ids;
  }

  async insertEvents(tx: Tx, rows: Omit<IncidentEventEntity, 'id'>[]): Promise<void> {
    for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) await insertRows(tx, IncidentEventEntity, rows.slice(start, start + ROWS_PER_INSERT));
  }
}

/**
 * One multi-row INSERT, without TypeORM reading generated columns back row by
 * row. The public methods type the rows; TypeORM's deep-partial type cannot
 * express the JSON columns' Record<string, unknown>, hence the cast.
 */
async function insertRows<T extends ObjectLiteral>(tx: Tx, entity: EntityTarget<T>, rows: readonly Omit<T, 'id'>[]): Promise<void> {
  if (rows.length === 0) return;
  await tx
    .createQueryBuilder()
    .insert()
    .into(entity)
    .values(rows as unknown as QueryDeepPartialEntity<T>[])
    .updateEntity(false)
    .execute();
}
