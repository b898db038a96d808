import { compareCells, topRows } from './table-sort';

describe('topRows', () => {
  const rows = [
    { name: 'a', size: 10 },
    { name: 'b', size: null },
    { name: 'c', size: 30 },
    { name: 'd', size: 20 },
  ];

  it('sorts by a column, nulls last either way, and keeps the top N', () => {
    expect(topRows(rows, 'size', 'desc', 2).map((r) => r.name)).toEqual(['c', 'd']);
    expect(topRows(rows, 'size', 'asc', 4).map((r) => r.name)).toEqual(['a', 'd', 'c', 'b']);
  });

  it("keeps the collector's order without orderBy", () => {
    expect(topRows(rows, undefined, 'desc', 3).map((r) => r.name)).toEqual(['a', 'b', 'c']);
  });
});

describe('compareCells', () => {
  it('compares numbers as numbers and the rest as text', () => {
    expect(compareCells(9, 10, 'asc')).toBeLessThan(0);
    expect(compareCells('9', '10', 'asc')).toBeGreaterThan(0);
    expect(compareCells(true, false, 'desc')).toBeLessThan(0);
  });
});
