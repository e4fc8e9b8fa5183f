/**
 * Tickets opened by alarms: a deployed terminal offline longer than
 * INCIDENT_AUTO_OFFLINE_SECONDS, or degraded by a recurring error code longer
 * than INCIDENT_AUTO_ERROR_SECONDS, gets a ticket unless it already has an
 * open one. Runs on the instance that owns live health (the others mirror it).
 * A check opens at most INCIDENT_AUTO_MAX_PER_CHECK tickets, oldest first, so
 * a network outage that takes a city offline does not bury the board.
 */
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { IncidentAlarm } from '@fleet/shared';
import { SYSTEM_ACTOR } from '../common/authorization';
import { Clock } from '../common/clock';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { JobLocks } from '../database/job-locks';
import { HealthReadService } from '../heartbeats/health-read.service';
import { LiveHealthService } from '../heartbeats/live-health.service';
import { TerminalsService } from '../terminals/terminals.service';
import { IncidentsService } from './incidents.service';

const ALARM_ACTOR = { ...SYSTEM_ACTOR, username: 'alarm' };
/** Longer than a check can take; a crashed holder frees the job after it. */
const LEASE_MS = 10 * 60_000;

@Injectable()
export class IncidentAlarmsScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IncidentAlarmsScheduler.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    private readonly live: LiveHealthService,
    private readonly health: HealthReadService,
    private readonly terminals: TerminalsService,
    private readonly incidents: IncidentsService,
    private readonly clock: Clock,
    private readonly locks: JobLocks,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const { autoOfflineSeconds, autoErrorSeconds, autoCheckSeconds } = this.config.incidents;
    if (!this.live.ingests || (autoOfflineSeconds === 0 && autoErrorSeconds === 0)) return;
    this.timer = setInterval(() => void this.check().catch((error: unknown) => this.logger.error(`Alarm check failed: ${String(error)}`)), autoCheckSeconds * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Opens the tickets the alarms call for; returns how many. Never runs twice at once. */
  check(): Promise<number> {
    if (!this.running) {
      this.running = (async () => {
        let opened = 0;
        await this.locks.runExclusive('incident-alarms', LEASE_MS, async () => void (opened = await this.run()));
        return opened;
      })().finally(() => (this.running = null));
    }
    return this.running;
  }

  private async run(): Promise<number> {
    if (!this.live.isReady) return 0;
    const { autoOfflineSeconds, autoErrorSeconds, autoMaxPerCheck } = this.config.incidents;
    const now = this.clock.now().getTime();
    const candidates: { id: number; alarm: IncidentAlarm }[] = [];
    if (autoErrorSeconds > 0) for (const id of this.live.longStanding('degraded', now - autoErrorSeconds * 1000, 'repeated_errors', Infinity)) candidates.push({ id, alarm: 'recurring_error' });
    if (autoOfflineSeconds > 0) for (const id of this.live.longStanding('offline', now - autoOfflineSeconds * 1000, null, Infinity)) candidates.push({ id, alarm: 'offline' });
    if (candidates.length === 0) return 0;
    const ticketed = await this.incidents.terminalsWithOpenTickets(candidates.map((candidate) => candidate.id));
    const due = candidates.filter((candidate) => !ticketed.has(candidate.id));
    let opened = 0;
    for (const { id, alarm } of due.slice(0, autoMaxPerCheck)) {
      if (await this.open(id, alarm)) opened++;
    }
    if (due.length > autoMaxPerCheck) this.logger.warn(`${due.length} terminals call for a ticket; opened ${opened}, the rest wait for the next check`);
    if (opened > 0) this.logger.log(`Alarms opened ${opened} tickets`);
    return opened;
  }

  private async open(terminalId: number, alarm: IncidentAlarm): Promise<boolean> {
    const terminal = await this.terminals.getTerminal(terminalId);
    if (terminal.status !== 'deployed') return false;
    if (alarm === 'offline') {
      const hours = Math.round(this.config.incidents.autoOfflineSeconds / 360) / 10;
      return (await this.incidents.openFromAlarm(ALARM_ACTOR, terminal, 'offline', 'network', `No heartbeat for more than ${hours} h`, [])) !== null;
    }
    const errorCodes = (await this.health.terminalHealth(terminalId)).latest?.errorCodes ?? [];
    return (await this.incidents.openFromAlarm(ALARM_ACTOR, terminal, 'recurring_error', 'error_code', `Recurring error codes${errorCodes.length ? `: ${errorCodes.join(', ')}` : ''}`, errorCodes.slice(0, 10))) !== null;
  }
}
