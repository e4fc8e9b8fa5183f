import { toQueryString } from './http';

describe(toQueryString.name, () => {
  it.each([
    [{}, ''],
    [{ page: 2, q: '' }, '?page=2'],
    [{ status: ['deployed', 'spare'], modelId: 3 }, '?status=deployed%2Cspare&modelId=3'],
    [{ status: [], regionId: null, q: 'POS-BJ' }, '?q=POS-BJ'],
  ])('should turn %j into %p', (query, expected) => {
    expect(toQueryString(query)).toBe(expected);
  });
});
