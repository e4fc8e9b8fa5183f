/**
 * Repair or replace (DOMAIN.md step 6): the warranty and insurance are checked
 * and a decision is recommended with its reasons, so the technician sees why
 * and procurement can audit it. In warranty and not voided by misuse, the
 * supplier repairs for free; otherwise a repair quote is weighed against the
 * replacement price and the unit's age.
 */
import type { IsoDate } from '../terminals/terminals.contracts';
import type { RepairDecision } from './incident-workflow';
import type { CostPayer, FaultCause, Responsibility } from './incidents.contracts';

/** A repair costing more than this share of a new unit is not worth it. */
export const REPLACE_WHEN_QUOTE_EXCEEDS = 0.6;
/** Past this age a unit is near the end of a POS terminal's usual life, and a lower share suffices. */
export const OLD_UNIT_YEARS = 5;
export const REPLACE_OLD_WHEN_QUOTE_EXCEEDS = 0.3;

export type CoverageStatus = 'active' | 'expired' | 'none';

export type RepairAdviceReason =
  | { code: 'inWarranty'; warrantyEnd: IsoDate }
  | { code: 'warrantyExpired'; warrantyEnd: IsoDate }
  | { code: 'noWarranty' }
  | { code: 'warrantyVoid'; responsibility: Responsibility | null; cause: FaultCause | null }
  | { code: 'insured'; policyNumber: string; deductible: number | null }
  | { code: 'quoteMissing' }
  | { code: 'repairCostHigh'; ratio: number }
  | { code: 'repairCheaper'; ratio: number }
  | { code: 'unitOld'; ageYears: number };

export interface RepairAdviceInput {
  today: IsoDate;
  warrantyStart: IsoDate | null;
  warrantyEnd: IsoDate | null;
  policy: { policyNumber: string; startDate: IsoDate; endDate: IsoDate; deductible: number | null } | null;
  responsibility: Responsibility | null;
  cause: FaultCause | null;
  /** Physical damage (dropped, liquid...) is what insurance covers; wear and defects are not. */
  damage: boolean;
  repairQuote: number | null;
  /** Defaults to the unit's purchase price. */
  replacementPrice: number | null;
  purchaseDate: IsoDate | null;
}

export interface RepairAdvice {
  decision: RepairDecision;
  payer: CostPayer;
  warranty: CoverageStatus;
  insurance: CoverageStatus;
  reasons: RepairAdviceReason[];
}

function coverage(today: IsoDate, start: IsoDate | null, end: IsoDate | null): CoverageStatus {
  if (!end) return 'none';
  return (!start || start <= today) && today <= end ? 'active' : 'expired';
}

function yearsBetween(from: IsoDate, to: IsoDate): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / (365.25 * 86_400_000);
}

export function adviseRepair(input: RepairAdviceInput): RepairAdvice {
  const warranty = coverage(input.today, input.warrantyStart, input.warrantyEnd);
  const insurance = input.policy ? coverage(input.today, input.policy.startDate, input.policy.endDate) : 'none';
  const reasons: RepairAdviceReason[] = [];
  const voided = input.responsibility === 'merchant' || input.responsibility === 'person' || input.cause === 'misuse';

  if (warranty === 'active' && !voided) {
    reasons.push({ code: 'inWarranty', warrantyEnd: input.warrantyEnd! });
    return { decision: 'supplier_rma', payer: 'supplier', warranty, insurance, reasons };
  }
  if (warranty === 'active') reasons.push({ code: 'warrantyVoid', responsibility: input.responsibility, cause: input.cause });
  else if (warranty === 'expired') reasons.push({ code: 'warrantyExpired', warrantyEnd: input.warrantyEnd! });
  else reasons.push({ code: 'noWarranty' });

  const insured = insurance === 'active' && input.damage;
  if (insured) reasons.push({ code: 'insured', policyNumber: input.policy!.policyNumber, deductible: input.policy!.deductible });
  const payer: CostPayer = insured ? 'insurer' : input.responsibility === 'merchant' ? 'merchant' : input.responsibility === 'person' ? 'person' : 'bank';

  const price = input.replacementPrice;
  if (input.repairQuote === null || price === null || price <= 0) {
    reasons.push({ code: 'quoteMissing' });
    return { decision: 'paid_repair', payer, warranty, insurance, reasons };
  }
  const ratio = Math.round((input.repairQuote / price) * 100) / 100;
  const ageYears = input.purchaseDate ? Math.floor(yearsBetween(input.purchaseDate, input.today) * 10) / 10 : null;
  const old = ageYears !== null && ageYears >= OLD_UNIT_YEARS;
  if (ratio > REPLACE_WHEN_QUOTE_EXCEEDS || (old && ratio > REPLACE_OLD_WHEN_QUOTE_EXCEEDS)) {
    reasons.push({ code: 'repairCostHigh', ratio });
    if (old) reasons.push({ code: 'unitOld', ageYears: ageYears! });
    return { decision: 'replace', payer, warranty, insurance, reasons };
  }
  reasons.push({ code: 'repairCheaper', ratio });
  return { decision: 'paid_repair', payer, warranty, insurance, reasons };
}
