import { seededRandom } from './random';

describe(seededRandom.name, () => {
  it('should repeat the same sequence for the same seed and differ for another', () => {
    const a = Array.from({ length: 5 }, seededRandom(7).next);
    const b = Array.from({ length: 5 }, seededRandom(7).next);
    const c = Array.from({ length: 5 }, seededRandom(8).next);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('should stay within [0, 1) and spread evenly', () => {
    const random = seededRandom(1);
    const buckets = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) {
      const value = random.next();
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
      buckets[Math.floor(value * 4)]! += 1;
    }
    for (const count of buckets) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });

  it('should honour weights', () => {
    const random = seededRandom(3);
    let heavy = 0;
    for (let i = 0; i < 10_000; i++) if (random.weighted([['a', 9], ['b', 1]] as const) === 'a') heavy++;
    expect(heavy / 10_000).toBeCloseTo(0.9, 1);
  });
});
