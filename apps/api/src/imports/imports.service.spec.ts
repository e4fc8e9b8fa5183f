import { FixedClock } from '../common/clock';
import type { Tx } from '../database/transaction';
import { ImportsService } from './imports.service';

describe(ImportsService.name, () => {
  const clock = new FixedClock(new Date('2026-11-22T08:00:00Z'));
  const tx = {} as Tx;

  function setup(job: Record<string, unknown> | null) {
    const repository = {
      findById: jest.fn().mockResolvedValue(job),
      failInterrupted: jest.fn().mockResolvedValue(2),
      transition: jest.fn().mockResolvedValue(true),
    };
    const transactions = { run: jest.fn((work: (t: Tx) => Promise<unknown>) => work(tx)) };
    const service = new ImportsService(repository as never, {} as never, {} as never, {} as never, {} as never, transactions as never, clock);
    return { service, repository };
  }

  const actor = { id: 1, username: 'wang', role: 'fleet_manager' as const, sessionId: 1 };

  it('should mark jobs interrupted by a restart as failed at start', async () => {
    const { service, repository } = setup(null);
    await service.onApplicationBootstrap();
    expect(repository.failInterrupted).toHaveBeenCalledWith(tx, clock.now());
  });

  it('should refuse to apply a file with errors unless asked for the valid rows only, without moving the job', async () => {
    const { service, repository } = setup({ id: 5, status: 'validated', errorRows: 3 });
    await expect(service.apply(actor, 5, false)).rejects.toMatchObject({ code: 'IMPORT_HAS_ERRORS' });
    expect(repository.transition).not.toHaveBeenCalled();
  });

  it.each([
    ['applied', 'IMPORT_ALREADY_APPLIED'],
    ['applying', 'IMPORT_ALREADY_APPLIED'],
    ['validating', 'CONFLICT'],
    ['failed', 'CONFLICT'],
  ])('should refuse to apply a job that is %s with %s', async (status, code) => {
    const { service } = setup({ id: 5, status, errorRows: 0 });
    await expect(service.apply(actor, 5, true)).rejects.toMatchObject({ code });
  });

  it('should answer IMPORT_NOT_FOUND for an unknown job', async () => {
    const { service } = setup(null);
    await expect(service.describe(99)).rejects.toMatchObject({ code: 'IMPORT_NOT_FOUND' });
  });
});
