import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { CredentialKind } from '@fleet/shared';

/**
 * A terminal's own credential, or a gateway's (a TMS or branch concentrator
 * posting for the terminals of a region). Only the SHA-256 of the token is kept.
 */
@Entity('device_credentials')
export class DeviceCredentialEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 10 })
  kind: CredentialKind;

  @Column({ type: 'integer', nullable: true })
  terminalId: number | null;

  @Column({ type: 'integer', nullable: true })
  regionId: number | null;

  @Column({ type: 'varchar', length: 120, nullable: true })
  name: string | null;

  @Column({ type: 'varchar', length: 64, unique: true })
  tokenHash: string;

  @Column({ type: 'varchar', length: 8 })
  hint: string;

  @Column()
  createdAt: Date;

  @Column({ type: 'varchar', length: 64 })
  createdBy: string;

  @Column({ type: Date, nullable: true })
  revokedAt: Date | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  revokedBy: string | null;
}
