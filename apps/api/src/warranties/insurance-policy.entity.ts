import { Column, Entity } from 'typeorm';
import { DateColumn, MoneyColumn, VersionedEntity } from '../database/columns';

/** An insurance policy covering many terminals. */
@Entity('insurance_policies')
export class InsurancePolicyEntity extends VersionedEntity {
  @Column({ type: 'varchar', length: 120 })
  insurer: string;

  @Column({ type: 'varchar', length: 64, unique: true })
  policyNumber: string;

  @Column({ type: 'text', nullable: true })
  coverage: string | null;

  @MoneyColumn()
  deductible: number | null;

  @MoneyColumn()
  premium: number | null;

  @Column({ type: 'varchar', length: 3 })
  currency: string;

  @DateColumn({ nullable: false })
  startDate: string;

  @DateColumn({ nullable: false })
  endDate: string;
}
