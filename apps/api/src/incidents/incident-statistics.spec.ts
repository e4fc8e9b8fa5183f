import {
  commonFaultKey,
  fixOf,
  isFirstTimeFix,
  median,
  serviceLevelGroupOf,
  ServiceLevelTally,
  share,
  summariseCommonFault,
  type CommonFaultTicket,
  type ServiceLevelTicket,
} from './incident-statistics';

const reportedAt = new Date('2026-03-02T08:00:00Z');
const hours = (h: number) => new Date(reportedAt.getTime() + h * 3_600_000);

function newFaultTicket(fields: Partial<CommonFaultTicket> = {}): CommonFaultTicket {
  return {
    id: 1,
    symptom: 'card_reader',
    modelId: 7,
    modelName: 'P2000',
    errorCode: 'E203',
    firmwareVersion: '2.3.1',
    faultType: null,
    cause: null,
    fix: 'first_response',
    reportedAt,
    resolvedAt: hours(1),
    closedAt: hours(1),
    reopenCount: 0,
    testAttempts: 0,
    resolutionNote: 'Cleaned the chip contacts',
    ...fields,
  };
}

function newLevelTicket(fields: Partial<ServiceLevelTicket> = {}): ServiceLevelTicket {
  return {
    priority: 'normal',
    stage: 'reported',
    resolution: null,
    reportedAt,
    respondedAt: null,
    restoredAt: null,
    resolvedAt: null,
    closedAt: null,
    reopenCount: 0,
    testAttempts: 0,
    rating: null,
    assigneeId: null,
    assigneeName: null,
    repairVendor: null,
    regionId: 3,
    regionName: 'Hangzhou',
    ...fields,
  };
}

describe('median', () => {
  it.each([
    [[], null],
    [[5], 5],
    [[9, 1, 5], 5],
    [[4, 1, 3, 2], 2.5],
    [[10, 2], 6],
  ])('should take the median of %j as %p', (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  it('should leave its input in place', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('share', () => {
  it.each([
    [0, 0, null],
    [2, 3, 0.6667],
    [3, 3, 1],
    [0, 4, 0],
  ])('should give %p of %p as %p', (part, whole, expected) => {
    expect(share(part, whole)).toBe(expected);
  });
});

describe('fixOf', () => {
  it.each([
    ['fixed_on_first_response', null, 'first_response'],
    ['repaired', 'on_site_repair', 'on_site_repair'],
    ['repaired', 'supplier_rma', 'supplier_rma'],
    ['replaced', 'replace', 'replace'],
    ['no_fault_found', 'on_site_repair', null],
    ['cancelled', null, null],
    [null, 'paid_repair', null],
  ] as const)('should call a ticket resolved %p after the decision %p a %p fix', (resolution, decision, expected) => {
    expect(fixOf(resolution, decision)).toBe(expected);
  });
});

describe('isFirstTimeFix', () => {
  it.each([
    [0, 0, true],
    [0, 1, true],
    [0, 2, false],
    [1, 1, false],
  ])('should judge reopened %p times with %p tests as %p', (reopenCount, testAttempts, expected) => {
    expect(isFirstTimeFix({ reopenCount, testAttempts })).toBe(expected);
  });
});

describe(summariseCommonFault.name, () => {
  it('should count the tickets, share the first-time fixes and take the last note of the latest close', () => {
    const row = summariseCommonFault([
      newFaultTicket({ id: 1, resolvedAt: hours(2), closedAt: hours(2), resolutionNote: 'first' }),
      newFaultTicket({ id: 2, resolvedAt: hours(10), closedAt: hours(30), resolutionNote: 'latest', testAttempts: 2 }),
      newFaultTicket({ id: 3, resolvedAt: hours(4), closedAt: hours(5), resolutionNote: 'middle' }),
    ]);
    expect(row).toEqual({
      symptom: 'card_reader',
      model: { id: 7, name: 'P2000' },
      errorCode: 'E203',
      firmwareVersion: '2.3.1',
      faultType: null,
      cause: null,
      fix: 'first_response',
      tickets: 3,
      firstTimeFixRate: 0.6667,
      medianRepairHours: 4,
      lastNote: 'latest',
      lastClosedAt: hours(30).toISOString(),
    });
  });

  it('should break a tie on the close by the later ticket', () => {
    const row = summariseCommonFault([newFaultTicket({ id: 9, resolutionNote: 'nine' }), newFaultTicket({ id: 4, resolutionNote: 'four' })]);
    expect(row.lastNote).toBe('nine');
  });

  it('should key a ticket by its group, nulls included', () => {
    expect(commonFaultKey(newFaultTicket({ id: 1, errorCode: null }))).toBe(commonFaultKey(newFaultTicket({ id: 2, errorCode: null, resolutionNote: 'other' })));
    expect(commonFaultKey(newFaultTicket({ errorCode: null }))).not.toBe(commonFaultKey(newFaultTicket({ errorCode: 'null' })));
  });
});

describe(ServiceLevelTally.name, () => {
  const now = hours(1000);

  it('should judge a measure once it is met or its clock is past the target, and take the median of those met', () => {
    const tally = new ServiceLevelTally('3', 'Hangzhou');
    // normal priority: respond 8 h, restore 24 h, repair 240 h
    tally.add(newLevelTicket({ respondedAt: hours(2), restoredAt: hours(30), resolvedAt: hours(100) }), now);
    tally.add(newLevelTicket({ respondedAt: hours(4), restoredAt: hours(10), resolvedAt: hours(300) }), now);
    tally.add(newLevelTicket({ respondedAt: hours(12) }), now);
    // still inside every target: not judged
    tally.add(newLevelTicket({ reportedAt: hours(999), respondedAt: null }), now);
    // closed as no fault found inside its targets: the unmet clocks stopped in time and are not judged
    tally.add(newLevelTicket({ stage: 'closed', resolution: 'no_fault_found', respondedAt: hours(1), closedAt: hours(3) }), now);
    const row = tally.toRow();
    expect(row).toMatchObject({ key: '3', label: 'Hangzhou', tickets: 5, closed: 1 });
    expect(row.respond).toEqual({ metRate: 0.75, medianHours: 3 });
    expect(row.restore).toEqual({ metRate: 0.3333, medianHours: 20 });
    expect(row.repair).toEqual({ metRate: 0.3333, medianHours: 200 });
  });

  it('should give null rates and medians to a row with nothing to judge', () => {
    const tally = new ServiceLevelTally('unassigned', 'Unassigned');
    tally.add(newLevelTicket({ reportedAt: hours(999) }), now);
    expect(tally.toRow()).toMatchObject({
      tickets: 1,
      closed: 0,
      respond: { metRate: null, medianHours: null },
      firstTimeFixRate: null,
      reopenRate: null,
      averageRating: null,
    });
  });

  it('should share first-time fixes among fixed closes, reopens among closes, and average the ratings given', () => {
    const tally = new ServiceLevelTally('5', 'Wang');
    const closed = { stage: 'closed' as const, respondedAt: hours(1), restoredAt: hours(1), resolvedAt: hours(1), closedAt: hours(1) };
    tally.add(newLevelTicket({ ...closed, resolution: 'fixed_on_first_response' }), now);
    tally.add(newLevelTicket({ ...closed, resolution: 'repaired', testAttempts: 2, rating: 4 }), now);
    tally.add(newLevelTicket({ ...closed, resolution: 'repaired', reopenCount: 1, testAttempts: 1, rating: 3 }), now);
    tally.add(newLevelTicket({ ...closed, resolution: 'cancelled' }), now);
    tally.add(newLevelTicket({ stage: 'resolved', respondedAt: hours(1), resolvedAt: hours(2), rating: 5 }), now);
    expect(tally.toRow()).toMatchObject({ tickets: 5, closed: 4, firstTimeFixRate: 0.3333, reopenRate: 0.25, averageRating: 4 });
  });
});

describe('serviceLevelGroupOf', () => {
  it.each([
    ['technician', { assigneeId: 5, assigneeName: 'Wang Wei' }, { key: '5', label: 'Wang Wei' }],
    ['technician', {}, { key: 'unassigned', label: 'Unassigned' }],
    ['vendor', { repairVendor: 'Maker RMA' }, { key: 'Maker RMA', label: 'Maker RMA' }],
    ['vendor', {}, null],
    ['region', {}, { key: '3', label: 'Hangzhou' }],
  ] as const)('should put a ticket grouped by %p with %j in %j', (groupBy, fields, expected) => {
    expect(serviceLevelGroupOf(groupBy, newLevelTicket(fields))).toEqual(expected);
  });
});
