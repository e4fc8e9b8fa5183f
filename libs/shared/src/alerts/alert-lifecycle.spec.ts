import { planAlerts, type AlertCondition, type AlertTiming, type LiveAlert } from './alert-lifecycle';

const T0 = new Date('2026-11-22T08:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const condition = (subjectId: number, variant = ''): AlertCondition => ({ subjectType: 'terminal', subjectId, variant, regionId: 1, since: T0, details: {} });
const alert = (id: number, subjectId: number, overrides: Partial<LiveAlert> = {}): LiveAlert => ({
  id,
  subjectType: 'terminal',
  subjectId,
  variant: '',
  state: 'open',
  raisedAt: T0,
  lastNotifiedAt: T0,
  escalatedAt: null,
  ...overrides,
});
const timing: AlertTiming = { repeatMinutes: 60, escalateAfterMinutes: 120 };

describe('planAlerts', () => {
  it('should raise one alert per subject that has none', () => {
    const plan = planAlerts([condition(1), condition(2)], [alert(9, 2)], timing, at(5));
    expect(plan.raise.map((c) => c.subjectId)).toEqual([1]);
    expect(plan.resolve).toEqual([]);
  });

  it('should deduplicate: a condition holding again raises nothing new', () => {
    expect(planAlerts([condition(1)], [alert(9, 1)], timing, at(10))).toEqual({ raise: [], resolve: [], notify: [] });
  });

  it('should tell variants apart (the 30- and 90-day reminders of one warranty)', () => {
    const plan = planAlerts([condition(1, '30')], [alert(9, 1, { variant: '90' })], timing, at(10));
    expect(plan.raise.map((c) => c.variant)).toEqual(['30']);
    expect(plan.resolve.map((a) => a.id)).toEqual([9]);
  });

  it('should resolve by itself when the condition clears, acknowledged or not', () => {
    const plan = planAlerts([], [alert(9, 1), alert(10, 2, { state: 'acknowledged' })], timing, at(10));
    expect(plan.resolve.map((a) => a.id)).toEqual([9, 10]);
  });

  it.each<[string, Partial<LiveAlert>, number, string | null]>([
    ['not yet repeated', {}, 59, null],
    ['repeated after the interval', {}, 60, 'repeated'],
    ['repeated from the last notice', { lastNotifiedAt: at(60) }, 110, null],
    ['escalated once unacknowledged too long', { lastNotifiedAt: at(60) }, 120, 'escalated'],
    ['after the escalation, repeated again', { lastNotifiedAt: at(120), escalatedAt: at(120) }, 180, 'repeated'],
    ['never repeated once acknowledged', { state: 'acknowledged' }, 600, null],
  ])('should handle %s', (_name, overrides, minutes, notice) => {
    const plan = planAlerts([condition(1)], [alert(9, 1, overrides)], timing, at(minutes));
    expect(plan.notify[0]?.notice ?? null).toBe(notice);
  });

  it('should notify once when neither repeat nor escalation is set', () => {
    expect(planAlerts([condition(1)], [alert(9, 1)], { repeatMinutes: null, escalateAfterMinutes: null }, at(10_000)).notify).toEqual([]);
  });
});
