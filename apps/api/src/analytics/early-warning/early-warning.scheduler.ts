/**
 * Recomputes the proactive swap list every EARLY_WARNING_CHECK_SECONDS (and
 * at start when the last run is older), under a database lease so one
 * instance runs it at a time; an instance whose lease comes while another
 * just ran leaves it (EarlyWarningService.isDue). The data it reads is in the
 * database, so any instance may run it.
 */
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { JobLocks } from '../../database/job-locks';
import { EarlyWarningService, type EarlyWarningRunSummary } from './early-warning.service';

export const EARLY_WARNING_JOB = 'early-warning';
/** Longer than a run over a million terminals takes; a crashed holder frees the job after it. */
const LEASE_MS = 60 * 60_000;

@Injectable()
export class EarlyWarningScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EarlyWarningScheduler.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<EarlyWarningRunSummary | null> | null = null;
  private stopping = false;

  constructor(
    private readonly earlyWarning: EarlyWarningService,
    private readonly locks: JobLocks,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const intervalMs = this.config.earlyWarning.checkSeconds * 1000;
    if (intervalMs === 0) return;
    const tick = () => void this.runOnce(intervalMs).catch((error: unknown) => this.logger.error(`Early warning failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
    // Not awaited: the first run must not hold up the start.
    this.timer = setTimeout(() => {
      tick();
      if (!this.stopping) this.timer = setInterval(tick, intervalMs).unref();
    }, 0).unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    // The run stops after its current chunk without writing.
    await this.running?.catch(() => undefined);
  }

  /**
   * Recomputes the list unless a run is under way here or on another
   * instance (null then), or, with `dueAfterMs`, unless the last run is recent.
   */
  runOnce(dueAfterMs?: number): Promise<EarlyWarningRunSummary | null> {
    if (!this.running) {
      this.running = (async () => {
        let summary: EarlyWarningRunSummary | null = null;
        await this.locks.runExclusive(EARLY_WARNING_JOB, LEASE_MS, async () => {
          if (dueAfterMs === undefined || (await this.earlyWarning.isDue(dueAfterMs))) summary = await this.earlyWarning.recompute(() => this.stopping);
        });
        return summary;
      })().finally(() => (this.running = null));
    }
    return this.running;
  }

  /** A fresh run once any run under way here has finished (after the demo plants its history). */
  async runNow(): Promise<EarlyWarningRunSummary | null> {
    await this.running?.catch(() => undefined);
    return this.runOnce();
  }
}
