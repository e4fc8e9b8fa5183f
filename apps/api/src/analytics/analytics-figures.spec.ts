import type { AnalyticsCost, AnalyticsTicket } from './analytics.repository';
import { claimFigure, durationFigure, perYear, proportionFigure, rateFigure, repairTimeRow, survivalCurve } from './analytics-figures';

const HOUR = 3_600_000;

function ticket(overrides: Partial<AnalyticsTicket>): AnalyticsTicket {
  return {
    id: 1,
    modelId: 1,
    supplierId: 1,
    regionId: 1,
    assigneeId: null,
    assigneeName: null,
    repairVendor: null,
    cause: null,
    decision: null,
    resolution: null,
    reportedAt: 0,
    restoredAt: null,
    resolvedAt: null,
    shippedAt: null,
    returnedAt: null,
    closedAt: null,
    reopenCount: 0,
    testAttempts: 0,
    ...overrides,
  };
}

function cost(overrides: Partial<AnalyticsCost>): AnalyticsCost {
  return { incidentId: 1, modelId: 1, supplierId: 1, regionId: 1, payer: 'supplier', amount: 100, claimStatus: null, claimedAmount: null, approvedAmount: null, paidAmount: null, ...overrides };
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
  it('should measure restore and repair from the report, and first-time fix over closed tickets', () => {
    const row = repairTimeRow('1', 'Model', [
      ticket({ restoredAt: 2 * HOUR, resolvedAt: 10 * HOUR, closedAt: 11 * HOUR, resolution: 'repaired', testAttempts: 1 }),
      ticket({ restoredAt: 4 * HOUR, resolvedAt: 30 * HOUR, closedAt: 31 * HOUR, resolution: 'repaired', testAttempts: 2 }),
      ticket({ restoredAt: 6 * HOUR, resolvedAt: 50 * HOUR, closedAt: 51 * HOUR, resolution: 'replaced', reopenCount: 1, testAttempts: 1 }),
      ticket({ restoredAt: null }),
    ]);
    expect(row).toMatchObject({ tickets: 4, restore: { count: 3, medianHours: 4 }, repair: { count: 3, medianHours: 30 }, firstTimeFix: { successes: 1, total: 3 }, reopen: { successes: 1, total: 3 } });
  });
});

describe(claimFigure.name, () => {
  it('should count acceptance among decided claims and recover the paid, else approved, amounts', () => {
    const figure = claimFigure(
      [
        cost({ claimStatus: 'paid', claimedAmount: 100, approvedAmount: 90, paidAmount: 80 }),
        cost({ claimStatus: 'approved', claimedAmount: 50, approvedAmount: 50 }),
        cost({ claimStatus: 'rejected', claimedAmount: 70 }),
        cost({ claimStatus: 'submitted', claimedAmount: 30 }),
        cost({ payer: 'insurer', claimStatus: 'paid', claimedAmount: 999, paidAmount: 999 }),
        cost({ payer: 'bank', amount: 40 }),
      ],
      'supplier',
    );
    expect(figure).toMatchObject({ acceptance: { successes: 2, total: 3 }, claimed: 250, recovered: 130, pending: 30 });
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
