/**
 * Writes a record together with its audit entry, in one transaction, with
 * optimistic concurrency on updates. Every feature's simple records (models,
 * suppliers, regions, merchants, policies) go through here, so the rule
 * "no change without its trace" lives in one place.
 */
import { Injectable } from '@nestjs/common';
import type { EntityTarget, QueryDeepPartialEntity } from 'typeorm';
import type { AuditEntityType } from '@fleet/shared';
import type { Actor } from '../common/authorization';
import { Clock } from '../common/clock';
import { versionConflict } from '../common/versioning';
import type { VersionedEntity } from '../database/columns';
import { TransactionRunner, updateIfVersion, type Tx } from '../database/transaction';
import { diffFields } from './audit-diff';
import { AuditService } from './audit.service';

export interface AuditedRecordSpec<E extends VersionedEntity> {
  entity: EntityTarget<E>;
  type: AuditEntityType;
  /** The fields whose changes are audited. */
  fields: readonly (keyof E & string)[];
  label(record: E): string;
}

type Writable<E> = Omit<E, 'id' | 'version' | 'createdAt' | 'updatedAt'>;
type AuditActor = Pick<Actor, 'id' | 'username'>;

@Injectable()
export class AuditedWriter {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async create<E extends VersionedEntity>(actor: AuditActor, spec: AuditedRecordSpec<E>, values: Writable<E>, tx?: Tx): Promise<E> {
    const work = async (t: Tx) => {
      const now = this.clock.now();
      const record = (await t.save(spec.entity, t.create(spec.entity, { ...values, version: 1, createdAt: now, updatedAt: now } as E))) as E;
      await this.audit.record(t, actor, [
        { entityType: spec.type, entityId: record.id, entityLabel: spec.label(record), action: 'create', changes: diffFields(null, { ...record }, spec.fields) },
      ]);
      return record;
    };
    return this.within(tx, work);
  }

  async update<E extends VersionedEntity>(
    actor: AuditActor,
    spec: AuditedRecordSpec<E>,
    before: E,
    version: number,
    changes: Partial<Writable<E>>,
    outer?: Tx,
  ): Promise<E> {
    if (before.version !== version) throw versionConflict(spec.type, before.id, before.version);
    return this.within(outer, async (tx) => {
      const now = this.clock.now();
      const set = { ...changes, updatedAt: now } as QueryDeepPartialEntity<E>;
      if (!(await updateIfVersion(tx, spec.entity, before.id, version, set))) throw versionConflict(spec.type, before.id, before.version);
      const after = { ...before, ...changes, version: version + 1, updatedAt: now } as E;
      const diff = diffFields({ ...before }, { ...after }, spec.fields);
      if (Object.keys(diff).length > 0) {
        await this.audit.record(tx, actor, [{ entityType: spec.type, entityId: before.id, entityLabel: spec.label(after), action: 'update', changes: diff }]);
      }
      return after;
    });
  }

  async remove<E extends VersionedEntity>(actor: AuditActor, spec: AuditedRecordSpec<E>, before: E, outer?: Tx): Promise<void> {
    await this.within(outer, async (tx) => {
      await tx.delete(spec.entity, before.id);
      await this.audit.record(tx, actor, [
        { entityType: spec.type, entityId: before.id, entityLabel: spec.label(before), action: 'delete', changes: diffFields({ ...before }, null, spec.fields) },
      ]);
    });
  }

  private within<T>(tx: Tx | undefined, work: (tx: Tx) => Promise<T>): Promise<T> {
    return tx ? work(tx) : this.transactions.run(work);
  }
}
