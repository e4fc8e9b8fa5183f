import { subtreeCounts } from './regions.service';

describe(subtreeCounts.name, () => {
  it('should add every region’s terminals to itself and all its ancestors', () => {
    const regions = [
      { id: 1, path: '/1/' },
      { id: 2, path: '/1/2/' },
      { id: 3, path: '/1/2/3/' },
      { id: 4, path: '/4/' },
    ];
    const totals = subtreeCounts(regions, new Map([[2, 5], [3, 7], [4, 1]]));
    expect(Object.fromEntries(totals)).toEqual({ 1: 12, 2: 12, 3: 7, 4: 1 });
  });
});
