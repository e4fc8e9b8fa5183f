import { Column, Entity, PrimaryColumn } from 'typeorm';
import { decimalTransformer } from '../database/columns';

/** Where one terminal stands on one plan, beyond what its tasks tell (see the migration). */
@Entity('maintenance_progress')
export class MaintenanceProgressEntity {
  @PrimaryColumn({ type: 'integer' })
  planId: number;

  @PrimaryColumn({ type: 'integer' })
  terminalId: number;

  /** When the terminal came under the plan. */
  @Column({ type: 'varchar', length: 10 })
  joinedOn: string;

  /** The plan's usage counter at the newest completion or skip, or when first seen; bigint comes back as text from PostgreSQL. */
  @Column({ type: 'bigint', nullable: true, transformer: decimalTransformer })
  usageAtLast: number | null;
}
