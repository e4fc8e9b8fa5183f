/** Terminals per referenced record (model, supplier, region, merchant, policy), from the index on that column. */
import type { EntityManager } from 'typeorm';

export type TerminalReference = 'model_id' | 'supplier_id' | 'region_id' | 'merchant_id' | 'insurance_policy_id';

export async function countTerminalsBy(manager: EntityManager, column: TerminalReference, ids?: number[]): Promise<Map<number, number>> {
  if (ids && ids.length === 0) return new Map();
  const qb = manager.createQueryBuilder().select(`t.${column}`, 'id').addSelect('COUNT(*)', 'count').from('terminals', 't');
  if (ids) qb.where(`t.${column} IN (:...ids)`, { ids });
  else qb.where(`t.${column} IS NOT NULL`);
  const rows: { id: number; count: string | number }[] = await qb.groupBy(`t.${column}`).getRawMany();
  return new Map(rows.map((row) => [Number(row.id), Number(row.count)]));
}
