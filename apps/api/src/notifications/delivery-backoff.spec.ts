import { afterFailedAttempt, retryDelaySeconds } from './delivery-backoff';

const NOW = new Date('2026-11-22T08:00:00Z');

describe('delivery backoff', () => {
  it.each([
    [1, 30],
    [2, 120],
    [3, 600],
    [4, 3_600],
    [5, 21_600],
    [6, 21_600],
    [7, 21_600],
  ])('should wait, after failure %i, %i seconds with the default base', (failures, seconds) => {
    expect(retryDelaySeconds(failures, 30)).toBe(seconds);
  });

  it.each([
    [1, 1],
    [2, 4],
    [3, 20],
  ])('should scale the schedule with NOTIFY_BACKOFF_SECONDS: after failure %i, %i seconds with a base of 1', (failures, seconds) => {
    expect(retryDelaySeconds(failures, 1)).toBe(seconds);
  });

  it('should retry until the last allowed attempt has failed, then give up', () => {
    expect(afterFailedAttempt(1, 8, NOW, 30)).toEqual({ status: 'failed', nextAttemptAt: new Date('2026-11-22T08:00:30Z') });
    expect(afterFailedAttempt(7, 8, NOW, 30)).toEqual({ status: 'failed', nextAttemptAt: new Date('2026-11-22T14:00:00Z') });
    expect(afterFailedAttempt(8, 8, NOW, 30).status).toBe('gave_up');
    expect(afterFailedAttempt(1, 1, NOW, 30).status).toBe('gave_up');
  });
});
