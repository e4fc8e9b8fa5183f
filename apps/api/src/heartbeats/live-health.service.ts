/**
 * The heartbeat hot path and the live state of the fleet.
 *
 * Heartbeats are checked and authorized on arrival, then wait in a bounded
 * queue. One writer drains it: it takes everything waiting (up to a cap),
 * works out every terminal's next health in memory without touching the live
 * state, sweeps the deadlines that passed, writes heartbeats, health rows and
 * status changes in one transaction, and only after the commit applies the
 * changes to the live state, answers the waiting requests and publishes the
 * events. So a request is acknowledged only once its heartbeats are durable,
 * and under load the batches grow by themselves (group commit). When the
 * queue is full the request is refused with 503 and Retry-After.
 */
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { maskToReasons, reasonsToMask, type DegradedReason, type FieldError, type HealthState, type HeartbeatAck, type HeartbeatRequest } from '@fleet/shared';
import { Clock } from '../common/clock';
import { DomainException } from '../common/domain.exception';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { TransactionRunner } from '../database/transaction';
import { heartbeatMetrics } from '../metrics/metrics';
import type { DevicePrincipal } from '../auth/device-credentials.service';
import { TerminalsService } from '../terminals/terminals.service';
import { FleetState, type HealthSnapshot } from './fleet-state';
import { HealthPoliciesService } from './health-policies.service';
import { HEALTH_CHANGED, HEARTBEATS_STORED, type HealthChange, type HealthChangedEvent, type HeartbeatsStoredEvent } from './health.events';
import type { HealthRow, HealthStateRow, HeartbeatRow, StatusChangeRow } from './heartbeat-rows';
import { expire, step } from './heartbeat-step';
import { HeartbeatsRepository } from './heartbeats.repository';

interface Submission {
  heartbeats: HeartbeatRequest[];
  receivedAt: number;
  resolve(ack: HeartbeatAck): void;
  reject(error: unknown): void;
}

const UNKNOWN: Omit<HealthSnapshot, 'id'> = { state: 'unknown', reasons: 0, sinceMs: 0, lastSeenMs: 0, lastSequence: -1, errorStreak: 0, transactionCount: -1, printCount: -1 };

/** Terminals marked offline per commit: a storm is written in chunks of about a tenth of a second each, with requests served between them. */
const SWEEP_CHUNK = 10_000;

@Injectable()
export class LiveHealthService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LiveHealthService.name);
  readonly state: FleetState;
  /** The live state is loaded (any instance). */
  private loaded = false;
  /** Loaded and taking heartbeats (the ingest instance, not shutting down). */
  private ready = false;
  private queue: Submission[] = [];
  /** Heartbeats queued or being written. */
  private pending = 0;
  private draining = false;
  private sweepTimer: NodeJS.Timeout | null = null;
  private readonly toRefresh = new Set<number>();
  private refreshing: Promise<void> | null = null;
  /** Heartbeats made durable per second, smoothed: what Retry-After is estimated from. */
  private throughput = 1_000;

  constructor(
    private readonly repository: HeartbeatsRepository,
    private readonly transactions: TransactionRunner,
    private readonly policies: HealthPoliciesService,
    private readonly terminals: TerminalsService,
    private readonly events: EventEmitter2,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.state = new FleetState((id, modelId) => this.policies.timeoutSeconds(id, modelId), clock.now().getTime());
  }

  /**
   * Rebuilds the live state from the database: every terminal, then every
   * persisted health row. Terminals that were online get a full timeout from
   * now to report again, so a restart does not mark the fleet offline.
   */
  async onApplicationBootstrap(): Promise<void> {
    const started = Date.now();
    await this.policies.load();
    for await (const chunk of this.terminals.streamAttributes()) {
      for (const terminal of chunk) this.state.upsertTerminal({ ...terminal, monitored: terminal.status === 'deployed' });
    }
    const now = this.clock.now().getTime();
    for await (const chunk of this.repository.streamHealth()) {
      for (const row of chunk) {
        if (!this.state.has(row.terminalId)) continue;
        this.state.apply(
          {
            id: row.terminalId,
            state: row.state,
            reasons: row.reasons,
            sinceMs: row.since,
            lastSeenMs: row.lastSeenAt,
            lastSequence: row.lastSequence,
            errorStreak: row.errorStreak,
            transactionCount: row.transactionCount ?? -1,
            printCount: row.printCount ?? -1,
          },
          now,
        );
      }
    }
    // The full timeout runs from now, when heartbeats are taken again, not from the start of the rebuild.
    this.state.graceAll(this.clock.now().getTime());
    this.loaded = true;
    const mode = this.config.heartbeats.ingest ? '' : '; this instance does not take heartbeats (HEARTBEAT_INGEST=off) and mirrors the ingest instance';
    this.logger.log(`Live health of ${this.state.size} terminals rebuilt in ${Date.now() - started} ms (${this.state.pending} waiting for a heartbeat)${mode}`);
    if (this.config.heartbeats.ingest) {
      this.ready = true;
      this.sweepTimer = setInterval(() => this.kick(), this.config.heartbeats.sweepSeconds * 1000);
      this.sweepTimer.unref();
    }
    if (this.toRefresh.size > 0) void this.refreshTerminals([]);
  }

  /** Whether the live state is loaded and heartbeats are taken (false while starting and stopping). */
  get isReady(): boolean {
    return this.ready;
  }

  /** Whether this instance is the one that takes heartbeats (HEARTBEAT_INGEST), rather than a mirror. */
  get ingests(): boolean {
    return this.config.heartbeats.ingest;
  }

  /** Stops taking heartbeats and waits for those already accepted to be written. */
  async onApplicationShutdown(): Promise<void> {
    this.ready = false;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    while (this.draining || this.queue.length > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  /**
   * Accepts heartbeats from a device; resolves once they are durable.
   * Refuses the whole request, writing nothing, if any heartbeat is for a
   * terminal the device may not report for.
   */
  submit(device: DevicePrincipal, heartbeats: HeartbeatRequest[], field: (index: number) => string): Promise<HeartbeatAck> {
    if (!this.config.heartbeats.ingest) {
      return Promise.reject(new DomainException('INGEST_UNAVAILABLE', 'This instance does not take heartbeats (HEARTBEAT_INGEST=off); send them to the ingest instance'));
    }
    if (!this.ready) return Promise.reject(new DomainException('INGEST_UNAVAILABLE', 'Starting up; retry shortly', { retryAfterSeconds: 5 }));
    this.authorize(device, heartbeats, field);
    if (this.pending + heartbeats.length > this.config.heartbeats.queueLimit) {
      heartbeatMetrics.refused.inc(heartbeats.length);
      const retryAfterSeconds = Math.min(30, Math.max(1, Math.ceil(this.pending / Math.max(1, this.throughput))));
      return Promise.reject(new DomainException('INGEST_OVERLOADED', 'Too many heartbeats waiting to be stored; retry later', { retryAfterSeconds }));
    }
    this.pending += heartbeats.length;
    heartbeatMetrics.queued.set(this.pending);
    return new Promise<HeartbeatAck>((resolve, reject) => {
      this.queue.push({ heartbeats, receivedAt: this.clock.now().getTime(), resolve, reject });
      this.kick();
    });
  }

  /** Re-reads terminals that were added, changed (region, model, lifecycle) or removed. */
  async refreshTerminals(ids: number[]): Promise<void> {
    for (const id of ids) this.toRefresh.add(id);
    if (!this.loaded || this.refreshing) return this.refreshing ?? undefined;
    this.refreshing = (async () => {
      try {
        while (this.toRefresh.size > 0) {
          const batch = [...this.toRefresh].slice(0, 500);
          for (const id of batch) this.toRefresh.delete(id);
          const found = new Map((await this.terminals.attributesOf(batch)).map((row) => [row.id, row]));
          for (const id of batch) {
            const row = found.get(id);
            if (row) this.state.upsertTerminal({ ...row, monitored: row.status === 'deployed' });
            else this.state.removeTerminal(id);
          }
        }
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  /** Changes made by the ingest instance, on an instance that mirrors it: nothing is written or swept here. */
  /** Deployed terminals in `state` since before `beforeMs` (with `reason`, when given), oldest first. */
  longStanding(state: HealthState, beforeMs: number, reason: DegradedReason | null, limit: number): number[] {
    return this.state.longStanding(state, beforeMs, reason ? reasonsToMask([reason]) : 0, limit);
  }

  /** The same, with each terminal's region and since when, for alerts. */
  longStandingDetails(state: HealthState, beforeMs: number, reason: DegradedReason | null): { id: number; regionId: number; sinceMs: number }[] {
    return this.longStanding(state, beforeMs, reason, Infinity).map((id) => ({ id, ...this.state.standing(id)! }));
  }

  /**
   * A terminal's lifetime transaction and print counters as last reported
   * (null: never reported, or not in the live state), for usage-based
   * maintenance. Current on the ingest instance; a mirror knows them as of its start.
   */
  usage(id: number): { transactions: number | null; prints: number | null } | null {
    if (!this.state.has(id)) return null;
    const { transactionCount, printCount } = this.state.snapshot(id);
    return { transactions: transactionCount < 0 ? null : transactionCount, prints: printCount < 0 ? null : printCount };
  }

  applyRemote(changes: readonly HealthChange[]): void {
    if (this.config.heartbeats.ingest) return;
    for (const change of changes) {
      this.state.upsertTerminal({ id: change.terminalId, regionId: change.regionId, modelId: change.modelId, supplierId: change.supplierId, monitored: change.monitored });
      this.state.mirror(change.terminalId, change.to, reasonsToMask(change.reasons), change.at);
    }
  }

  /** A policy changed: deadlines move with the new timeout (reasons follow at the next heartbeat). */
  reschedule(scope: { modelId: number | null; terminalId: number | null }): void {
    const ids = scope.terminalId !== null ? [scope.terminalId] : scope.modelId !== null ? this.state.idsOfModel(scope.modelId) : [];
    for (const id of ids) if (this.state.has(id)) this.state.reschedule(id);
  }

  private authorize(device: DevicePrincipal, heartbeats: HeartbeatRequest[], field: (index: number) => string): void {
    const refused: FieldError[] = [];
    const unknown: FieldError[] = [];
    heartbeats.forEach((heartbeat, index) => {
      const attributes = this.state.attributes(heartbeat.terminalId);
      const name = `${field(index)}terminalId`;
      if (device.kind === 'terminal' && heartbeat.terminalId !== device.terminalId) {
        refused.push({ field: name, code: 'notYourTerminal', message: `${name}: this credential reports for terminal ${device.terminalId} only` });
      } else if (!attributes) {
        unknown.push({ field: name, code: 'notFound', message: `${name}: no terminal ${heartbeat.terminalId}` });
      } else if (device.kind === 'gateway' && !device.regionIds.has(attributes.regionId)) {
        refused.push({ field: name, code: 'outsideRegion', message: `${name}: terminal ${heartbeat.terminalId} is outside this gateway's region` });
      }
    });
    if (refused.length > 0) throw new DomainException('DEVICE_NOT_ALLOWED', 'This credential may not report for these terminals; nothing was recorded', { fields: refused.slice(0, 50) });
    if (unknown.length > 0) throw new DomainException('TERMINAL_NOT_FOUND', 'Unknown terminals; nothing was recorded', { fields: unknown.slice(0, 50) });
  }

  private kick(): void {
    if (this.draining) return;
    this.draining = true;
    setImmediate(() => void this.drain());
  }

  private async drain(): Promise<void> {
    let sweepLeft = false;
    try {
      do {
        sweepLeft = await this.flush(this.take());
      } while (this.queue.length > 0 && !sweepLeft);
    } catch (error) {
      this.logger.error(`Heartbeat writer failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    } finally {
      this.draining = false;
      // A sweep cut into chunks goes on after the requests that waited (setImmediate lets them in).
      if (this.queue.length > 0 || sweepLeft) this.kick();
    }
  }

  /** Whole submissions, oldest first, up to the cap (a single large one is taken alone). */
  private take(): Submission[] {
    const taken: Submission[] = [];
    let rows = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0]!;
      if (taken.length > 0 && rows + next.heartbeats.length > this.config.heartbeats.flushMaxRows) break;
      taken.push(this.queue.shift()!);
      rows += next.heartbeats.length;
    }
    return taken;
  }

  /**
   * One group commit: the taken heartbeats and the sweep of passed deadlines,
   * at most SWEEP_CHUNK of them. Answers whether the sweep has more to do.
   */
  private async flush(batch: Submission[]): Promise<boolean> {
    const started = performance.now();
    const now = this.clock.now().getTime();
    const next = new Map<number, HealthSnapshot>();
    const newest = new Map<number, HeartbeatRow>();
    const rows: HeartbeatRow[] = [];
    const changes: StatusChangeRow[] = [];

    for (const submission of batch) {
      for (const heartbeat of submission.heartbeats) {
        const id = heartbeat.terminalId;
        const attributes = this.state.attributes(id);
        // A terminal deleted since the request was accepted: keep its heartbeat, derive nothing.
        const previous = next.get(id) ?? (attributes ? this.state.snapshot(id) : { id, ...UNKNOWN });
        const result = step(previous, heartbeat, submission.receivedAt, this.policies.policyFor(id, attributes?.modelId ?? 0), attributes?.monitored ?? false);
        rows.push(result.row);
        if (!result.applied || !attributes) continue;
        next.set(id, result.next);
        newest.set(id, result.row);
        if (result.change) changes.push(result.change);
      }
    }

    const expired = this.state.collectExpired(now, SWEEP_CHUNK);
    const sweepLeft = expired.length === SWEEP_CHUNK;
    const wentOffline: HealthStateRow[] = [];
    for (const { id, deadlineMs } of expired) {
      if (next.has(id) || !this.state.has(id)) continue;
      const previous = this.state.snapshot(id);
      if (previous.state !== 'online' && previous.state !== 'degraded') continue;
      const result = expire(previous, deadlineMs, this.state.attributes(id)!.monitored);
      next.set(id, result.next);
      changes.push(result.change);
      wentOffline.push({ terminalId: id, state: 'offline', reasons: 0, since: deadlineMs, errorStreak: 0 });
    }

    const healthRows: HealthRow[] = [...newest].map(([id, row]) => {
      const snapshot = next.get(id)!;
      return {
        ...row,
        terminalId: id,
        state: snapshot.state,
        reasons: snapshot.reasons,
        since: snapshot.sinceMs,
        lastSeenAt: snapshot.lastSeenMs,
        lastSentAt: row.sentAt,
        lastSequence: snapshot.lastSequence,
        errorStreak: snapshot.errorStreak,
      };
    });

    if (rows.length === 0 && changes.length === 0) return sweepLeft;
    let inserted: boolean[];
    try {
      inserted = await this.transactions.run(async (tx) => {
        const fresh = await this.repository.appendHeartbeats(tx, rows);
        await this.repository.upsertHealth(tx, healthRows);
        await this.repository.updateHealthState(tx, wentOffline);
        await this.repository.insertStatusChanges(tx, changes);
        return fresh;
      });
    } catch (error) {
      // Nothing was written: the live state is untouched, the expired come back at the next sweep.
      for (const { id } of expired) if (this.state.has(id)) this.state.reschedule(id);
      this.release(batch);
      this.logger.error(`Could not store ${rows.length} heartbeats: ${error instanceof Error ? error.message : String(error)}`);
      for (const submission of batch) submission.reject(new DomainException('INGEST_UNAVAILABLE', 'The heartbeats could not be stored; retry', { retryAfterSeconds: 5 }));
      return false;
    }

    for (const snapshot of next.values()) this.state.apply(snapshot);
    this.release(batch);
    let index = 0;
    for (const submission of batch) {
      let accepted = 0;
      for (let i = 0; i < submission.heartbeats.length; i++) if (inserted[index++]) accepted++;
      submission.resolve({ accepted, duplicates: submission.heartbeats.length - accepted });
    }

    const seconds = (performance.now() - started) / 1000;
    heartbeatMetrics.flushSeconds.observe(seconds);
    heartbeatMetrics.stored.inc(inserted.filter(Boolean).length);
    if (rows.length > 0) this.throughput = 0.8 * this.throughput + 0.2 * (rows.length / Math.max(seconds, 0.001));
    if (rows.length > 0) {
      this.events.emit(HEARTBEATS_STORED, {
        count: rows.length,
        terminalIds: [...newest.keys()],
        oldestReceivedAt: batch[0]!.receivedAt,
      } satisfies HeartbeatsStoredEvent);
    }
    if (changes.length > 0) this.events.emit(HEALTH_CHANGED, { changes: changes.map((change) => this.describe(change)) } satisfies HealthChangedEvent);
    return sweepLeft;
  }

  private release(batch: Submission[]): void {
    for (const submission of batch) this.pending -= submission.heartbeats.length;
    heartbeatMetrics.queued.set(this.pending);
  }

  private describe(change: StatusChangeRow): HealthChange {
    const attributes = this.state.attributes(change.terminalId);
    return {
      terminalId: change.terminalId,
      regionId: attributes?.regionId ?? 0,
      modelId: attributes?.modelId ?? 0,
      supplierId: attributes?.supplierId ?? 0,
      from: change.from,
      to: change.to,
      reasons: maskToReasons(change.reasons),
      at: change.at,
      monitored: change.monitored,
    };
  }
}
