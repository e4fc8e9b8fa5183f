/**
 * What the dashboard reads of live health: a terminal's current health with
 * its newest values, its status timeline and chart series, and the fleet's
 * counts (from the in-memory counters, never a scan of the fleet).
 */
import { Inject, Injectable } from '@nestjs/common';
import {
  FLEET_SAMPLE_MINUTES,
  HEALTH_STATES,
  maskToReasons,
  type FleetHealthGroup,
  type FleetHealthHistoryResponse,
  type FleetHealthGroupBy,
  type FleetHealthResponse,
  type HealthCounts,
  type HeartbeatSeriesPoint,
  type HeartbeatSeriesResponse,
  type HeartbeatValues,
  type Page,
  type SeriesResolution,
  type StatusChangeResponse,
  type TerminalHealthResponse,
} from '@fleet/shared';
import { CatalogService } from '../catalog/catalog.service';
import { pageOf } from '../common/api-dtos';
import { Clock } from '../common/clock';
import { DomainException } from '../common/domain.exception';
import { requestScope } from '../common/request-scope';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { RegionsService } from '../regions/regions.service';
import { TerminalsService } from '../terminals/terminals.service';
import { HealthPoliciesService } from './health-policies.service';
import type { FleetHealthQueryDto, FleetHistoryQueryDto, SeriesQueryDto, TimeRangeQueryDto } from './health.dto';
import type { HealthRow, RollupRow } from './heartbeat-rows';
import { HeartbeatsRepository } from './heartbeats.repository';
import { LiveHealthService } from './live-health.service';
import { subtreeTotals } from './region-totals';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const RAW_POINTS_MAX = 10_000;
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function latestValues(row: HealthRow): HeartbeatValues {
  return {
    sequence: row.lastSequence,
    sentAt: new Date(row.lastSentAt).toISOString(),
    receivedAt: new Date(row.lastSeenAt).toISOString(),
    batteryPct: row.batteryPct,
    charging: row.charging,
    signalDbm: row.signalDbm,
    network: row.network,
    printer: row.printer,
    temperatureC: row.temperatureC,
    firmwareVersion: row.firmwareVersion,
    appVersion: row.appVersion,
    lastTransactionAt: iso(row.lastTransactionAt),
    transactionCount: row.transactionCount,
    printCount: row.printCount,
    errorCodes: row.errorCodes ? row.errorCodes.split(',') : [],
    location: row.lat !== null && row.lon !== null ? { lat: row.lat, lon: row.lon } : null,
  };
}

function toPoint(row: RollupRow, bucketMs: number | null): HeartbeatSeriesPoint {
  return {
    t: new Date(row.bucketStart).toISOString(),
    samples: row.samples,
    uptimePct: bucketMs === null ? null : Math.min(100, Math.round((row.upMs / bucketMs) * 1000) / 10),
    batteryMin: row.batteryMin,
    batteryAvg: row.batteryAvg === null ? null : Math.round(row.batteryAvg * 10) / 10,
    signalMin: row.signalMin,
    signalAvg: row.signalAvg === null ? null : Math.round(row.signalAvg * 10) / 10,
    temperatureMax: row.temperatureMax,
    errors: row.errorCount,
    transactions: row.transactions,
    prints: row.prints,
  };
}

function emptyCounts(): HealthCounts {
  return { unknown: 0, online: 0, degraded: 0, offline: 0 };
}

@Injectable()
export class HealthReadService {
  constructor(
    private readonly live: LiveHealthService,
    private readonly repository: HeartbeatsRepository,
    private readonly policies: HealthPoliciesService,
    private readonly terminals: TerminalsService,
    private readonly regions: RegionsService,
    private readonly catalog: CatalogService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async terminalHealth(terminalId: number): Promise<TerminalHealthResponse> {
    const terminal = await this.terminals.getTerminal(terminalId);
    const row = await this.repository.findHealth(terminalId);
    const state = this.live.state;
    const snapshot = state.has(terminalId) ? state.snapshot(terminalId) : null;
    return {
      terminalId,
      state: snapshot?.state ?? 'unknown',
      reasons: maskToReasons(snapshot?.reasons ?? 0),
      since: snapshot && snapshot.sinceMs > 0 ? iso(snapshot.sinceMs) : null,
      lastSeenAt: snapshot && snapshot.lastSeenMs > 0 ? iso(snapshot.lastSeenMs) : null,
      monitored: terminal.status === 'deployed',
      offlineAt: iso(state.offlineAt(terminalId)),
      policy: this.policies.policyFor(terminalId, terminal.modelId),
      latest: row ? latestValues(row) : null,
    };
  }

  async timeline(terminalId: number, query: TimeRangeQueryDto): Promise<Page<StatusChangeResponse>> {
    await this.terminals.getTerminal(terminalId);
    const { fromMs, toMs } = this.range(query, Number.POSITIVE_INFINITY);
    const { page, pageSize, offset } = pageOf(query);
    const { rows, total } = await this.repository.listStatusChanges(terminalId, fromMs, toMs, offset, pageSize);
    return {
      items: rows.map((row) => ({ id: row.id, terminalId: row.terminalId, from: row.from, to: row.to, reasons: maskToReasons(row.reasons), at: new Date(row.at).toISOString(), monitored: row.monitored })),
      total,
      page,
      pageSize,
    };
  }

  /**
   * Chart points over a range. `auto` picks raw heartbeats up to two days
   * (while they are kept), hourly rollups up to 90 days, daily beyond.
   */
  async series(terminalId: number, query: SeriesQueryDto): Promise<HeartbeatSeriesResponse> {
    await this.terminals.getTerminal(terminalId);
    const { fromMs, toMs } = this.range(query, DAY);
    const rawKeptFrom = this.clock.now().getTime() - this.config.heartbeats.rawRetentionDays * DAY;
    let resolution: SeriesResolution;
    if (query.resolution && query.resolution !== 'auto') resolution = query.resolution;
    else if (toMs - fromMs <= 2 * DAY && fromMs >= rawKeptFrom) resolution = 'raw';
    else if (toMs - fromMs <= 90 * DAY) resolution = 'hour';
    else resolution = 'day';
    if (resolution === 'raw' && toMs - fromMs > 31 * DAY) {
      throw DomainException.invalidField('resolution', 'rangeTooLong', 'raw heartbeats can be read over 31 days at most; use hour or day');
    }
    const rows =
      resolution === 'raw'
        ? await this.repository.rawSeries(terminalId, fromMs, toMs, RAW_POINTS_MAX)
        : await this.repository.rollupSeries(terminalId, resolution, fromMs, toMs);
    const bucket = resolution === 'hour' ? HOUR : resolution === 'day' ? DAY : null;
    return { terminalId, resolution, from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), points: rows.map((row) => toPoint(row, bucket)) };
  }

  /** Counts of deployed terminals by health, of the fleet or, for a user limited to a region, of that region. */
  async fleet(query: FleetHealthQueryDto): Promise<FleetHealthResponse> {
    const state = this.live.state;
    const scope = requestScope();
    if (!scope) {
      const groups = query.groupBy ? await this.groups(query.groupBy, state.countsBy(query.groupBy)) : [];
      return { asOf: this.clock.now().toISOString(), counts: state.counts(), reasons: state.reasonCounts(), groupBy: query.groupBy ?? null, groups };
    }
    const inside = new Set(await this.regions.subtreeIds(scope.regionId));
    const within = state.countsWithin(inside);
    let groups: FleetHealthGroup[] = [];
    if (query.groupBy === 'region') groups = (await this.groups('region', state.countsBy('region'))).filter((group) => inside.has(group.id));
    else if (query.groupBy) groups = (await this.groups(query.groupBy, within[query.groupBy])).filter((group) => HEALTH_STATES.some((health) => group.counts[health] > 0));
    return { asOf: this.clock.now().toISOString(), counts: within.counts, reasons: within.reasons, groupBy: query.groupBy ?? null, groups };
  }

  /**
   * The fleet's counts over the last hours, from the five-minute samples
   * (hourly averages beyond two days), and the share of monitored terminals
   * that were reporting over the window.
   */
  async fleetHistory(query: FleetHistoryQueryDto): Promise<FleetHealthHistoryResponse> {
    const toMs = this.clock.now().getTime();
    const fromMs = toMs - (query.hours ?? 24) * HOUR;
    const bucketMs = toMs - fromMs > 2 * DAY ? HOUR : FLEET_SAMPLE_MINUTES * 60_000;
    const [samples, availability] = await Promise.all([this.repository.fleetSamples(fromMs, toMs, bucketMs), this.repository.fleetAvailability(fromMs, toMs)]);
    return {
      from: new Date(fromMs).toISOString(),
      to: new Date(toMs).toISOString(),
      bucketMinutes: bucketMs / 60_000,
      samples: samples.map((sample) => ({ at: new Date(sample.at).toISOString(), counts: sample.counts })),
      onlinePct: availability.monitored > 0 ? (100 * availability.reporting) / availability.monitored : null,
      coverageFrom: iso(availability.first),
    };
  }

  private async groups(groupBy: FleetHealthGroupBy, counts: Map<number, HealthCounts>): Promise<FleetHealthGroup[]> {
    if (groupBy === 'region') {
      // Counters are per region; a region's figures include its sub-regions.
      const regions = await this.regions.regionTree();
      const totals = subtreeTotals(regions, counts);
      return regions.map((region) => ({ id: region.id, label: `${region.code} ${region.name}`, counts: totals.get(region.id)! }));
    }
    const names = await this.catalog.names();
    const labels = groupBy === 'model' ? names.models : names.suppliers;
    return [...labels].map(([id, label]) => ({ id, label, counts: counts.get(id) ?? emptyCounts() }));
  }

  private range(query: { from?: string; to?: string }, span: number): { fromMs: number; toMs: number } {
    const toMs = query.to ? Date.parse(query.to) : this.clock.now().getTime();
    const fromMs = query.from ? Date.parse(query.from) : Math.max(0, toMs - span);
    if (fromMs >= toMs) throw DomainException.invalidField('from', 'afterTo', 'from must be before to');
    return { fromMs, toMs };
  }
}
