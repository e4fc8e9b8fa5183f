import { Column, Entity } from 'typeorm';
import { VersionedEntity } from '../database/columns';

@Entity('suppliers')
export class SupplierEntity extends VersionedEntity {
  @Column({ type: 'varchar', length: 120, unique: true })
  name: string;

  @Column({ type: 'varchar', length: 120, nullable: true })
  contactName: string | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  contactPhone: string | null;

  @Column({ type: 'varchar', length: 254, nullable: true })
  contactEmail: string | null;

  @Column({ type: 'integer', nullable: true })
  supportResponseHours: number | null;

  @Column({ type: 'text', nullable: true })
  supportSla: string | null;
}
