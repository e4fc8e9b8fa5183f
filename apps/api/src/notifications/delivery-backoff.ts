/**
 * When a failed delivery is tried again: 30 s, 2 min, 10 min, 1 h, then every
 * 6 h (with the default base of 30 s), until NOTIFY_MAX_ATTEMPTS attempts have
 * failed. Eight attempts span about 19 hours, so a receiver down overnight
 * still gets its messages.
 */
const FACTORS = [1, 4, 20, 120, 720] as const;

/** The wait after the `failedAttempts`-th failure (1 = the first), in seconds. */
export function retryDelaySeconds(failedAttempts: number, baseSeconds: number): number {
  // Clamped to the table, so the index always exists.
  return baseSeconds * FACTORS[Math.min(Math.max(failedAttempts, 1), FACTORS.length) - 1]!;
}

/** What becomes of a delivery whose attempt number `attempts` has just failed. */
export function afterFailedAttempt(attempts: number, maxAttempts: number, now: Date, baseSeconds: number): { status: 'failed' | 'gave_up'; nextAttemptAt: Date } {
  if (attempts >= maxAttempts) return { status: 'gave_up', nextAttemptAt: now };
  return { status: 'failed', nextAttemptAt: new Date(now.getTime() + retryDelaySeconds(attempts, baseSeconds) * 1000) };
}
