/**
 * Sends the outbox: every NOTIFY_DISPATCH_SECONDS, the due deliveries in
 * batches, a few at a time, under the database lease
 * 'notification-dispatch' so two API instances never send the same delivery
 * at once. A run renews the lease between batches and stops after a bounded
 * number of them; the next tick takes the rest. At shutdown the deliveries in
 * flight are finished and recorded, and nothing new is started.
 */
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { JobLocks } from '../database/job-locks';
import type { NotificationDeliveryEntity } from './notification-delivery.entity';
import { NotificationsService } from './notifications.service';

const LEASE = 'notification-dispatch';
/** Far longer than a batch can take (each send gives up within 10-30 s); renewed between batches. */
const LEASE_MS = 5 * 60_000;
const BATCH = 50;
/** Sends in flight at once, so one slow receiver does not hold up the others. */
const PARALLEL = 10;
const MAX_BATCHES_PER_RUN = 20;

export interface DispatchTotals {
  sent: number;
  failed: number;
  gaveUp: number;
}

@Injectable()
export class NotificationDispatchScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(NotificationDispatchScheduler.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<DispatchTotals> | null = null;
  private stopping = false;

  constructor(
    private readonly notifications: NotificationsService,
    private readonly locks: JobLocks,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.dispatch().catch((error: unknown) => this.logger.error(`Notification dispatch failed: ${String(error)}`)), this.config.notifications.dispatchSeconds * 1000);
    this.timer.unref();
  }

  // Before the database closes (TypeORM closes it on shutdown), so the sends in flight are recorded.
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Sends what is due now; returns the totals. Never runs twice at once in this process, nor in two instances. */
  dispatch(): Promise<DispatchTotals> {
    if (!this.running) {
      this.running = (async () => {
        const totals: DispatchTotals = { sent: 0, failed: 0, gaveUp: 0 };
        // A read first: an idle outbox costs no lease writes (each one a disk sync on SQLite).
        if ((await this.notifications.due(1)).length === 0) return totals;
        await this.locks.runExclusive(LEASE, LEASE_MS, () => this.run(totals));
        if (totals.sent + totals.failed + totals.gaveUp > 0) this.logger.log(`Notifications: ${totals.sent} sent, ${totals.failed} failed (to retry), ${totals.gaveUp} given up`);
        return totals;
      })().finally(() => (this.running = null));
    }
    return this.running;
  }

  private async run(totals: DispatchTotals): Promise<void> {
    for (let batch = 0; batch < MAX_BATCHES_PER_RUN && !this.stopping; batch++) {
      // Renewing fails only if the lease ran out and another instance took it: that one carries on.
      if (batch > 0 && !(await this.locks.acquire(LEASE, LEASE_MS))) return;
      const due = await this.notifications.due(BATCH);
      await this.sendAll(due, totals);
      if (due.length < BATCH) return;
    }
  }

  private async sendAll(deliveries: NotificationDeliveryEntity[], totals: DispatchTotals): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < deliveries.length && !this.stopping) {
        const delivery = deliveries[next++]!;
        try {
          const outcome = await this.notifications.attempt(delivery);
          if (outcome === 'sent') totals.sent++;
          else if (outcome === 'failed') totals.failed++;
          else totals.gaveUp++;
        } catch (error) {
          // Recording failed (the database): the delivery stays due and is tried again.
          this.logger.error(`Delivery ${delivery.id}: ${String(error)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL, deliveries.length) }, worker));
  }
}
