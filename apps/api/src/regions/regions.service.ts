/** The region/branch tree and the merchants in it. */
import { Injectable } from '@nestjs/common';
import type { MerchantResponse, Page, RegionResponse } from '@fleet/shared';
import { AuditedWriter, type AuditedRecordSpec } from '../audit/audited-writer';
import { pageOf } from '../common/api-dtos';
import type { Actor } from '../common/authorization';
import { DomainException } from '../common/domain.exception';
import { duplicateField, missingReference, timestamps } from '../common/mapping';
import { TransactionRunner, type Tx } from '../database/transaction';
import { MerchantEntity } from './merchant.entity';
import { RegionEntity } from './region.entity';
import type { CreateMerchantDto, CreateRegionDto, ListMerchantsQueryDto, UpdateMerchantDto, UpdateRegionDto } from './regions.dto';
import { RegionsRepository } from './regions.repository';

export const REGION_RECORD: AuditedRecordSpec<RegionEntity> = {
  entity: RegionEntity,
  type: 'region',
  fields: ['code', 'name', 'parentId'],
  label: (region) => `${region.code} ${region.name}`,
};

export const MERCHANT_RECORD: AuditedRecordSpec<MerchantEntity> = {
  entity: MerchantEntity,
  type: 'merchant',
  fields: ['name', 'regionId', 'address', 'contactName', 'contactPhone'],
  label: (merchant) => merchant.name,
};

export const MAX_REGION_DEPTH = 6;

/** Terminal counts of every region including its sub-regions. */
export function subtreeCounts(regions: Pick<RegionEntity, 'id' | 'path'>[], direct: Map<number, number>): Map<number, number> {
  const totals = new Map<number, number>();
  for (const region of regions) {
    const count = direct.get(region.id) ?? 0;
    if (count === 0) continue;
    for (const ancestor of region.path.split('/').filter(Boolean)) {
      const id = Number(ancestor);
      totals.set(id, (totals.get(id) ?? 0) + count);
    }
  }
  return totals;
}

function toRegionResponse(region: RegionEntity, terminalCount: number): RegionResponse {
  return { id: region.id, code: region.code, name: region.name, parentId: region.parentId, depth: region.depth, terminalCount, ...timestamps(region) };
}

function toMerchantResponse(merchant: MerchantEntity, region: RegionEntity | undefined, terminalCount: number): MerchantResponse {
  return {
    id: merchant.id,
    name: merchant.name,
    region: { id: merchant.regionId, name: region?.name ?? '', code: region?.code ?? '' },
    address: merchant.address,
    contactName: merchant.contactName,
    contactPhone: merchant.contactPhone,
    terminalCount,
    ...timestamps(merchant),
  };
}

@Injectable()
export class RegionsService {
  constructor(
    private readonly repository: RegionsRepository,
    private readonly writer: AuditedWriter,
    private readonly transactions: TransactionRunner,
  ) {}

  async listRegions(): Promise<RegionResponse[]> {
    const [regions, direct] = await Promise.all([this.repository.listRegions(), this.repository.countTerminalsByRegion()]);
    const totals = subtreeCounts(regions, direct);
    return regions.map((region) => toRegionResponse(region, totals.get(region.id) ?? 0));
  }

  async describeRegion(id: number): Promise<RegionResponse> {
    const region = await this.getRegion(id);
    return (await this.listRegions()).find((r) => r.id === region.id) ?? toRegionResponse(region, 0);
  }

  async getRegion(id: number, field = 'regionId'): Promise<RegionEntity> {
    const region = await this.repository.findRegion(id);
    if (!region) throw missingReference('REGION_NOT_FOUND', field, id);
    return region;
  }

  /** Regions with their paths, without counting terminals (for labels and sub-tree sums). */
  regionTree(): Promise<RegionEntity[]> {
    return this.repository.listRegions();
  }

  /** The region and every region under it. */
  async subtreeIds(id: number): Promise<number[]> {
    const root = await this.getRegion(id);
    return (await this.repository.listRegions()).filter((region) => region.path.startsWith(root.path)).map((region) => region.id);
  }

  findRegionByCode(code: string): Promise<RegionEntity | null> {
    return this.repository.findRegionByCode(code);
  }

  async createRegion(actor: Actor, request: CreateRegionDto, outer?: Tx): Promise<RegionResponse> {
    if (await this.repository.findRegionByCode(request.code)) throw duplicateField('DUPLICATE_CODE', 'code', request.code);
    const parent = request.parentId ? await this.getRegion(request.parentId, 'parentId') : null;
    if (parent && parent.depth + 1 >= MAX_REGION_DEPTH) throw DomainException.invalidField('parentId', 'maxDepth', `regions nest at most ${MAX_REGION_DEPTH} levels`);
    const work = async (tx: Tx) => {
      const region = await this.writer.create(actor, REGION_RECORD, { code: request.code, name: request.name, parentId: parent?.id ?? null, path: '/', depth: 0 }, tx);
      region.path = `${parent?.path ?? '/'}${region.id}/`;
      region.depth = parent ? parent.depth + 1 : 0;
      await this.repository.setPath(tx, region.id, region.path, region.depth);
      return region;
    };
    const region = outer ? await work(outer) : await this.transactions.run(work);
    return toRegionResponse(region, 0);
  }

  async updateRegion(actor: Actor, id: number, request: UpdateRegionDto, version: number): Promise<RegionResponse> {
    const before = await this.getRegion(id);
    const { version: _version, ...changes } = request;
    const moving = changes.parentId !== undefined && changes.parentId !== before.parentId;
    const parent = moving && changes.parentId ? await this.getRegion(changes.parentId, 'parentId') : null;
    if (parent && parent.path.startsWith(before.path)) {
      throw new DomainException('REGION_CYCLE', 'A region cannot move under itself or its sub-regions', {
        fields: [{ field: 'parentId', code: 'cycle', message: 'parentId is the region itself or one of its sub-regions' }],
      });
    }
    await this.transactions.run(async (tx) => {
      await this.writer.update(actor, REGION_RECORD, before, version, changes, tx);
      if (moving) {
        const newPath = `${parent?.path ?? '/'}${before.id}/`;
        await this.repository.movePaths(tx, before.path, newPath, (parent ? parent.depth + 1 : 0) - before.depth);
      }
    });
    return this.describeRegion(id);
  }

  async deleteRegion(actor: Actor, id: number): Promise<void> {
    const region = await this.getRegion(id);
    if ((await this.repository.countChildren(id)) > 0) throw new DomainException('REGION_HAS_CHILDREN', `The region ${region.code} has sub-regions`);
    const terminals = (await this.repository.countTerminalsByRegion()).get(id) ?? 0;
    const merchants = await this.repository.countMerchantsInRegion(id);
    const users = await this.repository.countUsersScopedTo(id);
    if (terminals > 0 || merchants > 0 || users > 0) {
      throw new DomainException('RECORD_IN_USE', `The region ${region.code} has ${terminals} terminals, ${merchants} merchants and ${users} users limited to it`, {
        terminalCount: terminals,
        merchantCount: merchants,
        userCount: users,
      });
    }
    await this.writer.remove(actor, REGION_RECORD, region);
  }

  /** The next asset-number sequence (or the first of `count`) of a region, inside the caller's transaction. */
  nextSequence(tx: Tx, regionId: number, count = 1): Promise<number> {
    return this.repository.nextSequence(tx, regionId, count);
  }

  async listMerchants(query: ListMerchantsQueryDto): Promise<Page<MerchantResponse>> {
    const { page, pageSize, offset } = pageOf(query);
    const regionPath = query.regionId ? (await this.getRegion(query.regionId)).path : undefined;
    const [merchants, total] = await this.repository.listMerchants({ regionPath, q: query.q }, offset, pageSize);
    return { items: await this.describeMerchants(merchants), total, page, pageSize };
  }

  async getMerchant(id: number, field = 'merchantId'): Promise<MerchantEntity> {
    const merchant = await this.repository.findMerchant(id);
    if (!merchant) throw missingReference('MERCHANT_NOT_FOUND', field, id);
    return merchant;
  }

  findMerchantsByName(name: string): Promise<MerchantEntity[]> {
    return this.repository.findMerchantsByName(name);
  }

  async describeMerchant(id: number): Promise<MerchantResponse> {
    const [described] = await this.describeMerchants([await this.getMerchant(id)]);
    if (!described) throw missingReference('MERCHANT_NOT_FOUND', 'id', id);
    return described;
  }

  async createMerchant(actor: Actor, request: CreateMerchantDto, tx?: Tx): Promise<MerchantResponse> {
    await this.getRegion(request.regionId);
    const merchant = await this.writer.create(
      actor,
      MERCHANT_RECORD,
      { name: request.name, regionId: request.regionId, address: request.address ?? null, contactName: request.contactName ?? null, contactPhone: request.contactPhone ?? null },
      tx,
    );
    const [described] = await this.describeMerchants([merchant]);
    return described ?? toMerchantResponse(merchant, undefined, 0);
  }

  async updateMerchant(actor: Actor, id: number, request: UpdateMerchantDto, version: number): Promise<MerchantResponse> {
    const before = await this.getMerchant(id, 'id');
    if (request.regionId !== undefined) await this.getRegion(request.regionId);
    const { version: _version, ...changes } = request;
    await this.writer.update(actor, MERCHANT_RECORD, before, version, changes);
    return this.describeMerchant(id);
  }

  async deleteMerchant(actor: Actor, id: number): Promise<void> {
    const merchant = await this.getMerchant(id, 'id');
    const terminals = (await this.repository.countTerminalsByMerchant([id])).get(id) ?? 0;
    if (terminals > 0) throw new DomainException('RECORD_IN_USE', `The merchant ${merchant.name} has ${terminals} terminals`, { terminalCount: terminals });
    await this.writer.remove(actor, MERCHANT_RECORD, merchant);
  }

  private async describeMerchants(merchants: MerchantEntity[]): Promise<MerchantResponse[]> {
    const ids = merchants.map((m) => m.id);
    const [regions, counts] = await Promise.all([
      this.repository.regionsByIds([...new Set(merchants.map((m) => m.regionId))]),
      this.repository.countTerminalsByMerchant(ids),
    ]);
    const byId = new Map(regions.map((r) => [r.id, r]));
    return merchants.map((m) => toMerchantResponse(m, byId.get(m.regionId), counts.get(m.id) ?? 0));
  }
}
