import { FixedClock } from '../common/clock';
import { JobLockEntity } from './job-lock.entity';
import { JobLocks } from './job-locks';
import { TEST_ENGINES, type TestDatabase } from './test-databases.testing';

const T0 = new Date('2026-11-22T08:00:00Z');

describe.each(TEST_ENGINES)('JobLocks on %s', (_engine, open) => {
  let db: TestDatabase;
  let clock: FixedClock;
  let first: JobLocks;
  let second: JobLocks;

  beforeAll(async () => {
    db = await open([JobLockEntity]);
  });
  afterAll(() => db.drop());

  beforeEach(() => {
    clock = new FixedClock(T0);
    // Two instances of the API sharing one database.
    first = new JobLocks(db.dataSource, clock);
    second = new JobLocks(db.dataSource, clock);
  });

  it('should let one instance hold a job while the other is refused', async () => {
    const name = `job-${Math.random()}`;
    expect(await first.acquire(name, 60_000)).toBe(true);
    expect(await second.acquire(name, 60_000)).toBe(false);
    expect(await first.acquire(name, 60_000)).toBe(true);
  });

  it('should hand the job over once released, or once the lease of a dead holder runs out', async () => {
    const name = `job-${Math.random()}`;
    expect(await first.acquire(name, 60_000)).toBe(true);
    await first.release(name);
    expect(await second.acquire(name, 60_000)).toBe(true);
    clock.set(new Date(T0.getTime() + 59_000));
    expect(await first.acquire(name, 60_000)).toBe(false);
    clock.set(new Date(T0.getTime() + 61_000));
    expect(await first.acquire(name, 60_000)).toBe(true);
  });

  it('should give the lease to exactly one of several instances racing for it', async () => {
    const name = `job-${Math.random()}`;
    const racers = [first, second, new JobLocks(db.dataSource, clock), new JobLocks(db.dataSource, clock)];
    const results = await Promise.all(racers.map((locks) => locks.acquire(name, 60_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('should run work only while holding the lease, and free it afterwards even when the work fails', async () => {
    const name = `job-${Math.random()}`;
    await first.acquire(name, 60_000);
    let runs = 0;
    expect(await second.runExclusive(name, 60_000, async () => void runs++)).toBe(false);
    await first.release(name);
    await expect(second.runExclusive(name, 60_000, async () => Promise.reject(new Error('halfway')))).rejects.toThrow('halfway');
    expect(await first.runExclusive(name, 60_000, async () => void runs++)).toBe(true);
    expect(runs).toBe(1);
  });
});
