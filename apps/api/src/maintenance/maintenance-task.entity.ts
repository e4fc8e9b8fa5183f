import { Column, Entity, JoinColumn, ManyToOne } from 'typeorm';
import type { ChecklistResult, DueReason, MaintenanceTaskStatus } from '@fleet/shared';
import { DateColumn, JsonColumn, VersionedEntity } from '../database/columns';
import { TerminalEntity } from '../terminals/terminal.entity';
import { UserEntity } from '../users/user.entity';
import { MaintenancePlanEntity } from './maintenance-plan.entity';

/** One terminal's task on one plan (巡检任务), due on a calendar point or when its usage counter got there. */
@Entity('maintenance_tasks')
export class MaintenanceTaskEntity extends VersionedEntity {
  @Column({ type: 'integer' })
  planId: number;

  @ManyToOne(() => MaintenancePlanEntity, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'plan_id' })
  plan?: MaintenancePlanEntity;

  @Column({ type: 'integer' })
  terminalId: number;

  @ManyToOne(() => TerminalEntity, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'terminal_id' })
  terminal?: TerminalEntity;

  /** The calendar point it was generated for; never moves. */
  @DateColumn({ nullable: false })
  dueDate: string;

  @Column({ type: 'varchar', length: 8 })
  dueReason: DueReason;

  @Column({ type: 'varchar', length: 12 })
  status: MaintenanceTaskStatus;

  /** postponedTo, or dueDate: what lists, the calendar and "overdue" go by. */
  @DateColumn({ nullable: false })
  effectiveDueDate: string;

  @DateColumn()
  postponedTo: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  postponeReason: string | null;

  @Column({ type: 'integer', nullable: true })
  assigneeId: number | null;

  @ManyToOne(() => UserEntity, { createForeignKeyConstraints: false, nullable: true })
  @JoinColumn({ name: 'assignee_id' })
  assignee?: UserEntity | null;

  /** The checklist as answered, in the plan's order. */
  @JsonColumn()
  results: { item: string; result: ChecklistResult; note: string | null }[] | null;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  /** The day it was done, skipped or cancelled. */
  @DateColumn()
  closedOn: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  closeReason: string | null;

  @Column({ type: Date, nullable: true })
  completedAt: Date | null;

  @Column({ type: 'integer', nullable: true })
  completedById: number | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  completedByName: string | null;
}
