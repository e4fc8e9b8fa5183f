/**
 * Generates maintenance tasks: once at start and every
 * MAINTENANCE_CHECK_SECONDS, every active plan's tasks due within its lead
 * days, under a database lease so one instance runs it at a time. It runs on
 * the instance that ingests heartbeats, whose usage counters are current.
 * Safe to cut short and to run again: what exists is never written twice.
 */
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { JobLocks } from '../database/job-locks';
import { LiveHealthService } from '../heartbeats/live-health.service';
import { MaintenanceGenerationService } from './maintenance-generation.service';
import { MaintenancePlansService } from './maintenance-plans.service';

export const MAINTENANCE_JOB = 'maintenance-plans';
/** Longer than a run over a large fleet takes; a crashed holder frees the job after it. */
const LEASE_MS = 30 * 60_000;
/** While live health loads at start, the first run waits this long between looks. */
const READY_POLL_MS = 1_000;

@Injectable()
export class MaintenanceScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MaintenanceScheduler.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<{ generated: number }> | null = null;
  private stopping = false;

  constructor(
    private readonly plans: MaintenancePlansService,
    private readonly generation: MaintenanceGenerationService,
    private readonly live: LiveHealthService,
    private readonly locks: JobLocks,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const { checkSeconds } = this.config.maintenance;
    if (!this.live.ingests || checkSeconds === 0) return;
    const tick = () => void this.runOnce().catch((error: unknown) => this.logger.error(`Maintenance check failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
    const first = () => {
      if (this.stopping) return;
      if (!this.live.isReady) {
        this.timer = setTimeout(first, READY_POLL_MS).unref();
        return;
      }
      tick();
      this.timer = setInterval(tick, checkSeconds * 1000).unref();
    };
    first();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    // The run stops after its current chunk; what it wrote is whole.
    await this.running?.catch(() => undefined);
  }

  /** Generates the tasks of every active plan; never runs twice at once, nor while another instance holds the job. */
  runOnce(): Promise<{ generated: number }> {
    if (!this.running) {
      this.running = (async () => {
        let generated = 0;
        await this.locks.runExclusive(MAINTENANCE_JOB, LEASE_MS, async () => void (generated = await this.run()));
        return { generated };
      })().finally(() => (this.running = null));
    }
    return this.running;
  }

  private async run(): Promise<number> {
    const started = Date.now();
    const plans = await this.plans.activePlans();
    let generated = 0;
    for (const plan of plans) {
      if (this.stopping) break;
      generated += await this.generation.generate(plan, () => this.stopping);
    }
    this.logger.log(`Maintenance check: ${plans.length} active plans, ${generated} tasks generated in ${Date.now() - started} ms`);
    return generated;
  }
}
