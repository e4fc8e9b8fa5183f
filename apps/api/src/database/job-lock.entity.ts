import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Who runs a scheduled job, and until when (see JobLocks). */
@Entity('job_locks')
export class JobLockEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name: string;

  @Column({ type: 'varchar', length: 64 })
  holder: string;

  @Column()
  lockedUntil: Date;
}
