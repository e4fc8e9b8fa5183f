/**
 * Terminal queries. Every list filter and sort has an index (see the
 * migration); text search is a prefix range on asset and serial numbers, so a
 * million terminals stay fast to page through.
 */
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository, type SelectQueryBuilder } from 'typeorm';
import type { ListTerminalsQuery, TerminalSortField, TerminalStatus } from '@fleet/shared';
import { inRegionSubtree, prefixUpperBound } from '../database/ranges';
import { updateIfVersion, type Tx } from '../database/transaction';
import { TerminalEntity } from './terminal.entity';

export interface TerminalFilter extends Omit<ListTerminalsQuery, 'page' | 'pageSize' | 'regionId'> {
  /** Materialised path of the region whose sub-tree to include. */
  regionPath?: string;
  /** The user's region scope (a path): only its sub-tree, whatever else is asked. */
  scopePath?: string;
  today: string;
  warrantyEndsBy?: string;
}

const SORT_COLUMNS: Record<TerminalSortField, string> = {
  assetNumber: 't.asset_number',
  serialNumber: 't.serial_number',
  status: 't.status',
  purchaseDate: 't.purchase_date',
  warrantyEnd: 't.warranty_end',
  createdAt: 't.created_at',
  updatedAt: 't.updated_at',
};


export interface WarrantyEndingRow {
  id: number;
  assetNumber: string;
  regionId: number;
  warrantyEnd: string;
  modelId: number;
  modelName: string;
  status: TerminalStatus;
}

export interface TerminalAttributesRow {
  id: number;
  regionId: number;
  modelId: number;
  supplierId: number;
  status: TerminalStatus;
}

function toAttributes(row: TerminalAttributesRow): TerminalAttributesRow {
  return { id: Number(row.id), regionId: Number(row.regionId), modelId: Number(row.modelId), supplierId: Number(row.supplierId), status: row.status };
}

/** Only terminals of the region at `path` and its sub-regions (a path range, so the regions' path index serves it). */
function inSubtree(qb: SelectQueryBuilder<TerminalEntity>, name: string, path: string | undefined): SelectQueryBuilder<TerminalEntity> {
  if (!path) return qb;
  return inRegionSubtree(qb, 't.region_id', name, path);
}

@Injectable()
export class TerminalsRepository {
  constructor(@InjectRepository(TerminalEntity) private readonly terminals: Repository<TerminalEntity>) {}

  findById(id: number): Promise<TerminalEntity | null> {
    return this.withReferences(this.terminals.createQueryBuilder('t')).where('t.id = :id', { id }).getOne();
  }

  findBySerial(serialNumber: string): Promise<TerminalEntity | null> {
    return this.terminals.findOneBy({ serialNumber });
  }

  findByAssetNumber(assetNumber: string): Promise<TerminalEntity | null> {
    return this.terminals.findOneBy({ assetNumber });
  }

  findByAssetNumbersOrSerials(assetNumbers: string[], serials: string[]): Promise<TerminalEntity[]> {
    const where = [];
    if (assetNumbers.length) where.push({ assetNumber: In(assetNumbers) });
    if (serials.length) where.push({ serialNumber: In(serials) });
    return where.length ? this.terminals.find({ where }) : Promise.resolve([]);
  }

  count(): Promise<number> {
    return this.terminals.count();
  }

  async list(filter: TerminalFilter, offset: number, limit: number): Promise<[TerminalEntity[], number]> {
    const qb = this.filtered(filter);
    const total = await qb.clone().getCount();
    const direction = filter.order === 'desc' ? 'DESC' : 'ASC';
    // Page ids first (index-only), then load those rows with their references.
    const ids = await qb
      .clone()
      .select('t.id', 'id')
      .orderBy(SORT_COLUMNS[filter.sort ?? 'assetNumber'], direction)
      .addOrderBy('t.id', direction)
      .offset(offset)
      .limit(limit)
      .getRawMany<{ id: number }>();
    if (ids.length === 0) return [[], total];
    const rows = await this.withReferences(this.terminals.createQueryBuilder('t'))
      .where('t.id IN (:...ids)', { ids: ids.map((row) => Number(row.id)) })
      .getMany();
    const byId = new Map(rows.map((row) => [row.id, row]));
    return [ids.map((row) => byId.get(Number(row.id))).filter((row): row is TerminalEntity => row !== undefined), total];
  }

  /** Every matching terminal in id order, a page at a time, for the export. */
  async *stream(filter: TerminalFilter, pageSize = 1000): AsyncGenerator<TerminalEntity[]> {
    let after = 0;
    for (;;) {
      const rows = await this.withReferences(this.filtered(filter))
        .andWhere('t.id > :after', { after })
        .orderBy('t.id', 'ASC')
        .take(pageSize)
        .getMany();
      if (rows.length === 0) return;
      yield rows;
      after = rows[rows.length - 1]!.id;
    }
  }

  /** What live health needs of each terminal, in id order, a chunk at a time. */
  async *streamAttributes(pageSize = 50_000): AsyncGenerator<TerminalAttributesRow[]> {
    let after = 0;
    for (;;) {
      const rows = await this.attributesQuery().where('t.id > :after', { after }).orderBy('t.id', 'ASC').limit(pageSize).getRawMany<TerminalAttributesRow>();
      if (rows.length === 0) return;
      yield rows.map(toAttributes);
      after = Number(rows[rows.length - 1]!.id);
    }
  }

  async attributesOf(ids: number[]): Promise<TerminalAttributesRow[]> {
    if (ids.length === 0) return [];
    return (await this.attributesQuery().where('t.id IN (:...ids)', { ids }).getRawMany<TerminalAttributesRow>()).map(toAttributes);
  }

  /**
   * Terminals by status, and deployed ones whose warranty ends by each date:
   * two indexed queries instead of a count per figure.
   */
  async summary(today: string, ends: string[], scopePath?: string): Promise<{ byStatus: Map<string, number>; ending: number[] }> {
    const statuses = await inSubtree(this.terminals.createQueryBuilder('t').select('t.status', 'status').addSelect('COUNT(*)', 'n'), 'scope', scopePath)
      .groupBy('t.status')
      .getRawMany<{ status: string; n: number | string }>();
    const last = ends[ends.length - 1]!;
    const sums = ends.map((_end, index) => `SUM(CASE WHEN t.warranty_end <= :end${index} THEN 1 ELSE 0 END) AS e${index}`).join(', ');
    const warranty = await inSubtree(
      this.terminals
        .createQueryBuilder('t')
        .select(sums)
        .where("t.status = 'deployed' AND t.warranty_end >= :today AND t.warranty_end <= :last", { today, last, ...Object.fromEntries(ends.map((end, index) => [`end${index}`, end])) }),
      'scope',
      scopePath,
    ).getRawOne<Record<string, number | string | null>>();
    return { byStatus: new Map(statuses.map((row) => [row.status, Number(row.n)])), ending: ends.map((_end, index) => Number(warranty?.[`e${index}`] ?? 0)) };
  }

  /** Deployed terminals whose warranty ends in [from, to], soonest first (warranty reminders and the expiry report). */
  async warrantyEnding(from: string, to: string): Promise<WarrantyEndingRow[]> {
    const rows = await this.terminals
      .createQueryBuilder('t')
      .innerJoin('t.model', 'm')
      .select(['t.id AS id', 't.asset_number AS "assetNumber"', 't.region_id AS "regionId"', 't.warranty_end AS "warrantyEnd"', 't.model_id AS "modelId"', 'm.name AS "modelName"', 't.status AS status'])
      .where("t.status = 'deployed' AND t.warranty_end >= :from AND t.warranty_end <= :to", { from, to })
      .orderBy('t.warranty_end', 'ASC')
      .addOrderBy('t.id', 'ASC')
      .getRawMany<Record<keyof WarrantyEndingRow, string | number>>();
    return rows.map((row) => ({
      id: Number(row.id),
      assetNumber: String(row.assetNumber),
      regionId: Number(row.regionId),
      warrantyEnd: String(row.warrantyEnd),
      modelId: Number(row.modelId),
      modelName: String(row.modelName),
      status: row.status as TerminalStatus,
    }));
  }

  /** Deployed and spare terminals per region (the spare pools). */
  async poolCounts(): Promise<{ regionId: number; deployed: number; spare: number }[]> {
    const rows = await this.terminals
      .createQueryBuilder('t')
      .select('t.region_id', 'regionId')
      .addSelect("SUM(CASE WHEN t.status = 'deployed' THEN 1 ELSE 0 END)", 'deployed')
      .addSelect("SUM(CASE WHEN t.status = 'spare' THEN 1 ELSE 0 END)", 'spare')
      .where("t.status IN ('deployed', 'spare')")
      .groupBy('t.region_id')
      .getRawMany<{ regionId: number | string; deployed: number | string; spare: number | string }>();
    return rows.map((row) => ({ regionId: Number(row.regionId), deployed: Number(row.deployed), spare: Number(row.spare) }));
  }

  /** Asset numbers by id, for the few terminals a message names. */
  async assetNumbersOf(ids: number[]): Promise<Map<number, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.terminals.createQueryBuilder('t').select(['t.id AS id', 't.asset_number AS "assetNumber"']).where('t.id IN (:...ids)', { ids }).getRawMany<{ id: number | string; assetNumber: string }>();
    return new Map(rows.map((row) => [Number(row.id), row.assetNumber]));
  }

  private attributesQuery() {
    return this.terminals
      .createQueryBuilder('t')
      .select(['t.id AS id', 't.region_id AS "regionId"', 't.model_id AS "modelId"', 't.supplier_id AS "supplierId"', 't.status AS status']);
  }

  /** Multi-row inserts in chunks (bound-parameter limits); returns the rows with their ids. */
  async insertMany(tx: Tx, terminals: Omit<TerminalEntity, 'id'>[]): Promise<TerminalEntity[]> {
    const inserted: TerminalEntity[] = [];
    for (let start = 0; start < terminals.length; start += 200) {
      const chunk = terminals.slice(start, start + 200);
      await tx.insert(TerminalEntity, chunk);
      const ids = await tx.find(TerminalEntity, { select: { id: true, assetNumber: true }, where: { assetNumber: In(chunk.map((t) => t.assetNumber)) } });
      const idOf = new Map(ids.map((row) => [row.assetNumber, row.id]));
      for (const terminal of chunk) inserted.push(Object.assign(new TerminalEntity(), terminal, { id: idOf.get(terminal.assetNumber) }));
    }
    return inserted;
  }

  /** False when the terminal is no longer at `version` (someone else changed it first). */
  updateIfVersion(tx: Tx, id: number, version: number, changes: Partial<Omit<TerminalEntity, 'id' | 'version'>>): Promise<boolean> {
    return updateIfVersion(tx, TerminalEntity, id, version, changes);
  }

  async remove(tx: Tx, id: number): Promise<void> {
    await tx.delete(TerminalEntity, id);
  }

  private filtered(filter: TerminalFilter): SelectQueryBuilder<TerminalEntity> {
    const qb = this.terminals.createQueryBuilder('t');
    if (filter.status?.length) qb.andWhere('t.status IN (:...status)', { status: filter.status });
    if (filter.health?.length) {
      // Live health is persisted per terminal (terminal_health, indexed by state); no row means never seen.
      const known = filter.health.filter((state) => state !== 'unknown');
      const clauses = [
        ...(known.length ? ['t.id IN (SELECT h.terminal_id FROM terminal_health h WHERE h.state IN (:...health))'] : []),
        ...(filter.health.includes('unknown') ? ['t.id NOT IN (SELECT h.terminal_id FROM terminal_health h)'] : []),
      ];
      qb.andWhere(`(${clauses.join(' OR ')})`, { health: known });
    }
    if (filter.modelId) qb.andWhere('t.model_id = :modelId', { modelId: filter.modelId });
    if (filter.supplierId) qb.andWhere('t.supplier_id = :supplierId', { supplierId: filter.supplierId });
    if (filter.merchantId) qb.andWhere('t.merchant_id = :merchantId', { merchantId: filter.merchantId });
    if (filter.insurancePolicyId) qb.andWhere('t.insurance_policy_id = :policyId', { policyId: filter.insurancePolicyId });
    if (filter.category) qb.andWhere('t.category = :category', { category: filter.category });
    inSubtree(qb, 'region', filter.regionPath);
    inSubtree(qb, 'scope', filter.scopePath);
    if (filter.warrantyEndsBy) {
      qb.andWhere('t.warranty_end >= :today AND t.warranty_end <= :endsBy', { today: filter.today, endsBy: filter.warrantyEndsBy });
    }
    const q = filter.q?.trim();
    if (q) {
      const upper = q.toUpperCase();
      qb.andWhere(
        '((t.asset_number >= :qLo AND t.asset_number < :qHi) OR (t.serial_number >= :qLo AND t.serial_number < :qHi) ' +
          'OR t.merchant_id IN (SELECT m.id FROM merchants m WHERE LOWER(m.name) LIKE :qLike))',
        { qLo: upper, qHi: prefixUpperBound(upper), qLike: `%${q.toLowerCase().replace(/[\\%_]/g, '')}%` },
      );
    }
    return qb;
  }

  private withReferences(qb: SelectQueryBuilder<TerminalEntity>): SelectQueryBuilder<TerminalEntity> {
    return qb
      .leftJoinAndSelect('t.model', 'model')
      .leftJoinAndSelect('t.supplier', 'supplier')
      .leftJoinAndSelect('t.region', 'region')
      .leftJoinAndSelect('t.merchant', 'merchant')
      .leftJoinAndSelect('t.insurancePolicy', 'policy');
  }
}
