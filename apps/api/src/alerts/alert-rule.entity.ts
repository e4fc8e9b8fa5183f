import { Column, Entity } from 'typeorm';
import type { AlertRuleKind, AlertRuleParams, AlertSeverity, Role } from '@fleet/shared';
import { JsonColumn, VersionedEntity } from '../database/columns';

/** When an alert is raised, how loud it is, and how it repeats and escalates. */
@Entity('alert_rules')
export class AlertRuleEntity extends VersionedEntity {
  @Column({ type: 'varchar', length: 24 })
  kind: AlertRuleKind;

  @Column({ type: 'varchar', length: 120, unique: true })
  name: string;

  @Column({ type: 'varchar', length: 10 })
  severity: AlertSeverity;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @JsonColumn()
  params: AlertRuleParams;

  @Column({ type: 'integer', nullable: true })
  repeatMinutes: number | null;

  @Column({ type: 'integer', nullable: true })
  escalateAfterMinutes: number | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  escalateToRole: Role | null;

  @Column({ type: 'boolean', default: true })
  suppressWithOpenTicket: boolean;
}
