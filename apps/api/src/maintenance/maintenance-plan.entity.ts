import { Column, Entity, JoinColumn, ManyToOne } from 'typeorm';
import type { IntervalUnit, MaintenanceKind, MaintenanceScope, ScheduleAnchor, TerminalCategory, UsageCounter } from '@fleet/shared';
import { ModelEntity } from '../catalog/model.entity';
import { DateColumn, JsonColumn, VersionedEntity } from '../database/columns';
import { RegionEntity } from '../regions/region.entity';

/** A maintenance plan (维护计划): what to do, to which terminals, and when (see maintenance-schedule in shared). */
@Entity('maintenance_plans')
export class MaintenancePlanEntity extends VersionedEntity {
  @Column({ type: 'varchar', length: 120 })
  name: string;

  @Column({ type: 'varchar', length: 24 })
  kind: MaintenanceKind;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  /** Ordered item labels. */
  @JsonColumn()
  checklist: string[];

  @Column({ type: 'varchar', length: 12 })
  scope: MaintenanceScope;

  @Column({ type: 'integer', nullable: true })
  modelId: number | null;

  @ManyToOne(() => ModelEntity, { createForeignKeyConstraints: false, nullable: true })
  @JoinColumn({ name: 'model_id' })
  model?: ModelEntity | null;

  @Column({ type: 'integer', nullable: true })
  regionId: number | null;

  @ManyToOne(() => RegionEntity, { createForeignKeyConstraints: false, nullable: true })
  @JoinColumn({ name: 'region_id' })
  region?: RegionEntity | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  category: TerminalCategory | null;

  /** A plan on a list of terminals (at most 1,000; ids of terminals deleted since simply match nothing). */
  @JsonColumn()
  terminalIds: number[] | null;

  @DateColumn({ nullable: false })
  startDate: string;

  @Column({ type: 'varchar', length: 16 })
  anchor: ScheduleAnchor;

  // `interval` is a keyword in PostgreSQL.
  @Column({ name: 'interval_value', type: 'integer', nullable: true })
  interval: number | null;

  @Column({ type: 'varchar', length: 8 })
  intervalUnit: IntervalUnit;

  @Column({ type: 'varchar', length: 16, nullable: true })
  usageCounter: UsageCounter | null;

  @Column({ type: 'integer', nullable: true })
  usageEvery: number | null;

  @Column({ type: 'integer', default: 14 })
  leadDays: number;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  /** Created or last reactivated: a terminal's cycle never counts from before it. */
  @DateColumn({ nullable: false })
  activeSince: string;

  /** The scope last changed: terminals that arrive in it join from then at the earliest. */
  @DateColumn({ nullable: false })
  scopeSince: string;
}
