import { expectedFailuresBetween, repairOrReplace, type RepairOrReplaceInput } from './repair-or-replace';

const YEAR_DAYS = 365.25;
const FLAT = [{ fromDays: 0, ratePerYear: 0.1 }];
const WEAR_OUT = [
  { fromDays: 0, ratePerYear: 0.05 },
  { fromDays: 1095, ratePerYear: 0.4 },
];

const base: RepairOrReplaceInput = {
  ageYears: 2,
  serviceLifeYears: 5,
  warrantyDaysLeft: 0,
  repairCovered: false,
  repairQuote: 300,
  replacementPrice: 2000,
  newWarrantyDays: YEAR_DAYS,
  averageRepairCost: 400,
  rates: FLAT,
};

describe(expectedFailuresBetween.name, () => {
  it.each([
    [FLAT, 0, YEAR_DAYS, 0.1],
    [FLAT, 100, 100 + 3 * YEAR_DAYS, 0.3],
    [WEAR_OUT, 0, 1095, (0.05 * 1095) / YEAR_DAYS],
    [WEAR_OUT, 730, 1460, (0.05 * 365 + 0.4 * 365) / YEAR_DAYS],
    [FLAT, 500, 400, 0],
  ])('should integrate the rate over the ages (%#)', (rates, from, to, expected) => expect(expectedFailuresBetween(rates, from, to)).toBeCloseTo(expected, 10));
});

describe(repairOrReplace.name, () => {
  it('should repair a unit with a cheap quote and a flat rate', () => {
    const result = repairOrReplace(base);
    // Repair: 300 + 0.3 failures × 400 = 420. Replace: 2000 × 3/5 = 1200 + failures after the new warranty (0.2 × 400) = 1280.
    expect(result.remainingYears).toBe(3);
    expect(result.expectedFailuresIfRepaired).toBeCloseTo(0.3, 10);
    expect(result.costIfRepaired).toBeCloseTo(420, 6);
    expect(result.costIfReplaced).toBeCloseTo(1280, 6);
    expect(result.recommendation).toBe('repair');
    expect(result.reasons.map((r) => r.code)).toEqual(['repairQuote', 'oldUnitFailures', 'newUnitPrice', 'newUnitFailures']);
  });

  it('should replace a wearing-out unit whose expected repairs outweigh a new one', () => {
    const result = repairOrReplace({ ...base, ageYears: 3, rates: WEAR_OUT, repairQuote: 900, averageRepairCost: 900, serviceLifeYears: 6 });
    // Old: 3 years at 0.4 = 1.2 failures × 900 + 900 = 1980. New: 2000 × 3/6 = 1000 + (0.05 × 2 years) × 900 = 1090.
    expect(result.costIfRepaired).toBeCloseTo(1980, -1);
    expect(result.costIfReplaced).toBeCloseTo(1090, -1);
    expect(result.recommendation).toBe('replace');
  });

  it('should count a repair under warranty as free, and no failure inside the warranty left', () => {
    const result = repairOrReplace({ ...base, repairCovered: true, warrantyDaysLeft: YEAR_DAYS });
    expect(result.costIfRepaired).toBeCloseTo(0.2 * 400, 6);
    expect(result.reasons[0]).toEqual({ code: 'repairCovered', value: 0 });
    expect(result.recommendation).toBe('repair');
  });

  it('should use the average repair cost when there is no quote, and say so', () => {
    const result = repairOrReplace({ ...base, repairQuote: null });
    expect(result.reasons[0]).toEqual({ code: 'quoteMissing', value: 400 });
    expect(result.costIfRepaired).toBeCloseTo(400 + 0.3 * 400, 6);
  });

  it('should replace a unit past its planned life', () => {
    const result = repairOrReplace({ ...base, ageYears: 6 });
    expect(result.remainingYears).toBe(0);
    expect(result.recommendation).toBe('replace');
    expect(result.reasons[0]).toEqual({ code: 'noLifeLeft', value: 6 });
  });
});
