/**
 * The audit log: every create, update, delete and transition is written in the
 * same transaction as the change itself, so no change exists without its trace.
 */
import { Injectable } from '@nestjs/common';
import type { AuditAction, AuditEntityType, AuditEntryResponse, FieldChange, ListAuditQuery, Page } from '@fleet/shared';
import { pageOf } from '../common/api-dtos';
import type { Actor } from '../common/authorization';
import { Clock } from '../common/clock';
import type { Tx } from '../database/transaction';
import { AuditEntryEntity } from './audit-entry.entity';
import { AuditRepository } from './audit.repository';

export interface AuditRecord {
  entityType: AuditEntityType;
  entityId: number;
  entityLabel: string;
  action: AuditAction;
  changes: Record<string, FieldChange>;
  reason?: string | null;
}

export function toAuditEntryResponse(entry: AuditEntryEntity): AuditEntryResponse {
  return {
    id: entry.id,
    at: entry.at.toISOString(),
    actor: { id: entry.actorId, username: entry.actorUsername },
    entityType: entry.entityType,
    entityId: entry.entityId,
    entityLabel: entry.entityLabel,
    action: entry.action,
    changes: entry.changes,
    reason: entry.reason,
  };
}

@Injectable()
export class AuditService {
  constructor(
    private readonly repository: AuditRepository,
    private readonly clock: Clock,
  ) {}

  async record(tx: Tx, actor: Pick<Actor, 'id' | 'username'>, records: AuditRecord[]): Promise<void> {
    if (records.length === 0) return;
    const at = this.clock.now();
    await this.repository.insert(
      tx,
      records.map((record) => ({
        at,
        actorId: actor.id || null,
        actorUsername: actor.username,
        entityType: record.entityType,
        entityId: record.entityId,
        entityLabel: record.entityLabel.slice(0, 200),
        action: record.action,
        changes: record.changes,
        reason: record.reason?.slice(0, 500) ?? null,
      })),
    );
  }

  async list(query: ListAuditQuery): Promise<Page<AuditEntryResponse>> {
    const { page, pageSize, offset } = pageOf(query);
    const [entries, total] = await this.repository.list(query, offset, pageSize);
    return { items: entries.map(toAuditEntryResponse), total, page, pageSize };
  }
}
