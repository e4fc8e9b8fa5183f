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
import type { FactTotals, SurvivalSum } from './analytics.repository';
import { claimsFrom, type TicketClaims } from './ticket-facts';

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

/** No tickets: what a group without any shows. */
export const NO_TICKETS: FactTotals = {
  key: null,
  label: null,
  tickets: 0,
  failures: 0,
  fixed: 0,
  firstTimeFix: 0,
  reopened: 0,
  bankPaidTickets: 0,
  downtimeHours: 0,
  costs: { supplier: 0, insurer: 0, bank: 0, merchant: 0, person: 0 },
  warranty: { claims: 0, decided: 0, accepted: 0, claimed: 0, recovered: 0, pending: 0 },
  insurance: { claims: 0, decided: 0, accepted: 0, claimed: 0, recovered: 0, pending: 0 },
};

/** Adds one group's totals into another (regions rolled up to their parent, say). */
export function addTotals(target: FactTotals, totals: FactTotals): FactTotals {
  const claims = (a: TicketClaims, b: TicketClaims): TicketClaims => claimsFrom((field) => a[field] + b[field]);
  return {
    ...target,
    tickets: target.tickets + totals.tickets,
    failures: target.failures + totals.failures,
    fixed: target.fixed + totals.fixed,
    firstTimeFix: target.firstTimeFix + totals.firstTimeFix,
    reopened: target.reopened + totals.reopened,
    bankPaidTickets: target.bankPaidTickets + totals.bankPaidTickets,
    downtimeHours: target.downtimeHours + totals.downtimeHours,
    costs: Object.fromEntries(COST_PAYERS.map((payer) => [payer, target.costs[payer] + totals.costs[payer]])) as Record<CostPayer, number>,
    warranty: claims(target.warranty, totals.warranty),
    insurance: claims(target.insurance, totals.insurance),
  };
}

/**
 * Restore: report → service back (the spare lent or the unit working again).
 * Repair: report → the unit itself fixed (the passing test, or the first
 * response that fixed it). First-time fix and reopen rates over the closed
 * tickets that followed a fix.
 */
export function repairTimeRow(key: string, label: string, totals: FactTotals, restoreHours: readonly number[], repairHours: readonly number[]): RepairTimeRow {
  return {
    key,
    label,
    tickets: totals.failures,
    restore: durationFigure(restoreHours),
    repair: durationFigure(repairHours),
    firstTimeFix: proportionFigure(totals.firstTimeFix, totals.fixed),
    reopen: proportionFigure(totals.reopened, totals.fixed),
  };
}

/** The costs by payer, to the cent. */
export function costsByPayer(totals: FactTotals): Record<CostPayer, number> {
  return Object.fromEntries(COST_PAYERS.map((payer) => [payer, roundTo(totals.costs[payer], 2)])) as Record<CostPayer, number>;
}

/**
 * Claims against the supplier (warranty) or the insurer: acceptance among the
 * decided claims, what was claimed, recovered (paid, else approved) and is
 * still pending.
 */
export function claimFigure(claims: TicketClaims): ClaimFigure {
  return {
    acceptance: proportionFigure(claims.accepted, claims.decided),
    claimed: roundTo(claims.claimed, 2),
    recovered: roundTo(claims.recovered, 2),
    pending: roundTo(claims.pending, 2),
  };
}

export function perYear(amount: number, exposureYears: number): number | null {
  return exposureYears > 0 ? roundTo(amount / exposureYears, 2) : null;
}
