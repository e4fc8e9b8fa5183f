import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One computation of the swap list: when, and what it learnt from. */
@Entity('early_warning_runs')
export class EarlyWarningRunEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column()
  computedAt: Date;

  /** Failure windows with any signal known. */
  @Column({ type: 'integer' })
  failedUnits: number;

  /** Deployed units without a failure, with any signal known: the comparison group, and the units scored. */
  @Column({ type: 'integer' })
  healthyUnits: number;

  @Column({ type: 'integer' })
  recentDays: number;

  @Column({ type: 'integer' })
  baselineDays: number;

  @Column({ type: 'integer' })
  listed: number;

  @Column({ type: 'integer' })
  durationMs: number;
}
