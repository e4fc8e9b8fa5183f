import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, type QueryDeepPartialEntity } from 'typeorm';
import type { ListAuditQuery } from '@fleet/shared';
import type { Tx } from '../database/transaction';
import { AuditEntryEntity } from './audit-entry.entity';

@Injectable()
export class AuditRepository {
  constructor(@InjectRepository(AuditEntryEntity) private readonly entries: Repository<AuditEntryEntity>) {}

  async insert(tx: Tx, entries: Omit<AuditEntryEntity, 'id'>[]): Promise<void> {
    // Chunked so a large import stays under the engines' bound-parameter limits.
    for (let start = 0; start < entries.length; start += 500) {
      // simple-json columns are serialised by TypeORM; the deep-partial type cannot see through `unknown`.
      await tx.insert(AuditEntryEntity, entries.slice(start, start + 500) as QueryDeepPartialEntity<AuditEntryEntity>[]);
    }
  }

  async list(query: ListAuditQuery, offset: number, limit: number): Promise<[AuditEntryEntity[], number]> {
    const qb = this.entries.createQueryBuilder('a');
    if (query.entityType) qb.andWhere('a.entity_type = :entityType', { entityType: query.entityType });
    if (query.entityId !== undefined) qb.andWhere('a.entity_id = :entityId', { entityId: query.entityId });
    if (query.actorId !== undefined) qb.andWhere('a.actor_id = :actorId', { actorId: query.actorId });
    if (query.action) qb.andWhere('a.action = :action', { action: query.action });
    if (query.from) qb.andWhere('a.at >= :from', { from: new Date(query.from) });
    if (query.to) qb.andWhere('a.at < :to', { to: new Date(query.to) });
    return qb.orderBy('a.id', 'DESC').skip(offset).take(limit).getManyAndCount();
  }
}
