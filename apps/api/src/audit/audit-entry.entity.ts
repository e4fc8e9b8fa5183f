import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { AuditAction, AuditEntityType, FieldChange } from '@fleet/shared';

/** One change to one record: who, when, what, and the before/after of each changed field. */
@Entity('audit_entries')
export class AuditEntryEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column()
  at: Date;

  @Column({ type: 'integer', nullable: true })
  actorId: number | null;

  @Column({ type: 'varchar', length: 64 })
  actorUsername: string;

  @Column({ type: 'varchar', length: 32 })
  entityType: AuditEntityType;

  @Column({ type: 'integer' })
  entityId: number;

  @Column({ type: 'varchar', length: 200 })
  entityLabel: string;

  @Column({ type: 'varchar', length: 16 })
  action: AuditAction;

  @Column({ type: 'simple-json' })
  changes: Record<string, FieldChange>;

  @Column({ type: 'varchar', length: 500, nullable: true })
  reason: string | null;
}
