/**
 * Repair or replace one terminal, by what each choice is expected to cost
 * over the rest of the unit's planned service life (the horizon):
 *
 * - repair: the quote (nothing when the supplier's warranty covers it), plus
 *   the failures the old unit is still expected to have at its age
 *   (∫ rate(age) over the horizon, the model's rate per age band), each at
 *   the model's average repair cost, except those inside what is left of
 *   its warranty;
 * - replace: the new unit's price for the part of its life the horizon uses
 *   (the rest of its life keeps its value), plus the failures a new unit of
 *   the model is expected to have over the horizon from age 0 (early life
 *   included), outside its own warranty.
 *
 * The cheaper one is recommended, with every term shown as a reason. The
 * incident's repair advice (warranty, insurance, quote ratio) stays what the
 * ticket decides with; this is the longer view procurement asks for.
 */
import { DAY_MS, YEAR_MS } from './exposure';

/** A model's failures per terminal-year from `fromDays` of age up to the next band. */
export interface AgeRate {
  fromDays: number;
  ratePerYear: number;
}

export interface RepairOrReplaceInput {
  ageYears: number;
  serviceLifeYears: number;
  /** Days left of the unit's warranty (0 when expired or none); a repair in warranty costs the bank nothing. */
  warrantyDaysLeft: number;
  /** Whether the supplier pays for this repair (in warranty and not voided by misuse). */
  repairCovered: boolean;
  repairQuote: number | null;
  replacementPrice: number;
  /** The new unit's warranty, in days. */
  newWarrantyDays: number;
  /** Average cost of one repair of this model to the bank. */
  averageRepairCost: number;
  /** Ascending by fromDays, the first at 0. */
  rates: readonly AgeRate[];
}

export type RepairOrReplaceReasonCode = 'repairQuote' | 'repairCovered' | 'oldUnitFailures' | 'newUnitPrice' | 'newUnitFailures' | 'noLifeLeft' | 'quoteMissing';

export interface RepairOrReplaceReason {
  code: RepairOrReplaceReasonCode;
  /** The amount or count the reason adds, in the fleet's currency or failures. */
  value: number;
}

export interface RepairOrReplaceResult {
  remainingYears: number;
  expectedFailuresIfRepaired: number;
  expectedFailuresIfReplaced: number;
  costIfRepaired: number;
  costIfReplaced: number;
  recommendation: 'repair' | 'replace';
  reasons: RepairOrReplaceReason[];
}

/** Expected failures between two ages (days) under a piecewise-constant rate. */
export function expectedFailuresBetween(rates: readonly AgeRate[], fromDays: number, toDays: number): number {
  if (toDays <= fromDays) return 0;
  let total = 0;
  rates.forEach((band, index) => {
    const end = rates[index + 1]?.fromDays ?? Infinity;
    const overlap = Math.min(end, toDays) - Math.max(band.fromDays, fromDays);
    if (overlap > 0) total += (band.ratePerYear * overlap * DAY_MS) / YEAR_MS;
  });
  return total;
}

export function repairOrReplace(input: RepairOrReplaceInput): RepairOrReplaceResult {
  const remainingYears = Math.max(0, input.serviceLifeYears - input.ageYears);
  const ageDays = (input.ageYears * YEAR_MS) / DAY_MS;
  const horizonDays = (remainingYears * YEAR_MS) / DAY_MS;
  const coveredDays = Math.min(input.warrantyDaysLeft, horizonDays);
  const oldFailures = expectedFailuresBetween(input.rates, ageDays, ageDays + horizonDays);
  const oldPaid = expectedFailuresBetween(input.rates, ageDays + coveredDays, ageDays + horizonDays);
  const newFailures = expectedFailuresBetween(input.rates, 0, horizonDays);
  const newPaid = expectedFailuresBetween(input.rates, Math.min(input.newWarrantyDays, horizonDays), horizonDays);

  const reasons: RepairOrReplaceReason[] = [];
  if (remainingYears === 0) reasons.push({ code: 'noLifeLeft', value: input.ageYears });
  let quote = 0;
  if (input.repairCovered) reasons.push({ code: 'repairCovered', value: 0 });
  else if (input.repairQuote === null) reasons.push({ code: 'quoteMissing', value: input.averageRepairCost });
  else reasons.push({ code: 'repairQuote', value: input.repairQuote });
  if (!input.repairCovered) quote = input.repairQuote ?? input.averageRepairCost;
  const oldRepairs = oldPaid * input.averageRepairCost;
  reasons.push({ code: 'oldUnitFailures', value: oldFailures });
  const priceShare = remainingYears === 0 ? input.replacementPrice : (input.replacementPrice * remainingYears) / input.serviceLifeYears;
  reasons.push({ code: 'newUnitPrice', value: priceShare });
  const newRepairs = newPaid * input.averageRepairCost;
  reasons.push({ code: 'newUnitFailures', value: newFailures });

  const costIfRepaired = remainingYears === 0 ? Infinity : quote + oldRepairs;
  const costIfReplaced = priceShare + newRepairs;
  return {
    remainingYears,
    expectedFailuresIfRepaired: oldFailures,
    expectedFailuresIfReplaced: newFailures,
    costIfRepaired: Number.isFinite(costIfRepaired) ? costIfRepaired : quote + oldRepairs,
    costIfReplaced,
    recommendation: costIfReplaced < costIfRepaired ? 'replace' : 'repair',
    reasons,
  };
}
