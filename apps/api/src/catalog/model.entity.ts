import { Column, Entity } from 'typeorm';
import type { TerminalCategory } from '@fleet/shared';
import { DateColumn, MoneyColumn, VersionedEntity } from '../database/columns';

@Entity('models')
export class ModelEntity extends VersionedEntity {
  @Column({ type: 'varchar', length: 120, unique: true })
  name: string;

  @Column({ type: 'varchar', length: 120 })
  manufacturer: string;

  @Column({ type: 'varchar', length: 16 })
  category: TerminalCategory;

  @Column({ type: 'text', nullable: true })
  spec: string | null;

  @MoneyColumn()
  listPrice: number | null;

  @Column({ type: 'varchar', length: 3 })
  currency: string;

  @Column({ type: 'integer', default: 12 })
  defaultWarrantyMonths: number;

  @DateColumn()
  endOfLifeDate: string | null;
}
