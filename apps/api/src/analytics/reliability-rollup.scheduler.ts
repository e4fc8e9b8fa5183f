/**
 * Runs the reliability rollup once at start and every ANALYTICS_ROLLUP_SECONDS,
 * under a database lease so one instance runs it at a time. A run cut short
 * (shutdown) writes nothing of its cells; the spans it took in stay, with
 * their watermark, and the next run goes on from there.
 */
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { JobLocks } from '../database/job-locks';
import { ReliabilityRollupService, type RollupRun } from './reliability-rollup.service';

export const RELIABILITY_ROLLUP_JOB = 'reliability-rollup';
/** Longer than a run over a million terminals takes; a crashed holder frees the job after it. */
const LEASE_MS = 30 * 60_000;

@Injectable()
export class ReliabilityRollupScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReliabilityRollupScheduler.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<RollupRun | null> | null = null;
  private stopping = false;

  constructor(
    private readonly rollups: ReliabilityRollupService,
    private readonly locks: JobLocks,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const { rollupSeconds } = this.config.analytics;
    if (rollupSeconds === 0) return;
    const tick = () => void this.runOnce().catch((error: unknown) => this.logger.error(`Reliability rollup failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
    // After start-up work (the demo's first load) rather than in the middle of it.
    this.timer = setTimeout(() => {
      tick();
      this.timer = setInterval(tick, rollupSeconds * 1000).unref();
    }, 5_000).unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One run; a call while one is under way waits for it (and, if that one started before the caller's changes, runs again). */
  runOnce(): Promise<RollupRun | null> {
    if (!this.running) {
      this.running = (async () => {
        let run: RollupRun | null = null;
        await this.locks.runExclusive(RELIABILITY_ROLLUP_JOB, LEASE_MS, async () => void (run = await this.rollups.refresh(() => this.stopping)));
        return run;
      })().finally(() => (this.running = null));
    }
    return this.running;
  }
}
