/**
 * Scheduled jobs run on one instance at a time: a lease in the database
 * (`job_locks`), taken with a conditional write both engines make atomic,
 * held for a bounded time and released at the end. A job that dies halfway
 * leaves a lease that expires; the next run starts over, which is why every
 * job must be idempotent (unique keys on what it creates).
 */
import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { JobLockEntity } from './job-lock.entity';

@Injectable()
export class JobLocks {
  private readonly logger = new Logger(JobLocks.name);
  /** This process, as a lock holder. */
  readonly holder = `${process.pid}-${randomUUID().slice(0, 8)}`;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Takes the lease on `name` for `ttlMs` if it is free, expired or already ours. */
  async acquire(name: string, ttlMs: number): Promise<boolean> {
    const now = this.clock.now();
    await this.dataSource.createQueryBuilder().insert().into(JobLockEntity).values({ name, holder: '', lockedUntil: new Date(0) }).orIgnore().execute();
    const result = await this.dataSource
      .createQueryBuilder()
      .update(JobLockEntity)
      .set({ holder: this.holder, lockedUntil: new Date(now.getTime() + ttlMs) })
      .where('name = :name AND (locked_until < :now OR holder = :holder)', { name, now, holder: this.holder })
      .execute();
    return result.affected === 1;
  }

  async release(name: string): Promise<void> {
    await this.dataSource.createQueryBuilder().update(JobLockEntity).set({ lockedUntil: new Date(0) }).where('name = :name AND holder = :holder', { name, holder: this.holder }).execute();
  }

  /** Runs `work` if this instance gets the lease; false when another instance holds it. */
  async runExclusive(name: string, ttlMs: number, work: () => Promise<void>): Promise<boolean> {
    if (!(await this.acquire(name, ttlMs))) {
      this.logger.debug(`${name}: held by another instance`);
      return false;
    }
    try {
      await work();
    } finally {
      await this.release(name);
    }
    return true;
  }
}
