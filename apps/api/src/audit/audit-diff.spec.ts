import { diffFields } from './audit-diff';

describe(diffFields.name, () => {
  it('should list only the fields that changed, with before and after', () => {
    expect(diffFields({ a: 1, b: 'x', c: null }, { a: 2, b: 'x', c: null }, ['a', 'b', 'c'])).toEqual({ a: { from: 1, to: 2 } });
  });

  it('should record a creation as every set field from null', () => {
    expect(diffFields(null, { a: 1, b: null }, ['a', 'b'])).toEqual({ a: { from: null, to: 1 } });
  });

  it('should record a deletion as every field to null', () => {
    expect(diffFields({ a: 1 }, null, ['a'])).toEqual({ a: { from: 1, to: null } });
  });

  it('should treat undefined as null and compare dates by instant', () => {
    const at = new Date('2026-01-01T00:00:00Z');
    expect(diffFields({ a: undefined, d: at }, { a: null, d: new Date(at.getTime()) }, ['a', 'd'])).toEqual({});
  });

  it('should ignore fields it was not asked about', () => {
    expect(diffFields({ secret: 'a' }, { secret: 'b' }, [])).toEqual({});
  });
});
