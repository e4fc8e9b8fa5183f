import { formatAssetNumber, parseAssetNumber } from './asset-number';

describe('asset numbers', () => {
  it.each([
    [{ prefix: 'POS', regionCode: 'BJ', sequence: 123 }, 6, 'POS-BJ-000123'],
    [{ prefix: 'POS', regionCode: 'SH01', sequence: 1 }, 6, 'POS-SH01-000001'],
    [{ prefix: 'T', regionCode: 'GD', sequence: 1234567 }, 6, 'T-GD-1234567'],
    [{ prefix: 'POS', regionCode: 'BJ', sequence: 42 }, 4, 'POS-BJ-0042'],
  ])('should format %j with width %i as %s', (parts, width, expected) => {
    expect(formatAssetNumber(parts, width)).toBe(expected);
  });

  it.each([
    [{ prefix: 'pos', regionCode: 'BJ', sequence: 1 }],
    [{ prefix: 'POS', regionCode: 'B', sequence: 1 }],
    [{ prefix: 'POS', regionCode: 'BJ', sequence: 0 }],
    [{ prefix: 'POS', regionCode: 'BJ', sequence: 1.5 }],
  ])('should refuse %j', (parts) => {
    expect(() => formatAssetNumber(parts)).toThrow(RangeError);
  });

  it('should parse what it formats', () => {
    expect(parseAssetNumber('POS-BJ-000123')).toEqual({ prefix: 'POS', regionCode: 'BJ', sequence: 123 });
  });

  it.each(['', 'POS-BJ', 'POS-BJ-', 'pos-bj-000001', 'POS-BJ-000000', 'POS-BJ-12a'])('should not parse %p', (value) => {
    expect(parseAssetNumber(value)).toBeNull();
  });
});
