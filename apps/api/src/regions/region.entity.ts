import { Column, Entity } from 'typeorm';
import { VersionedEntity } from '../database/columns';

/** A region or branch. `path` lists the ids from the root (/1/7/) so a sub-tree is one prefix range. */
@Entity('regions')
export class RegionEntity extends VersionedEntity {
  @Column({ type: 'varchar', length: 8, unique: true })
  code: string;

  @Column({ type: 'varchar', length: 120 })
  name: string;

  @Column({ type: 'integer', nullable: true })
  parentId: number | null;

  @Column({ type: 'varchar', length: 255 })
  path: string;

  @Column({ type: 'integer', default: 0 })
  depth: number;
}
