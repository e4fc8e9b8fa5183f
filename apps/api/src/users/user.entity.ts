import { Column, Entity } from 'typeorm';
import type { Role } from '@fleet/shared';
import { VersionedEntity } from '../database/columns';

@Entity('users')
export class UserEntity extends VersionedEntity {
  @Column({ type: 'varchar', length: 64, unique: true })
  username: string;

  @Column({ type: 'varchar', length: 120 })
  displayName: string;

  @Column({ type: 'varchar', length: 255 })
  passwordHash: string;

  @Column({ type: 'varchar', length: 20 })
  role: Role;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  /** The region (with its sub-regions) the user sees and acts on; null for the whole fleet. */
  @Column({ type: 'integer', nullable: true })
  regionId: number | null;
}
