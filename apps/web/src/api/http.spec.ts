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

  it('should repeat the key of each item of a list when asked', () => {
    expect(toQueryString({ stage: ['reported', 'testing'], overdue: true, priority: [] }, 'repeat')).toBe('?stage=reported&stage=testing&overdue=true');
  });
});
