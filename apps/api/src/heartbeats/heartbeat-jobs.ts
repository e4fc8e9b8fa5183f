/**
 * Scheduled work on heartbeat history: hourly rollups of the raw rows, daily
 * rollups of the hourly ones, and retention. Each job records how far it got
 * (job_state) in the same transaction as the rows it wrote, so a job cut
 * short resumes where it stopped, and rerunning a period replaces its rows
 * instead of doubling them. And every five minutes, a sample of the fleet's
 * live counts (the overview's history), kept for 35 days.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { FLEET_SAMPLE_MINUTES } from '@fleet/shared';
import { Clock } from '../common/clock';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { TransactionRunner, type Tx } from '../database/transaction';
import { HeartbeatsRepository } from './heartbeats.repository';
import { LiveHealthService } from './live-health.service';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Periods done per run, so one run never holds the writer for long. */
const STEPS_PER_RUN = 24;
const SAMPLE_MS = FLEET_SAMPLE_MINUTES * 60_000;
const SAMPLES_KEPT_MS = 35 * DAY;

@Injectable()
export class HeartbeatJobs {
  private readonly logger = new Logger(HeartbeatJobs.name);
  private running = false;
  private sampledSlot: number | null = null;

  constructor(
    private readonly repository: HeartbeatsRepository,
    private readonly live: LiveHealthService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Interval('heartbeat-history', 60_000)
  async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.rollUpHours();
      await this.rollUpDays();
      await this.expire();
    } catch (error) {
      this.logger.error(`Heartbeat history job failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    } finally {
      this.running = false;
    }
  }

  /**
   * Samples the live counts once per five-minute slot, at the first run in
   * it; the slot's start is the sample's instant, so instances agree on it.
   */
  @Interval('fleet-samples', 30_000)
  async sampleFleet(): Promise<boolean> {
    const now = this.clock.now().getTime();
    const slot = now - (now % SAMPLE_MS);
    if (this.sampledSlot === slot || !this.live.isReady) return false;
    try {
      const counts = this.live.state.counts();
      await this.transactions.run(async (tx) => {
        await this.repository.insertFleetSample(tx, slot, counts);
        await this.repository.deleteFleetSamples(tx, now - SAMPLES_KEPT_MS);
      });
      this.sampledSlot = slot;
      return true;
    } catch (error) {
      this.logger.error(`Fleet sample failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return false;
    }
  }

  /** Rolls every completed hour not rolled yet (from the oldest raw heartbeat the first time). */
  async rollUpHours(): Promise<number> {
    return this.rollForward('rollup.hour', HOUR, this.clock.now().getTime(), (tx, start) => this.repository.rollUpHour(tx, start, start + HOUR));
  }

  /** Rolls every completed UTC day whose hours are all rolled. */
  async rollUpDays(): Promise<number> {
    const hoursDone = Number((await this.repository.getJobState('rollup.hour')) ?? 0);
    return this.rollForward('rollup.day', DAY, Math.min(this.clock.now().getTime(), hoursDone), (tx, start) => this.repository.rollUpDay(tx, start, start + DAY));
  }

  /** Runs `work` for each whole period before `until` not done yet, recording progress with each. */
  private async rollForward(name: string, period: number, until: number, work: (tx: Tx, start: number) => Promise<number>): Promise<number> {
    const lastComplete = Math.floor(until / period) * period;
    let next = await this.resumeFrom(name, period);
    let done = 0;
    while (next !== null && next < lastComplete && done < STEPS_PER_RUN) {
      const start = next;
      await this.transactions.run(async (tx) => {
        await work(tx, start);
        await this.repository.setJobState(tx, name, String(start + period), this.clock.now());
      });
      next = start + period;
      done++;
    }
    return done;
  }

  /** Deletes raw heartbeats past their window, an hour at a time, once they are rolled up; and old hourly rollups. */
  async expire(): Promise<number> {
    const now = this.clock.now().getTime();
    const hoursDone = Number((await this.repository.getJobState('rollup.hour')) ?? 0);
    const cutoff = Math.min(now - this.config.heartbeats.rawRetentionDays * DAY, hoursDone);
    let deleted = 0;
    const oldest = await this.repository.oldestHeartbeat();
    if (oldest !== null) {
      for (let start = Math.floor(oldest / HOUR) * HOUR, steps = 0; start < cutoff && steps < STEPS_PER_RUN; start += HOUR, steps++) {
        const end = Math.min(start + HOUR, cutoff);
        deleted += await this.transactions.run((tx) => this.repository.deleteHeartbeats(tx, start, end));
      }
    }
    const hourlyCutoff = now - this.config.heartbeats.hourlyRetentionDays * DAY;
    deleted += await this.transactions.run((tx) => this.repository.deleteRollups(tx, 'hour', hourlyCutoff));
    if (deleted > 0) this.logger.log(`Retention removed ${deleted} rows of heartbeat history`);
    return deleted;
  }

  /** Where a rollup resumes: its recorded progress, or the start of the period of the oldest raw heartbeat. */
  private async resumeFrom(name: string, period: number): Promise<number | null> {
    const recorded = await this.repository.getJobState(name);
    if (recorded !== null) return Number(recorded);
    const oldest = await this.repository.oldestHeartbeat();
    return oldest === null ? null : Math.floor(oldest / period) * period;
  }
}
