/**
 * The rollup behind every reliability figure: each unit's time in service and
 * its failures, summed per calendar month (UTC), region, model, supplier and
 * one of three splits (age band, batch, firmware), plus its time in service
 * to the first failure for the survival curves. Pure and incremental: the API
 * feeds it the units one chunk at a time and recomputes only the months whose
 * inputs changed; the planted-fleet test feeds it a generated fleet.
 *
 * Definitions (the dashboard's "how is this computed" notes say the same):
 * - exposure: time deployed (in service), in terminal-years of 365.25 days;
 * - a failure counts when it happens while the unit is in service, so a unit
 *   found faulty on the shelf adds neither a failure nor exposure;
 * - age: time since purchase, or since first deployment when no purchase date
 *   is recorded; early life is the first age band, [0, 90) days;
 * - survival time: cumulative time in service until the first failure; a
 *   unit that has not failed is censored at its time in service so far.
 */
import { AGE_BANDS_DAYS, type YearMonth } from './analytics.contracts';
import { DAY_MS, YEAR_MS } from './exposure';

/** A month of service for the survival curves: a twelfth of a terminal-year. */
export const SERVICE_MONTH_MS = YEAR_MS / 12;

export const EXPOSURE_DIMENSIONS = ['age', 'batch', 'firmware'] as const;
export type ExposureDimension = (typeof EXPOSURE_DIMENSIONS)[number];

export interface RollupSpan {
  /** In service from (ms, inclusive) to (ms, exclusive; null while it lasts). */
  from: number;
  to: number | null;
  regionId: number;
  firmware: string | null;
}

export interface RollupUnit {
  modelId: number;
  supplierId: number;
  batch: string | null;
  /** Purchase instant (ms), or null when not recorded. */
  purchasedAt: number | null;
  /** Ascending and not overlapping. */
  spans: readonly RollupSpan[];
  /** Failure instants (ms), ascending. */
  failures: readonly number[];
}

export interface ExposureCell {
  month: YearMonth;
  dimension: ExposureDimension;
  regionId: number;
  modelId: number;
  supplierId: number;
  key: string;
  exposureYears: number;
  failures: number;
  earlyExposureYears: number;
  earlyFailures: number;
}

export interface SurvivalCell {
  modelId: number;
  regionId: number;
  supplierId: number;
  /** Whole months of service at the first failure or the censoring. */
  months: number;
  events: number;
  censored: number;
}

interface MonthRange {
  label: YearMonth;
  from: number;
  to: number;
}

export function monthOf(ms: number): YearMonth {
  return new Date(ms).toISOString().slice(0, 7);
}

export function monthStart(month: YearMonth): number {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new RangeError(`month must be YYYY-MM, got ${month}`);
  return Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1, 1);
}

export function addMonths(month: YearMonth, count: number): YearMonth {
  const start = new Date(monthStart(month));
  return monthOf(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + count, 1));
}

/** The months from `from` to `to`, both included. */
export function monthsBetween(from: YearMonth, to: YearMonth): YearMonth[] {
  const months: YearMonth[] = [];
  for (let month = from; month <= to; month = addMonths(month, 1)) months.push(month);
  return months;
}

/** The band (its lower limit in days) of an age, or the first band for a (bad) negative age. */
export function ageBandOf(ageDays: number): number {
  let band: number = AGE_BANDS_DAYS[0];
  for (const limit of AGE_BANDS_DAYS) if (ageDays >= limit) band = limit;
  return band;
}

export class ReliabilityAccumulator {
  private readonly months: MonthRange[];
  private readonly exposure = new Map<string, ExposureCell>();
  private readonly survival = new Map<string, SurvivalCell>();

  /**
   * @param months the months to compute exposure and failures for (any order);
   *   the survival cells always cover the units' whole history.
   * @param now the end of observation: open spans run to it.
   */
  constructor(
    months: readonly YearMonth[],
    private readonly now: number,
  ) {
    this.months = [...new Set(months)].sort().map((label) => ({ label, from: monthStart(label), to: monthStart(addMonths(label, 1)) }));
  }

  add(unit: RollupUnit): void {
    if (unit.spans.length === 0) return;
    const origin = unit.purchasedAt ?? unit.spans[0]!.from;
    let served = 0;
    let firstFailure: { months: number; regionId: number } | null = null;
    let failureIndex = 0;
    for (const span of unit.spans) {
      const end = Math.min(span.to ?? this.now, this.now);
      if (end <= span.from) continue;
      this.addExposure(unit, span, span.from, end, origin);
      // Failures before this span happened out of service and are not counted; one at its very end is
      // what ended it (the unit went to repair the moment it failed).
      while (failureIndex < unit.failures.length && unit.failures[failureIndex]! < span.from) failureIndex++;
      for (; failureIndex < unit.failures.length && unit.failures[failureIndex]! <= end; failureIndex++) {
        const at = unit.failures[failureIndex]!;
        this.addFailure(unit, span, at, origin);
        firstFailure ??= { months: Math.floor((served + at - span.from) / SERVICE_MONTH_MS), regionId: span.regionId };
      }
      served += end - span.from;
    }
    const last = unit.spans[unit.spans.length - 1]!;
    if (firstFailure) this.addSurvival(unit, firstFailure.regionId, firstFailure.months, 'events');
    else if (served > 0) this.addSurvival(unit, last.regionId, Math.floor(served / SERVICE_MONTH_MS), 'censored');
  }

  exposureCells(): ExposureCell[] {
    return [...this.exposure.values()];
  }

  survivalCells(): SurvivalCell[] {
    return [...this.survival.values()];
  }

  private addExposure(unit: RollupUnit, span: RollupSpan, from: number, to: number, origin: number): void {
    for (const month of this.months) {
      if (month.to <= from) continue;
      if (month.from >= to) break;
      const start = Math.max(from, month.from);
      const stop = Math.min(to, month.to);
      // Split the piece at the age-band limits it crosses.
      let cursor = start;
      while (cursor < stop) {
        const band = ageBandOf((cursor - origin) / DAY_MS);
        const next = AGE_BANDS_DAYS.find((limit) => limit > band);
        const bandEnd = next === undefined ? Infinity : origin + next * DAY_MS;
        const pieceEnd = Math.min(stop, Math.max(bandEnd, cursor + 1));
        this.cells(unit, span, month.label, band, (cell) => {
          const years = (pieceEnd - cursor) / YEAR_MS;
          cell.exposureYears += years;
          if (band === AGE_BANDS_DAYS[0]) cell.earlyExposureYears += years;
        });
        cursor = pieceEnd;
      }
    }
  }

  private addFailure(unit: RollupUnit, span: RollupSpan, at: number, origin: number): void {
    const month = this.months.find((range) => range.from <= at && at < range.to);
    if (!month) return;
    const band = ageBandOf((at - origin) / DAY_MS);
    this.cells(unit, span, month.label, band, (cell) => {
      cell.failures += 1;
      if (band === AGE_BANDS_DAYS[0]) cell.earlyFailures += 1;
    });
  }

  private cells(unit: RollupUnit, span: RollupSpan, month: YearMonth, band: number, update: (cell: ExposureCell) => void): void {
    const keys: [ExposureDimension, string][] = [
      ['age', String(band)],
      ['batch', unit.batch ?? ''],
      ['firmware', span.firmware ?? ''],
    ];
    for (const [dimension, key] of keys) {
      const id = `${month}|${dimension}|${span.regionId}|${unit.modelId}|${unit.supplierId}|${key}`;
      let cell = this.exposure.get(id);
      if (!cell) {
        cell = { month, dimension, regionId: span.regionId, modelId: unit.modelId, supplierId: unit.supplierId, key, exposureYears: 0, failures: 0, earlyExposureYears: 0, earlyFailures: 0 };
        this.exposure.set(id, cell);
      }
      update(cell);
    }
  }

  private addSurvival(unit: RollupUnit, regionId: number, months: number, field: 'events' | 'censored'): void {
    const id = `${unit.modelId}|${regionId}|${unit.supplierId}|${months}`;
    let cell = this.survival.get(id);
    if (!cell) {
      cell = { modelId: unit.modelId, regionId, supplierId: unit.supplierId, months, events: 0, censored: 0 };
      this.survival.set(id, cell);
    }
    cell[field] += 1;
  }
}
