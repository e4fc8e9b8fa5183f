import { Column, Entity, JoinColumn, ManyToOne } from 'typeorm';
import type { AlertSeverity, AlertState, AlertSubjectType } from '@fleet/shared';
import { JsonColumn, VersionedEntity } from '../database/columns';
import { RegionEntity } from '../regions/region.entity';
import { UserEntity } from '../users/user.entity';
import { AlertRuleEntity } from './alert-rule.entity';

/** One alert: a rule's condition holding for one subject, from raise to resolution. */
@Entity('alerts')
export class AlertEntity extends VersionedEntity {
  @Column({ type: 'integer' })
  ruleId: number;

  @ManyToOne(() => AlertRuleEntity, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'rule_id' })
  rule?: AlertRuleEntity;

  /** rule:subject:variant until resolved, then null (unique: one live alert per rule and subject). */
  @Column({ type: 'varchar', length: 120, nullable: true })
  openKey: string | null;

  @Column({ type: 'varchar', length: 10 })
  severity: AlertSeverity;

  @Column({ type: 'varchar', length: 14 })
  state: AlertState;

  @Column({ type: 'varchar', length: 20 })
  subjectType: AlertSubjectType;

  @Column({ type: 'integer' })
  subjectId: number;

  @Column({ type: 'varchar', length: 120 })
  subjectLabel: string;

  @Column({ type: 'varchar', length: 16 })
  variant: string;

  @Column({ type: 'integer', nullable: true })
  regionId: number | null;

  @ManyToOne(() => RegionEntity, { createForeignKeyConstraints: false, nullable: true })
  @JoinColumn({ name: 'region_id' })
  region?: RegionEntity | null;

  @Column()
  since: Date;

  @Column()
  raisedAt: Date;

  @Column({ type: Date, nullable: true })
  acknowledgedAt: Date | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  acknowledgedBy: string | null;

  @Column({ type: 'integer', nullable: true })
  assigneeId: number | null;

  @ManyToOne(() => UserEntity, { createForeignKeyConstraints: false, nullable: true })
  @JoinColumn({ name: 'assignee_id' })
  assignee?: UserEntity | null;

  @Column({ type: Date, nullable: true })
  escalatedAt: Date | null;

  @Column({ type: Date, nullable: true })
  lastNotifiedAt: Date | null;

  @Column({ type: 'integer', default: 0 })
  notifyCount: number;

  @Column({ type: Date, nullable: true })
  resolvedAt: Date | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  resolvedBy: string | null;

  @JsonColumn()
  details: Record<string, unknown> | null;

  @Column({ type: 'text', nullable: true })
  note: string | null;
}
