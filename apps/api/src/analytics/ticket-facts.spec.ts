import { ticketFact, type CostForFact, type IncidentForFact } from './ticket-facts';

const HOUR = 3_600_000;

function incident(overrides: Partial<IncidentForFact>): IncidentForFact {
  return {
    id: 7,
    reportedAt: 0,
    regionId: 1,
    modelId: 2,
    supplierId: 3,
    assigneeId: null,
    assigneeName: null,
    repairVendor: null,
    cause: null,
    decision: null,
    resolution: null,
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

function cost(overrides: Partial<CostForFact>): CostForFact {
  return { payer: 'supplier', amount: 100, claimStatus: null, claimedAmount: null, approvedAmount: null, paidAmount: null, ...overrides };
}

describe(ticketFact.name, () => {
  it('should measure a repaired ticket from its report, and call it fixed the first time with one passing test', () => {
    const fact = ticketFact(
      incident({ decision: 'supplier_rma', resolution: 'repaired', restoredAt: 3 * HOUR, shippedAt: 5 * HOUR, returnedAt: 53 * HOUR, resolvedAt: 60 * HOUR, closedAt: 61 * HOUR, testAttempts: 1 }),
      [],
    );
    expect(fact).toMatchObject({ failure: true, decided: true, fixed: true, firstTimeFix: true, reopened: false, restoreHours: 3, repairHours: 60, rmaHours: 48 });
  });

  it('should not call a ticket fixed the first time after a failed test or a reopening', () => {
    expect(ticketFact(incident({ resolution: 'repaired', closedAt: HOUR, testAttempts: 2 }), [])).toMatchObject({ fixed: true, firstTimeFix: false });
    expect(ticketFact(incident({ resolution: 'replaced', closedAt: HOUR, reopenCount: 1, testAttempts: 1 }), [])).toMatchObject({ fixed: true, firstTimeFix: false, reopened: true });
  });

  it.each([
    ['no_fault_found', false],
    ['duplicate', false],
    ['cancelled', false],
    ['repaired', true],
    [null, true],
  ] as const)('should count a ticket resolved as %p as a failure: %p', (resolution, failure) => {
    expect(ticketFact(incident({ resolution, closedAt: resolution ? HOUR : null }), []).failure).toBe(failure);
  });

  it('should total the costs by payer and tally the claims against the supplier and the insurer', () => {
    const fact = ticketFact(incident({}), [
      cost({ payer: 'supplier', amount: 100, claimStatus: 'paid', claimedAmount: 100, approvedAmount: 90, paidAmount: 80 }),
      cost({ payer: 'supplier', amount: 50, claimStatus: 'approved', approvedAmount: 50 }),
      cost({ payer: 'supplier', amount: 70, claimStatus: 'rejected' }),
      cost({ payer: 'supplier', amount: 30, claimStatus: 'submitted' }),
      cost({ payer: 'insurer', amount: 400, claimStatus: 'submitted', claimedAmount: 350 }),
      cost({ payer: 'bank', amount: 40 }),
      cost({ payer: 'bank', amount: 10 }),
    ]);
    expect(fact.costs).toEqual({ supplier: 250, insurer: 400, bank: 50, merchant: 0, person: 0 });
    expect(fact.warranty).toEqual({ claims: 4, decided: 3, accepted: 2, claimed: 250, recovered: 130, pending: 30 });
    expect(fact.insurance).toEqual({ claims: 1, decided: 0, accepted: 0, claimed: 350, recovered: 0, pending: 350 });
  });
});
