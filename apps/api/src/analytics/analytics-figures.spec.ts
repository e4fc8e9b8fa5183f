import type { FactTotals } from './analytics.repository';
import { addTotals, claimFigure, costsByPayer, durationFigure, NO_TICKETS, perYear, proportionFigure, rateFigure, repairTimeRow, survivalCurve } from './analytics-figures';

function totals(overrides: Partial<FactTotals>): FactTotals {
  return { ...NO_TICKETS, ...overrides };
}

describe(rateFigure.name, () => {
  it('should give failures per 100 terminal-years with the exact interval', () => {
    // 5 failures in 100 terminal-years: 5 per 100, Garwood limits 1.623–11.668.
    expect(rateFigure(5, 100)).toEqual({ failures: 5, exposureYears: 100, ratePer100Years: 5, lower: 1.623, upper: 11.668, verdict: 'sufficient' });
  });
  it('should say nothing without exposure', () => {
    expect(rateFigure(0, 0)).toEqual({ failures: 0, exposureYears: 0, ratePer100Years: null, lower: null, upper: null, verdict: 'insufficient' });
  });
  it('should flag a small sample', () => expect(rateFigure(0, 3).verdict).toBe('insufficient'));
});

describe(proportionFigure.name, () => {
  it('should round the Wilson interval to four places', () => expect(proportionFigure(81, 263)).toEqual({ successes: 81, total: 263, rate: 0.308, lower: 0.2553, upper: 0.3662 }));
  it('should be empty without cases', () => expect(proportionFigure(0, 0)).toEqual({ successes: 0, total: 0, rate: null, lower: null, upper: null }));
});

describe(durationFigure.name, () => {
  it('should give the median and p90 (R-7)', () => expect(durationFigure([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual({ count: 10, medianHours: 5.5, p90Hours: 9.1 }));
  it('should give nulls for no durations', () => expect(durationFigure([])).toEqual({ count: 0, medianHours: null, p90Hours: null }));
});

describe(repairTimeRow.name, () => {
  it('should give medians over the tickets that reached each measure, and first-time fix over the fixed ones', () => {
    const row = repairTimeRow('1', 'Model', totals({ failures: 4, fixed: 3, firstTimeFix: 1, reopened: 1 }), [2, 4, 6], [10, 30, 50]);
    expect(row).toMatchObject({ tickets: 4, restore: { count: 3, medianHours: 4 }, repair: { count: 3, medianHours: 30 }, firstTimeFix: { successes: 1, total: 3 }, reopen: { successes: 1, total: 3 } });
  });
});

describe(claimFigure.name, () => {
  it('should give acceptance among decided claims and the amounts to the cent', () => {
    expect(claimFigure({ claims: 3, decided: 2, accepted: 1, claimed: 180.004, recovered: 80, pending: 30 })).toMatchObject({ acceptance: { successes: 1, total: 2 }, claimed: 180, recovered: 80, pending: 30 });
  });
});

describe(addTotals.name, () => {
  it('should add two groups’ totals field by field', () => {
    const sum = addTotals(
      totals({ tickets: 2, failures: 1, downtimeHours: 5, costs: { supplier: 10, insurer: 0, bank: 5.5, merchant: 0, person: 1 }, warranty: { claims: 1, decided: 1, accepted: 1, claimed: 10, recovered: 9, pending: 0 } }),
      totals({ tickets: 3, failures: 3, downtimeHours: 7, costs: { supplier: 0, insurer: 20, bank: 4.5, merchant: 2, person: 0 }, warranty: { claims: 2, decided: 1, accepted: 0, claimed: 20, recovered: 0, pending: 10 } }),
    );
    expect(sum).toMatchObject({ tickets: 5, failures: 4, downtimeHours: 12, warranty: { claims: 3, decided: 2, accepted: 1, claimed: 30, recovered: 9, pending: 10 } });
    expect(costsByPayer(sum)).toEqual({ supplier: 10, insurer: 20, bank: 10, merchant: 2, person: 1 });
  });
});

describe(survivalCurve.name, () => {
  it('should start at 1 and step down at the end of each month with failures', () => {
    const curve = survivalCurve([
      { modelId: 1, months: 0, events: 1, censored: 0 },
      { modelId: 1, months: 2, events: 0, censored: 4 },
      { modelId: 1, months: 3, events: 1, censored: 4 },
      { modelId: 1, months: 4, events: 0, censored: 5 },
    ]);
    expect(curve.map((point) => [point.months, point.survival, point.atRisk])).toEqual([
      [0, 1, 15],
      [1, 0.9333, 15],
      [3, 0.9333, 14],
      [4, 0.84, 10],
    ]);
  });

  it('should stop where fewer than 10 units remain at risk', () => {
    const curve = survivalCurve([
      { modelId: 1, months: 1, events: 2, censored: 8 },
      { modelId: 1, months: 5, events: 1, censored: 9 },
      { modelId: 1, months: 9, events: 1, censored: 0 },
    ]);
    expect(curve.map((point) => point.months)).toEqual([0, 2, 6]);
  });
});

describe(perYear.name, () => {
  it('should divide by exposure, or say nothing without it', () => {
    expect(perYear(250, 100)).toBe(2.5);
    expect(perYear(250, 0)).toBeNull();
  });
});
