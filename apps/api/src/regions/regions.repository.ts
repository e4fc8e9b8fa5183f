import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { countTerminalsBy } from '../database/terminal-counts';
import type { Tx } from '../database/transaction';
import { AssetSequenceEntity } from './asset-sequence.entity';
import { MerchantEntity } from './merchant.entity';
import { RegionEntity } from './region.entity';

@Injectable()
export class RegionsRepository {
  constructor(
    @InjectRepository(RegionEntity) private readonly regions: Repository<RegionEntity>,
    @InjectRepository(MerchantEntity) private readonly merchants: Repository<MerchantEntity>,
  ) {}

  listRegions(): Promise<RegionEntity[]> {
    return this.regions.find({ order: { path: 'ASC' } });
  }

  findRegion(id: number): Promise<RegionEntity | null> {
    return this.regions.findOneBy({ id });
  }

  findRegionByCode(code: string): Promise<RegionEntity | null> {
    return this.regions.findOneBy({ code });
  }

  countChildren(id: number): Promise<number> {
    return this.regions.countBy({ parentId: id });
  }

  async setPath(tx: Tx, id: number, path: string, depth: number): Promise<void> {
    await tx.update(RegionEntity, { id }, { path, depth });
  }

  /** Re-roots a sub-tree after a move: every path under `from` now starts with `to`. */
  async movePaths(tx: Tx, from: string, to: string, depthDelta: number): Promise<void> {
    await tx
      .createQueryBuilder()
      .update(RegionEntity)
      .set({ path: () => `:to || substr(path, ${from.length + 1})`, depth: () => `depth + (${Math.trunc(depthDelta)})` })
      .where('path LIKE :prefix', { prefix: `${from}%` })
      .setParameters({ to })
      .execute();
  }

  /**
   * The next asset-number sequence of a region: an update of one row, so
   * concurrent allocations serialise on the row lock and never hand out a number twice.
   */
  async nextSequence(tx: Tx, regionId: number, count = 1): Promise<number> {
    await tx
      .createQueryBuilder()
      .insert()
      .into(AssetSequenceEntity)
      .values({ regionId, lastValue: 0 })
      .orIgnore()
      .execute();
    await tx
      .createQueryBuilder()
      .update(AssetSequenceEntity)
      .set({ lastValue: () => `last_value + ${Math.trunc(count)}` })
      .where('region_id = :regionId', { regionId })
      .execute();
    const row = await tx.findOneByOrFail(AssetSequenceEntity, { regionId });
    return row.lastValue - count + 1;
  }

  /** Terminals directly in each region (sub-trees are summed by the service). */
  countTerminalsByRegion(): Promise<Map<number, number>> {
    return countTerminalsBy(this.regions.manager, 'region_id');
  }

  countMerchantsInRegion(regionId: number): Promise<number> {
    return this.merchants.countBy({ regionId });
  }

  /** Users limited to the region. */
  async countUsersScopedTo(regionId: number): Promise<number> {
    const row = await this.regions.manager.createQueryBuilder().select('COUNT(*)', 'n').from('users', 'u').where('u.region_id = :regionId', { regionId }).getRawOne<{ n: unknown }>();
    return Number(row?.n ?? 0);
  }

  findMerchant(id: number): Promise<MerchantEntity | null> {
    return this.merchants.findOneBy({ id });
  }

  findMerchantsByName(name: string): Promise<MerchantEntity[]> {
    return this.merchants.findBy({ name });
  }

  async listMerchants(filter: { regionPath?: string; q?: string }, offset: number, limit: number): Promise<[MerchantEntity[], number]> {
    const qb = this.merchants.createQueryBuilder('m');
    if (filter.regionPath) {
      qb.andWhere('m.region_id IN (SELECT r.id FROM regions r WHERE r.path LIKE :prefix)', { prefix: `${filter.regionPath}%` });
    }
    if (filter.q) qb.andWhere('LOWER(m.name) LIKE :q', { q: `%${filter.q.toLowerCase().replace(/[\\%_]/g, '')}%` });
    return qb.orderBy('m.name', 'ASC').addOrderBy('m.id', 'ASC').skip(offset).take(limit).getManyAndCount();
  }

  regionsByIds(ids: number[]): Promise<RegionEntity[]> {
    return ids.length ? this.regions.findBy({ id: In(ids) }) : Promise.resolve([]);
  }

  countTerminalsByMerchant(merchantIds: number[]): Promise<Map<number, number>> {
    return countTerminalsBy(this.merchants.manager, 'merchant_id', merchantIds);
  }
}
