/**
 * The figures of the analytics answers from the sums the repository reads:
 * pure, so each definition is tested once and shared by every report that
 * shows it (a model's rate is the same number on the reliability page, in
 * the comparison and on the scorecard).
 */
import {
  COST_PAYERS,
  failureRatePer100Years,
  kaplanMeier,
  quantile,
  wilsonInterval,
  type ClaimFigure,
  type CostPayer,
  type DurationFigure,
  type ProportionFigure,
  type RateFigure,
  type RepairTimeRow,
  type SurvivalPoint,
} from '@fleet/shared';
import { roundTo } from '../incidents/incident-statistics';
import type { SurvivalSum } from './analytics.repository';
import type { TicketClaims, TicketFact } from './ticket-facts';

/** Failures per 100 terminal-years with its exact interval; no rate without exposure. */
export function rateFigure(failures: number, exposureYears: number): RateFigure {
  if (!(exposureYears > 0)) return { failures, exposureYears: 0, ratePer100Years: null, lower: null, upper: null, verdict: 'insufficient' };
  const rate = failureRatePer100Years(failures, exposureYears);
  return { failures, exposureYears: roundTo(exposureYears, 3), ratePer100Years: roundTo(rate.rate, 3), lower: roundTo(rate.lower, 3), upper: roundTo(rate.upper, 3), verdict: rate.verdict };
}

export function proportionFigure(successes: number, total: number): ProportionFigure {
  const { rate, lower, upper } = wilsonInterval(successes, total);
  const round = (value: number | null) => (value === null ? null : roundTo(value, 4));
  return { successes, total, rate: round(rate), lower: round(lower), upper: round(upper) };
}

export function durationFigure(hours: readonly number[]): DurationFigure {
  const round = (value: number | null) => (value === null ? null : roundTo(value, 1));
  return { count: hours.length, medianHours: round(quantile(hours, 0.5)), p90Hours: round(quantile(hours, 0.9)) };
}

/** Below this many units at risk a step says more about a handful of units than about the model; the curve stops. */
export const MIN_AT_RISK = 10;

/**
 * The Kaplan–Meier curve of one model from its survival cells (months of
 * service), up to the last month with at least MIN_AT_RISK units at risk.
 */
export function survivalCurve(cells: readonly SurvivalSum[]): SurvivalPoint[] {
  const observations = cells.flatMap((cell) => [
    ...(cell.events > 0 ? [{ time: cell.months, event: true, count: cell.events }] : []),
    ...(cell.censored > 0 ? [{ time: cell.months, event: false, count: cell.censored }] : []),
  ]);
  const points: SurvivalPoint[] = [{ months: 0, survival: 1, lower: 1, upper: 1, atRisk: observations.reduce((sum, o) => sum + o.count, 0), events: 0 }];
  for (const step of kaplanMeier(observations)) {
    if (step.atRisk < MIN_AT_RISK) break;
    // A failure in month m of service is known to have happened by its end.
    points.push({
      months: step.time + 1,
      survival: roundTo(step.survival, 4),
      lower: roundTo(step.lower ?? 0, 4),
      upper: roundTo(step.upper ?? step.survival, 4),
      atRisk: step.atRisk,
      events: step.events,
    });
  }
  return points;
}

/**
 * Restore: report → service back (the spare lent or the unit working again).
 * Repair: report → the unit itself fixed (the passing test, or the first
 * response that fixed it). First-time fix and reopen rates over the closed
 * tickets that followed a fix.
 */
export function repairTimeRow(key: string, label: string, facts: readonly TicketFact[]): RepairTimeRow {
  const fixed = facts.filter((fact) => fact.fixed);
  return {
    key,
    label,
    tickets: facts.length,
    restore: durationFigure(facts.flatMap((fact) => (fact.restoreHours === null ? [] : [fact.restoreHours]))),
    repair: durationFigure(facts.flatMap((fact) => (fact.repairHours === null ? [] : [fact.repairHours]))),
    firstTimeFix: proportionFigure(fixed.filter((fact) => fact.firstTimeFix).length, fixed.length),
    reopen: proportionFigure(fixed.filter((fact) => fact.reopened).length, fixed.length),
  };
}

/** The tickets' costs by payer. */
export function costsByPayer(facts: readonly TicketFact[]): Record<CostPayer, number> {
  const byPayer = Object.fromEntries(COST_PAYERS.map((payer) => [payer, 0])) as Record<CostPayer, number>;
  for (const fact of facts) for (const payer of COST_PAYERS) byPayer[payer] += fact.costs[payer];
  for (const payer of COST_PAYERS) byPayer[payer] = roundTo(byPayer[payer], 2);
  return byPayer;
}

/**
 * Claims against the supplier (warranty) or the insurer: acceptance among the
 * decided claims, what was claimed, recovered (paid, else approved) and is
 * still pending.
 */
export function claimFigure(facts: readonly TicketFact[], kind: 'warranty' | 'insurance'): ClaimFigure {
  const sum = (field: keyof TicketClaims) => facts.reduce((total, fact) => total + fact[kind][field], 0);
  return {
    acceptance: proportionFigure(sum('accepted'), sum('decided')),
    claimed: roundTo(sum('claimed'), 2),
    recovered: roundTo(sum('recovered'), 2),
    pending: roundTo(sum('pending'), 2),
  };
}

export function perYear(amount: number, exposureYears: number): number | null {
  return exposureYears > 0 ? roundTo(amount / exposureYears, 2) : null;
}
