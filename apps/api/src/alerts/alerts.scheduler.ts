/**
 * Evaluates the alert rules every ALERT_CHECK_SECONDS, on one instance at a
 * time (a database lease), never overlapping itself.
 */
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { JobLocks } from '../database/job-locks';
import { LiveHealthService } from '../heartbeats/live-health.service';
import { AlertEvaluator, type EvaluationTotals } from './alert-evaluator';

const LEASE_MS = 10 * 60_000;

@Injectable()
export class AlertsScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AlertsScheduler.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<EvaluationTotals | null> | null = null;

  constructor(
    private readonly evaluator: AlertEvaluator,
    private readonly live: LiveHealthService,
    private readonly locks: JobLocks,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    // Terminal conditions come from live health, which the ingesting instance owns (the others mirror it).
    if (!this.live.ingests) return;
    this.timer = setInterval(() => void this.check().catch((error: unknown) => this.logger.error(`Alert evaluation failed: ${String(error)}`)), this.config.alerts.checkSeconds * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One evaluation, unless one is running here or on another instance (null then). */
  check(): Promise<EvaluationTotals | null> {
    if (!this.running) {
      this.running = (async () => {
        if (!this.live.isReady) return null;
        let totals: EvaluationTotals | null = null;
        await this.locks.runExclusive('alert-evaluation', LEASE_MS, async () => void (totals = await this.evaluator.evaluate()));
        return totals;
      })().finally(() => (this.running = null));
    }
    return this.running;
  }
}
