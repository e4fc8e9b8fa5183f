/**
 * The proactive swap list (预防性更换): computed by a scheduled run from the
 * daily heartbeat rollups and the failure tickets (method in libs/shared
 * analytics/early-warning.ts), stored whole, and read a page at a time within
 * the user's region scope. A run reads the fleet in chunks of terminals and
 * yields to the event loop between them, so a million terminals never hold
 * the API up for long; it keeps each scored unit's two windows as 32-bit
 * floats (44 bytes a unit with its id) to learn from them before scoring them.
 */
import { Injectable, Logger } from '@nestjs/common';
import {
  EARLY_WARNING_SIGNALS,
  EARLY_WARNING_WINDOWS,
  EarlyWarningModel,
  hasSignal,
  isListed,
  perSignal,
  signalChange,
  signalWindows,
  startOfUtcDay,
  type EarlyWarningReport,
  type EarlyWarningSignal,
  type SignalSample,
  type SignalWindows,
} from '@fleet/shared';
import { pageOf } from '../../common/api-dtos';
import { Clock } from '../../common/clock';
import { requestScope } from '../../common/request-scope';
import { TransactionRunner } from '../../database/transaction';
import { RegionsService } from '../../regions/regions.service';
import type { EarlyWarningQueryDto } from './early-warning.dto';
import { EarlyWarningRepository, type EarlyWarningRow, type FailureInstant } from './early-warning.repository';

const DAY_MS = 86_400_000;
/** Deployed terminals read per chunk: about 10,000 rollup rows, a few tens of ms (SQLite reads block the event loop). */
const CHUNK = 250;
/** Failure windows read per chunk. */
const FAILURE_CHUNK = 250;
/** How far back failures are learnt from (the daily rollups are kept for good). */
const LOOKBACK_DAYS = 365;
/** Units scored between two yields to the event loop: about 30 ms at a million units (the ratios are binary searches in arrays that large). */
const SCORES_PER_SLICE = 2_000;
/** The list keeps the highest scores: beyond this a swap list is no longer a list anyone works through. */
export const MAX_LISTED = 10_000;

export interface EarlyWarningRunSummary {
  failedUnits: number;
  healthyUnits: number;
  listed: number;
}

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Each candidate's recent and baseline values per signal, NaN when unknown. */
class Candidates {
  length = 0;
  private ids = new Int32Array(1_024);
  private values = new Float32Array(1_024 * EARLY_WARNING_SIGNALS.length * 2);

  push(id: number, windows: SignalWindows): void {
    if (this.length === this.ids.length) {
      const ids = new Int32Array(this.ids.length * 2);
      ids.set(this.ids);
      this.ids = ids;
      const values = new Float32Array(this.values.length * 2);
      values.set(this.values);
      this.values = values;
    }
    this.ids[this.length] = id;
    const base = this.length * EARLY_WARNING_SIGNALS.length * 2;
    EARLY_WARNING_SIGNALS.forEach((signal, s) => {
      this.values[base + 2 * s] = windows[signal].recent ?? NaN;
      this.values[base + 2 * s + 1] = windows[signal].baseline ?? NaN;
    });
    this.length++;
  }

  id(index: number): number {
    return this.ids[index]!;
  }

  windows(index: number): SignalWindows {
    const base = index * EARLY_WARNING_SIGNALS.length * 2;
    return perSignal((signal) => {
      const s = EARLY_WARNING_SIGNALS.indexOf(signal);
      const recent = this.values[base + 2 * s]!;
      const baseline = this.values[base + 2 * s + 1]!;
      const known = !Number.isNaN(recent) && !Number.isNaN(baseline);
      return { recent: Number.isNaN(recent) ? null : recent, baseline: Number.isNaN(baseline) ? null : baseline, change: known ? signalChange(signal, recent, baseline) : null };
    });
  }

  /** The candidate's changes in EARLY_WARNING_SIGNALS order, into `into`. */
  changes(index: number, into: (number | null)[]): (number | null)[] {
    const base = index * EARLY_WARNING_SIGNALS.length * 2;
    EARLY_WARNING_SIGNALS.forEach((signal, s) => {
      const recent = this.values[base + 2 * s]!;
      const baseline = this.values[base + 2 * s + 1]!;
      into[s] = Number.isNaN(recent) || Number.isNaN(baseline) ? null : signalChange(signal, recent, baseline);
    });
    return into;
  }

  /** Every known change of one signal. */
  known(signal: EarlyWarningSignal): Float64Array {
    const s = EARLY_WARNING_SIGNALS.indexOf(signal);
    const changes: number[] = [];
    const into: (number | null)[] = [];
    for (let index = 0; index < this.length; index++) {
      const change = this.changes(index, into)[s];
      if (change !== null && change !== undefined) changes.push(change);
    }
    return Float64Array.from(changes);
  }
}

@Injectable()
export class EarlyWarningService {
  private readonly logger = new Logger(EarlyWarningService.name);

  constructor(
    private readonly repository: EarlyWarningRepository,
    private readonly regions: RegionsService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  async report(query: EarlyWarningQueryDto): Promise<EarlyWarningReport> {
    const { page, pageSize, offset } = pageOf(query);
    const filter = {
      modelId: query.modelId,
      regionPath: query.regionId ? (await this.regions.getRegion(query.regionId)).path : undefined,
      scopePath: requestScope()?.path,
    };
    const [run, rows, total] = await Promise.all([this.repository.latestRun(), this.repository.list(filter, offset, pageSize), this.repository.count(filter)]);
    return {
      asOf: run ? run.computedAt.toISOString() : null,
      basis: {
        failedUnits: run?.failedUnits ?? 0,
        healthyUnits: run?.healthyUnits ?? 0,
        recentDays: run?.recentDays ?? EARLY_WARNING_WINDOWS.recentDays,
        baselineDays: run?.baselineDays ?? EARLY_WARNING_WINDOWS.baselineDays,
      },
      items: rows.map((row) => ({
        terminal: { id: row.terminalId, name: row.assetNumber },
        model: { id: row.modelId, name: row.modelName },
        region: { id: row.regionId, name: row.regionName },
        score: row.score,
        evidence: row.evidence,
      })),
      total,
      page,
      pageSize,
    };
  }

  /** Whether the last run is older than half the interval (so instances ticking out of step run it once per interval). */
  async isDue(intervalMs: number): Promise<boolean> {
    const run = await this.repository.latestRun();
    return !run || this.clock.now().getTime() - run.computedAt.getTime() >= intervalMs / 2;
  }

  /**
   * Learns from the failures and the deployed fleet, scores the fleet and
   * replaces the list. Returns null, having written nothing, when `stopping`
   * says so between two chunks.
   */
  async recompute(stopping: () => boolean = () => false): Promise<EarlyWarningRunSummary | null> {
    const started = this.clock.now();
    const end = startOfUtcDay(started.getTime());
    const windowStart = end - (EARLY_WARNING_WINDOWS.recentDays + EARLY_WARNING_WINDOWS.baselineDays) * DAY_MS;

    const failed = await this.failedWindows(end, stopping);
    if (!failed) return null;
    const candidates = await this.candidates(windowStart, end, stopping);
    if (!candidates) return null;

    // Sorted a signal at a time, so that a million units never hold the event loop for long.
    const samples = perSignal((): SignalSample => ({ failed: [], healthy: [] }));
    for (const signal of EARLY_WARNING_SIGNALS) {
      samples[signal] = { failed: Float64Array.from(failed.changes[signal]).sort(), healthy: candidates.known(signal).sort() };
      await nextTick();
    }
    const model = new EarlyWarningModel(samples, { failed: failed.units, healthy: candidates.length });
    const scored: { index: number; score: number }[] = [];
    const into: (number | null)[] = [];
    for (let index = 0; index < candidates.length; index++) {
      const score = model.score(candidates.changes(index, into));
      if (isListed(score)) scored.push({ index, score });
      if (index % SCORES_PER_SLICE === SCORES_PER_SLICE - 1) {
        await nextTick();
        if (stopping()) return null;
      }
    }
    scored.sort((a, b) => b.score - a.score || candidates.id(a.index) - candidates.id(b.index));
    const rows: EarlyWarningRow[] = scored.slice(0, MAX_LISTED).map(({ index }) => {
      const { score, evidence } = model.assess(candidates.windows(index));
      return { terminalId: candidates.id(index), score: Math.round(score * 1000) / 1000, evidence };
    });

    const durationMs = this.clock.now().getTime() - started.getTime();
    const summary = { failedUnits: failed.units, healthyUnits: candidates.length, listed: rows.length };
    await this.transactions.run((tx) =>
      this.repository.replace(tx, rows, { computedAt: started, ...summary, recentDays: EARLY_WARNING_WINDOWS.recentDays, baselineDays: EARLY_WARNING_WINDOWS.baselineDays, durationMs }),
    );
    this.logger.log(`Early warning: learnt from ${summary.failedUnits} failures and ${summary.healthyUnits} units without, listed ${summary.listed} in ${durationMs} ms`);
    return summary;
  }

  /** The signal changes before each failure of the last year whose windows had data. */
  private async failedWindows(end: number, stopping: () => boolean): Promise<{ units: number; changes: Record<EarlyWarningSignal, number[]> } | null> {
    const changes = perSignal((): number[] => []);
    let units = 0;
    for await (const page of this.repository.failures(new Date(end - LOOKBACK_DAYS * DAY_MS), new Date(end))) {
      // In time order, so a chunk's rollups span little more than its windows.
      const sorted = [...page].sort((a, b) => a.failedAt - b.failedAt);
      for (let start = 0; start < sorted.length; start += FAILURE_CHUNK) {
        const chunk: FailureInstant[] = sorted.slice(start, start + FAILURE_CHUNK);
        const ends = chunk.map((failure) => startOfUtcDay(failure.failedAt));
        const from = Math.min(...ends) - (EARLY_WARNING_WINDOWS.recentDays + EARLY_WARNING_WINDOWS.baselineDays) * DAY_MS;
        const history = await this.repository.dailyHistory([...new Set(chunk.map((failure) => failure.terminalId))], from, Math.max(...ends));
        chunk.forEach((failure, n) => {
          const windows = signalWindows(history.get(failure.terminalId) ?? [], ends[n]!);
          if (!hasSignal(windows)) return;
          units++;
          for (const signal of EARLY_WARNING_SIGNALS) {
            const change = windows[signal].change;
            if (change !== null) changes[signal].push(change);
          }
        });
        await nextTick();
        if (stopping()) return null;
      }
    }
    return { units, changes };
  }

  /** Deployed units with no failure since their baseline began and any signal known: compared with the failed ones, and scored. */
  private async candidates(windowStart: number, end: number, stopping: () => boolean): Promise<Candidates | null> {
    const candidates = new Candidates();
    for (let after = 0; ; ) {
      const ids = await this.repository.deployedAfter(after, CHUNK);
      if (ids.length === 0) break;
      after = ids[ids.length - 1]!;
      const [history, failed] = await Promise.all([this.repository.dailyHistory(ids, windowStart, end), this.repository.failedSince(ids, new Date(windowStart))]);
      for (const id of ids) {
        if (failed.has(id)) continue;
        const windows = signalWindows(history.get(id) ?? [], end);
        if (hasSignal(windows)) candidates.push(id, windows);
      }
      await nextTick();
      if (stopping()) return null;
    }
    return candidates;
  }
}
