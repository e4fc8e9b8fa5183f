import { slaTimers } from './incident-sla';

const reportedAt = new Date('2026-03-02T08:00:00Z');
const hours = (h: number) => new Date(reportedAt.getTime() + h * 3_600_000);

describe('slaTimers', () => {
  it('should run every clock from the report while nothing is met', () => {
    const timers = slaTimers({ priority: 'high', reportedAt, respondedAt: null, restoredAt: null, repairedAt: null, closedAt: null }, hours(5));
    expect(timers.map((t) => [t.measure, t.elapsedMinutes, t.breached])).toEqual([
      ['respond', 300, true],
      ['restore', 300, false],
      ['repair', 300, false],
    ]);
    expect(timers[0]!.dueAt).toBe('2026-03-02T12:00:00.000Z');
  });

  it('should stop a clock when its measure is met, breached or not', () => {
    const timers = slaTimers({ priority: 'normal', reportedAt, respondedAt: hours(2), restoredAt: hours(30), repairedAt: null, closedAt: null }, hours(100));
    expect(timers.map((t) => [t.measure, t.elapsedMinutes, t.breached, t.metAt !== null])).toEqual([
      ['respond', 120, false, true],
      ['restore', 1800, true, true],
      ['repair', 6000, false, false],
    ]);
  });

  it('should stop unmet clocks at the close of a ticket that needed no repair', () => {
    const [, , repair] = slaTimers({ priority: 'urgent', reportedAt, respondedAt: hours(0.5), restoredAt: null, repairedAt: null, closedAt: hours(3) }, hours(500));
    expect(repair).toMatchObject({ elapsedMinutes: 180, breached: false, stopped: true, metAt: null });
  });
});
