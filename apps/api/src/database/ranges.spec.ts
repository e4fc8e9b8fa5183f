import { prefixUpperBound } from './ranges';

describe(prefixUpperBound.name, () => {
  it.each([
    ['POS-BJ-0001', 'POS-BJ-0002'],
    ['/1/', '/10'],
    ['A', 'B'],
    ['SN9', 'SN:'],
  ])('should bound the prefix %p by %p', (prefix, bound) => {
    expect(prefixUpperBound(prefix)).toBe(bound);
    expect(`${prefix}ZZZ` < bound).toBe(true);
    expect(prefix >= prefix && prefix < bound).toBe(true);
  });
});
