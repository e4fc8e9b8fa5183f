import { claimFigure, costsByPayer, durationFigure, perYear, proportionFigure, rateFigure, repairTimeRow, survivalCurve } from './analytics-figures';
import type { TicketClaims, TicketFact } from './ticket-facts';

const NO_CLAIMS: TicketClaims = { claims: 0, decided: 0, accepted: 0, claimed: 0, recovered: 0, pending: 0 };

function fact(overrides: Partial<TicketFact>): TicketFact {
  return {
    incidentId: 1,
    reportedMs: 0,
    regionId: 1,
    modelId: 1,
    supplierId: 1,
    assigneeId: null,
    assigneeName: null,
    repairVendor: null,
    cause: null,
    failure: true,
    decided: false,
    fixed: false,
    firstTimeFix: false,
    reopened: false,
    restoreHours: null,
    repairHours: null,
    rmaHours: null,
    costs: { supplier: 0, insurer: 0, bank: 0, merchant: 0, person: 0 },
    warranty: NO_CLAIMS,
    insurance: NO_CLAIMS,
    ...overrides,
  };
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
    const row = repairTimeRow('1', 'Model', [
      fact({ restoreHours: 2, repairHours: 10, fixed: true, firstTimeFix: true }),
      fact({ restoreHours: 4, repairHours: 30, fixed: true }),
      fact({ restoreHours: 6, repairHours: 50, fixed: true, reopened: true }),
      fact({}),
    ]);
    expect(row).toMatchObject({ tickets: 4, restore: { count: 3, medianHours: 4 }, repair: { count: 3, medianHours: 30 }, firstTimeFix: { successes: 1, total: 3 }, reopen: { successes: 1, total: 3 } });
  });
});

describe(claimFigure.name, () => {
  it('should sum the tickets’ claims of one kind', () => {
    const figure = claimFigure(
      [
        fact({ warranty: { claims: 2, decided: 2, accepted: 1, claimed: 150, recovered: 80, pending: 0 } }),
        fact({ warranty: { claims: 1, decided: 0, accepted: 0, claimed: 30, recovered: 0, pending: 30 }, insurance: { claims: 1, decided: 1, accepted: 1, claimed: 999, recovered: 999, pending: 0 } }),
      ],
      'warranty',
    );
    expect(figure).toMatchObject({ acceptance: { successes: 1, total: 2 }, claimed: 180, recovered: 80, pending: 30 });
  });
});

describe(costsByPayer.name, () => {
  it('should add up each payer’s share', () => {
    expect(costsByPayer([fact({ costs: { supplier: 10, insurer: 0, bank: 5.5, merchant: 0, person: 1 } }), fact({ costs: { supplier: 0, insurer: 20, bank: 4.5, merchant: 2, person: 0 } })])).toEqual({
      supplier: 10,
      insurer: 20,
      bank: 10,
      merchant: 2,
      person: 1,
    });
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
