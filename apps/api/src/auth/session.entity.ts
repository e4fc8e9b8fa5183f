import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A login session; only the SHA-256 of its token is stored. */
@Entity('sessions')
export class SessionEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 64, unique: true })
  tokenHash: string;

  @Column({ type: 'integer' })
  userId: number;

  @Column()
  createdAt: Date;

  @Column()
  expiresAt: Date;

  @Column({ type: Date, nullable: true })
  revokedAt: Date | null;
}
