import type { TerminalStatus } from '../terminals/lifecycle';
import {
  exposureByAge,
  exposureYears,
  failuresByAge,
  isInService,
  serviceIntervals,
  survivalObservation,
  DAY_MS,
  YEAR_MS,
  type StatusChange,
} from './exposure';

const YEAR_2025 = { from: '2025-01-01T00:00:00.000Z', to: '2026-01-01T00:00:00.000Z' };
const UNTIL = '2026-01-01T00:00:00.000Z';
const change = (day: string, status: TerminalStatus): StatusChange => ({ at: `${day}T00:00:00.000Z`, status });
const days = (count: number) => (count * DAY_MS) / YEAR_MS;
const interval = (from: string, to: string) => ({ from: `${from}T00:00:00.000Z`, to: `${to}T00:00:00.000Z` });

describe(serviceIntervals.name, () => {
  it.each<[string, StatusChange[], ReturnType<typeof interval>[]]>([
    ['bought mid-period: service starts at the first deployment, not at purchase', [change('2025-03-01', 'in_stock'), change('2025-04-01', 'deployed')], [interval('2025-04-01', '2026-01-01')]],
    ['retired: service stops at retirement', [change('2024-06-01', 'deployed'), change('2025-07-01', 'retired')], [interval('2024-06-01', '2025-07-01')]],
    ['in stock the whole period: never in service', [change('2024-12-01', 'in_stock')], []],
    [
      'a repair gap is not service',
      [change('2025-01-01', 'deployed'), change('2025-03-01', 'in_repair'), change('2025-03-21', 'deployed')],
      [interval('2025-01-01', '2025-03-01'), interval('2025-03-21', '2026-01-01')],
    ],
    ['a spare lent for 10 days: in service for those 10 days only', [change('2025-02-01', 'spare'), change('2025-05-10', 'deployed'), change('2025-05-20', 'spare')], [interval('2025-05-10', '2025-05-20')]],
    ['history in any order, repeated statuses continuing the interval', [change('2025-06-01', 'deployed'), change('2025-01-01', 'deployed'), change('2025-09-01', 'in_stock')], [interval('2025-01-01', '2025-09-01')]],
    ['changes after the end of observation ignored', [change('2025-11-01', 'deployed'), change('2026-02-01', 'retired')], [interval('2025-11-01', '2026-01-01')]],
    ['a status changed twice at the same instant leaves no empty interval', [change('2025-05-01', 'deployed'), change('2025-05-01', 'in_repair')], []],
  ])('should handle %s', (_, history, expected) => {
    expect(serviceIntervals(history, UNTIL)).toEqual(expected);
  });
});

describe(exposureYears.name, () => {
  it.each([
    ['bought mid-period', [interval('2025-04-01', '2026-01-01')], days(275)],
    ['retired mid-period', [interval('2024-06-01', '2025-07-01')], days(181)],
    ['in stock the whole period', [], 0],
    ['with a repair gap', [interval('2025-01-01', '2025-03-01'), interval('2025-03-21', '2026-01-01')], days(365 - 20)],
    ['a spare lent for 10 days', [interval('2025-05-10', '2025-05-20')], days(10)],
    ['deployed before the window and after it', [interval('2023-01-01', '2027-01-01')], days(365)],
    ['cut by the window at both ends', [interval('2024-12-01', '2025-01-11'), interval('2025-12-22', '2026-02-01')], days(20)],
    ['entirely outside the window', [interval('2023-01-01', '2024-01-01')], 0],
  ])('should count the in-service time inside the window: %s', (_, intervals, expected) => {
    expect(exposureYears(intervals, YEAR_2025)).toBeCloseTo(expected, 12);
  });

  it('should give a full terminal-year for a unit in service all of a 365.25-day year', () => {
    expect(exposureYears([interval('2020-01-01', '2030-01-01')], { from: '2025-01-01T00:00:00Z', to: '2026-01-01T06:00:00Z' })).toBeCloseTo(1, 12);
  });

  it('should refuse a window that ends before it starts', () => {
    expect(() => exposureYears([], { from: YEAR_2025.to, to: YEAR_2025.from })).toThrow(RangeError);
  });
});

describe(exposureByAge.name, () => {
  const BANDS = [0, 90, 365];

  it.each([
    // Bought 2025-01-01, deployed 30 days later: 60 days under 90 days of age, 275 to a year, the rest of 2025 none.
    ['bought in the window', '2025-01-01', [interval('2025-01-31', '2026-01-01')], [days(60), days(275), 0]],
    // Bought 2024-07-01, in service all 2025: 90 days old on 2024-09-29, a year old on 2025-07-01.
    ['older than the first band all the window', '2024-07-01', [interval('2024-07-01', '2027-01-01')], [0, days(181), days(184)]],
    ['in repair across a band limit', '2025-01-01', [interval('2025-01-01', '2025-03-02'), interval('2025-05-01', '2026-01-01')], [days(60), days(245), 0]],
    ['deployed before its recorded purchase date: that time in no band', '2025-07-01', [interval('2025-06-01', '2025-07-11')], [days(10), 0, 0]],
  ])('should split the in-service time by age: %s', (_, purchaseDate, intervals, expected) => {
    const result = exposureByAge(intervals, purchaseDate, BANDS, YEAR_2025);
    expect(result.map((band) => [band.fromDays, band.toDays])).toEqual([[0, 90], [90, 365], [365, null]]);
    result.forEach((band, index) => expect(band.exposure).toBeCloseTo(expected[index]!, 12));
  });

  it('should add up to exposureYears when the bands start at purchase', () => {
    const intervals = [interval('2024-03-01', '2024-08-01'), interval('2024-09-01', '2025-10-01')];
    const total = exposureByAge(intervals, '2024-02-01', [0, 90, 365, 730, 1095], YEAR_2025).reduce((sum, band) => sum + band.exposure, 0);
    expect(total).toBeCloseTo(exposureYears(intervals, YEAR_2025), 12);
  });

  it.each([[[]], [[0, 90, 90]], [[90, 0]], [[-1, 90]]])('should refuse bands %p', (bands) => {
    expect(() => exposureByAge([], '2025-01-01', bands, YEAR_2025)).toThrow(RangeError);
  });
});

describe(failuresByAge.name, () => {
  const failures = [{ at: '2025-01-15T10:00:00Z' }, { at: '2025-03-31T23:59:59Z' }, { at: '2025-04-01T00:00:00Z' }, { at: '2026-02-01T00:00:00Z' }];

  it('should count failures by the age at which they happened, a band limit belonging to the older band', () => {
    expect(failuresByAge(failures, '2025-01-01', [0, 90, 365])).toEqual([2, 1, 1]);
  });

  it('should count only the failures in the window when given one', () => {
    expect(failuresByAge(failures, '2025-01-01', [0, 90, 365], YEAR_2025)).toEqual([2, 1, 0]);
  });

  it('should leave out a failure dated before the purchase', () => {
    expect(failuresByAge([{ at: '2024-12-01T00:00:00Z' }], '2025-01-01', [0, 90])).toEqual([0, 0]);
  });
});

describe(isInService.name, () => {
  const intervals = [interval('2025-01-01', '2025-03-01')];

  it.each([
    ['during service', '2025-02-01T00:00:00Z', true],
    ['at the instant the status turned to in_repair', '2025-03-01T00:00:00Z', true],
    ['in stock afterwards', '2025-03-05T00:00:00Z', false],
    ['before the first deployment', '2024-12-31T00:00:00Z', false],
  ])('should tell a failure %s', (_, at, expected) => {
    expect(isInService({ at }, intervals)).toBe(expected);
  });
});

describe(survivalObservation.name, () => {
  it.each([
    ['a failure after 40 days in service', [interval('2025-01-01', '2025-06-01')], [{ at: '2025-02-10T00:00:00Z' }], { time: 40, event: true }],
    [
      'time in repair and in stock left out of the time to failure',
      [interval('2025-01-01', '2025-01-31'), interval('2025-03-01', '2025-12-01')],
      [{ at: '2025-03-11T00:00:00Z' }, { at: '2025-05-01T00:00:00Z' }],
      { time: 40, event: true },
    ],
    ['no failure: censored at the end of observation', [interval('2025-11-01', '2026-06-01')], [], { time: 61, event: false }],
    ['retired without failure: censored at retirement', [interval('2025-01-01', '2025-01-21')], [], { time: 20, event: false }],
    ['a failure on the shelf does not end survival', [interval('2025-12-01', '2026-01-01')], [{ at: '2025-11-01T00:00:00Z' }], { time: 31, event: false }],
  ])('should give the time in service to first failure: %s', (_, intervals, failures, expected) => {
    const observation = survivalObservation(intervals, failures, UNTIL);
    expect(observation?.event).toBe(expected.event);
    expect(observation?.time).toBeCloseTo(expected.time, 9);
  });

  it('should give nothing for a unit never in service', () => {
    expect(survivalObservation([interval('2026-02-01', '2026-03-01')], [], UNTIL)).toBeNull();
  });
});
