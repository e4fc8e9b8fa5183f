import { Column, Entity } from 'typeorm';
import { VersionedEntity } from '../database/columns';

@Entity('merchants')
export class MerchantEntity extends VersionedEntity {
  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'integer' })
  regionId: number;

  @Column({ type: 'varchar', length: 300, nullable: true })
  address: string | null;

  @Column({ type: 'varchar', length: 120, nullable: true })
  contactName: string | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  contactPhone: string | null;
}
