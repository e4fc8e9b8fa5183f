import { addDays, addMonths, FixedClock } from './clock';

describe('calendar helpers', () => {
  it.each([
    ['2024-01-31', 1, '2024-02-29'],
    ['2023-01-31', 1, '2023-02-28'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2022-06-15', 36, '2025-06-15'],
    ['2022-06-15', 0, '2022-06-15'],
  ])('should add months to %s + %i = %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });

  it.each([
    ['2024-12-31', 1, '2025-01-01'],
    ['2024-03-01', -1, '2024-02-29'],
    ['2024-01-01', 90, '2024-03-31'],
  ])('should add days to %s + %i = %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });

  it('should give today in UTC from the injected instant', () => {
    expect(new FixedClock(new Date('2026-11-22T23:30:00Z')).today()).toBe('2026-11-22');
  });
});
