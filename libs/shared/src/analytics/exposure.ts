/**
 * Exposure for the reliability figures of issue 7: how long each terminal was
 * in service, within a reporting period and by age, and its time to first
 * failure, derived from the status history the audit log keeps. These are
 * the denominators reliability-statistics.ts divides by; pure, so the API's
 * reports and the planted-fleet test compute them the same way.
 *
 * What counts as exposure (time at risk of a new failure):
 * - only `deployed` time. In stock, spare on the shelf, retired and disposed
 *   units are not in use, so they cannot fail in use.
 * - not `in_repair` time: the unit is already broken and is not at risk of a
 *   new failure until it is back in service. Its failure was counted when it
 *   was reported, and time in repair is a repair-time figure, not exposure.
 * - a spare counts only while it is lent, which the history records as
 *   `deployed`: its failures during a loan count against its own model, and
 *   a shelf full of spares does not dilute its model's rate.
 * - before the first recorded status the state is unknown and not counted, so
 *   the history must start with the unit's initial status (from its creation),
 *   not only with the changes after it.
 */
import type { TerminalStatus } from '../terminals/lifecycle';
import type { IsoDate, IsoDateTime } from '../terminals/terminals.contracts';
import type { SurvivalObservation } from './reliability-statistics';

export const DAY_MS = 86_400_000;
/** A terminal-year: the Julian year, so leap years neither add nor lose exposure. */
export const YEAR_MS = 365.25 * DAY_MS;

export interface StatusChange {
  at: IsoDateTime;
  /** The status from `at` on (an audit entry's `changes.status.to`). */
  status: TerminalStatus;
}

/** In service from `from` (inclusive) to `to` (exclusive). */
export interface ServiceInterval {
  from: IsoDateTime;
  to: IsoDateTime;
}

export interface TimeWindow {
  from: IsoDateTime;
  to: IsoDateTime;
}

export interface Failure {
  /** The failure instant: the ticket's occurredAt, or reportedAt when that is all there is. */
  at: IsoDateTime;
}

/** Exposure of one age band: ages from fromDays (inclusive) to toDays (exclusive; null for the last, open band). */
export interface AgeBandYears {
  fromDays: number;
  toDays: number | null;
  /** Terminal-years. */
  exposure: number;
}

interface Span {
  from: number;
  to: number;
}

function parseTime(value: string, name: string): number {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new RangeError(`${name} must be an ISO date or date-time, got ${value}`);
  return time;
}

function toSpans(intervals: readonly ServiceInterval[]): Span[] {
  return intervals.map(({ from, to }) => ({ from: parseTime(from, 'from'), to: parseTime(to, 'to') }));
}

function toWindow(window: TimeWindow): Span {
  const span = { from: parseTime(window.from, 'window.from'), to: parseTime(window.to, 'window.to') };
  if (span.to < span.from) throw new RangeError(`window ends before it starts: ${window.from} to ${window.to}`);
  return span;
}

function assertBands(bands: readonly number[]): void {
  if (bands.length === 0) throw new RangeError('bands must not be empty');
  bands.forEach((band, index) => {
    if (!(Number.isFinite(band) && band >= 0)) throw new RangeError(`bands must be non-negative finite days, got ${band}`);
    if (index > 0 && band <= bands[index - 1]!) throw new RangeError(`bands must be strictly ascending, got ${bands.join(', ')}`);
  });
}

/**
 * The intervals in which the unit was deployed, up to `until` (the end of
 * observation, usually now). The history may come in any order; changes at
 * or after `until` are ignored, a repeated status continues the interval it
 * is in, and a unit still deployed at `until` is in service up to it.
 */
export function serviceIntervals(statusHistory: readonly StatusChange[], until: IsoDateTime): ServiceInterval[] {
  const end = parseTime(until, 'until');
  const changes = statusHistory
    .map((change) => ({ at: parseTime(change.at, 'at'), status: change.status }))
    .filter((change) => change.at < end)
    .sort((a, b) => a.at - b.at);
  const spans: Span[] = [];
  let openedAt: number | null = null;
  for (const { at, status } of changes) {
    if (status === 'deployed' && openedAt === null) openedAt = at;
    else if (status !== 'deployed' && openedAt !== null) {
      if (at > openedAt) spans.push({ from: openedAt, to: at });
      openedAt = null;
    }
  }
  if (openedAt !== null && end > openedAt) spans.push({ from: openedAt, to: end });
  return spans.map(({ from, to }) => ({ from: new Date(from).toISOString(), to: new Date(to).toISOString() }));
}

function overlapMs(span: Span, window: Span): number {
  return Math.max(0, Math.min(span.to, window.to) - Math.max(span.from, window.from));
}

/** Terminal-years in service inside the reporting window. */
export function exposureYears(intervals: readonly ServiceInterval[], window: TimeWindow): number {
  const clip = toWindow(window);
  return toSpans(intervals).reduce((sum, span) => sum + overlapMs(span, clip), 0) / YEAR_MS;
}

/**
 * Terminal-years in service inside the window, split by the unit's age at the
 * time. `bands` are the bands' lower limits in days since purchase, ascending
 * (e.g. [0, 90, 365, 730, 1095, 1460, 1825]); the last band is open. Time at
 * an age below the first limit (a unit deployed before its recorded purchase
 * date, which is a data error) falls in no band.
 */
export function exposureByAge(
  intervals: readonly ServiceInterval[],
  purchaseDate: IsoDate | IsoDateTime,
  bands: readonly number[],
  window: TimeWindow,
): AgeBandYears[] {
  assertBands(bands);
  const purchase = parseTime(purchaseDate, 'purchaseDate');
  const clip = toWindow(window);
  const spans = toSpans(intervals);
  return bands.map((fromDays, index) => {
    const toDays = bands[index + 1] ?? null;
    const band = { from: purchase + fromDays * DAY_MS, to: toDays === null ? Infinity : purchase + toDays * DAY_MS };
    const ms = spans.reduce((sum, span) => sum + overlapMs({ from: Math.max(span.from, band.from), to: Math.min(span.to, band.to) }, clip), 0);
    return { fromDays, toDays, exposure: ms / YEAR_MS };
  });
}

/** The band index for an age in days, or -1 below the first band. */
function bandIndex(bands: readonly number[], ageDays: number): number {
  let index = -1;
  for (let i = 0; i < bands.length && bands[i]! <= ageDays; i++) index = i;
  return index;
}

/**
 * Failures per age band, aligned with `bands` as exposureByAge's result is.
 * With a window, only failures inside it [from, to) count, matching the
 * exposure clipped to the same window.
 */
export function failuresByAge(
  failures: readonly Failure[],
  purchaseDate: IsoDate | IsoDateTime,
  bands: readonly number[],
  window?: TimeWindow,
): number[] {
  assertBands(bands);
  const purchase = parseTime(purchaseDate, 'purchaseDate');
  const clip = window ? toWindow(window) : { from: -Infinity, to: Infinity };
  const counts = bands.map(() => 0);
  for (const failure of failures) {
    const at = parseTime(failure.at, 'at');
    if (at < clip.from || at >= clip.to) continue;
    const index = bandIndex(bands, (at - purchase) / DAY_MS);
    if (index >= 0) counts[index] = (counts[index] ?? 0) + 1;
  }
  return counts;
}

/**
 * Whether a failure happened in service. The interval's end is included:
 * the status usually turns to in_repair at the very instant the fault is
 * reported, and that failure belongs to the service time it ended. A failure
 * outside every interval (found in stock, or on a spare on the shelf) has no
 * exposure behind it; callers should leave it out of rates.
 */
export function isInService(failure: Failure, intervals: readonly ServiceInterval[]): boolean {
  const at = parseTime(failure.at, 'at');
  return toSpans(intervals).some((span) => span.from <= at && at <= span.to);
}

/**
 * One unit's time to first failure for kaplanMeier, in days of time in
 * service (the sum of its service intervals up to the failure), because shelf
 * and repair time carry no risk. Without a failure in service the unit is
 * censored at its total time in service up to `until`, which stops growing
 * when it is retired. Null for a unit never in service before `until`: it
 * says nothing about survival.
 */
export function survivalObservation(intervals: readonly ServiceInterval[], failures: readonly Failure[], until: IsoDateTime): SurvivalObservation | null {
  const end = parseTime(until, 'until');
  const spans = toSpans(intervals)
    .filter((span) => span.from < end)
    .map((span) => ({ from: span.from, to: Math.min(span.to, end) }))
    .sort((a, b) => a.from - b.from);
  if (spans.length === 0) return null;
  const failureTimes = failures.map((failure) => parseTime(failure.at, 'at')).filter((at) => at <= end);
  let elapsed = 0;
  for (const span of spans) {
    const firstFailure = Math.min(...failureTimes.filter((at) => span.from <= at && at <= span.to));
    if (Number.isFinite(firstFailure)) return { time: (elapsed + firstFailure - span.from) / DAY_MS, event: true };
    elapsed += span.to - span.from;
  }
  return { time: elapsed / DAY_MS, event: false };
}
