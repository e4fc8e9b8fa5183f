import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { EarlyWarningEvidence } from '@fleet/shared';
import { JsonColumn } from '../../database/columns';

/** A terminal on the proactive swap list, as the last run listed it (see the migration). */
@Entity('early_warnings')
export class EarlyWarningEntity {
  @PrimaryColumn({ type: 'integer' })
  terminalId: number;

  /** Sum of ln likelihood ratios (libs/shared early-warning.ts). */
  @Column({ type: 'double precision' })
  score: number;

  @JsonColumn()
  evidence: EarlyWarningEvidence[];

  @Column()
  computedAt: Date;
}
