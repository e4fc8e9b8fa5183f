import { adviseRepair, type RepairAdviceInput } from './repair-advice';

function input(overrides: Partial<RepairAdviceInput> = {}): RepairAdviceInput {
  return {
    today: '2026-06-01',
    warrantyStart: '2025-01-01',
    warrantyEnd: '2027-01-01',
    policy: null,
    responsibility: 'supplier',
    cause: 'quality_defect',
    damage: false,
    repairQuote: null,
    replacementPrice: 2000,
    purchaseDate: '2025-01-01',
    ...overrides,
  };
}

describe('adviseRepair', () => {
  it.each<[string, Partial<RepairAdviceInput>, string, string, string[]]>([
    ['in warranty: supplier RMA, supplier pays', {}, 'supplier_rma', 'supplier', ['inWarranty']],
    ['warranty voided by misuse, no quote yet', { cause: 'misuse', responsibility: 'merchant' }, 'paid_repair', 'merchant', ['warrantyVoid', 'quoteMissing']],
    ['expired, cheap repair', { warrantyEnd: '2026-01-01', responsibility: 'bank', cause: 'wear', repairQuote: 300 }, 'paid_repair', 'bank', ['warrantyExpired', 'repairCheaper']],
    ['expired, repair above 60% of a new unit', { warrantyEnd: '2026-01-01', responsibility: 'bank', cause: 'wear', repairQuote: 1300 }, 'replace', 'bank', ['warrantyExpired', 'repairCostHigh']],
    ['old unit, repair above 30%', { warrantyEnd: '2022-01-01', purchaseDate: '2020-01-01', responsibility: 'bank', cause: 'wear', repairQuote: 700 }, 'replace', 'bank', ['warrantyExpired', 'repairCostHigh', 'unitOld']],
    ['no warranty at all', { warrantyStart: null, warrantyEnd: null, responsibility: 'bank', repairQuote: 100 }, 'paid_repair', 'bank', ['noWarranty', 'repairCheaper']],
    [
      'dropped, out of warranty, insured: insurer pays the replacement',
      { warrantyEnd: '2026-01-01', responsibility: 'person', cause: 'misuse', damage: true, repairQuote: 1500, policy: { policyNumber: 'P-1', startDate: '2026-01-01', endDate: '2026-12-31', deductible: 200 } },
      'replace',
      'insurer',
      ['warrantyExpired', 'insured', 'repairCostHigh'],
    ],
    [
      'an expired policy does not pay',
      { warrantyEnd: '2026-01-01', responsibility: 'bank', damage: true, repairQuote: 100, policy: { policyNumber: 'P-1', startDate: '2025-01-01', endDate: '2025-12-31', deductible: null } },
      'paid_repair',
      'bank',
      ['warrantyExpired', 'repairCheaper'],
    ],
  ])('should advise %s', (_name, overrides, decision, payer, reasons) => {
    const advice = adviseRepair(input(overrides));
    expect([advice.decision, advice.payer, advice.reasons.map((r) => r.code)]).toEqual([decision, payer, reasons]);
  });
});
