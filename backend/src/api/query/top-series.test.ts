import { SeriesResult } from '../../store/types';
import { seriesMeasure, topSeries } from './top-series';

const series = (relname: string, values: (number | null)[]): SeriesResult => ({
  target: 'db1',
  labels: { relname },
  times: values.map((_, i) => i * 60_000).join(','),
  values: values.map((v) => (v === null ? 'null' : String(v))).join(','),
});

const names = (results: SeriesResult[]) => results.map((r) => r.labels.relname);

describe('seriesMeasure', () => {
  it('takes the max, the mean or the last value, skipping gaps', () => {
    expect(seriesMeasure([3, null, 9, 1], 'max')).toBe(9);
    expect(seriesMeasure([3, null, 9], 'avg')).toBe(6);
    expect(seriesMeasure([3, 9, null], 'last')).toBe(9);
    expect(seriesMeasure([-5, -2], 'max')).toBe(-2);
  });

  it('has nothing to say of a series without a value', () => {
    expect(seriesMeasure([], 'max')).toBeUndefined();
    expect(seriesMeasure([null, null], 'avg')).toBeUndefined();
  });
});

describe('topSeries', () => {
  // In the store's order (labels): a plain limit of 2 would keep a_small and b_peak.
  const read = [
    series('a_small', [1, 2, 3]),
    series('b_peak', [1, 100, 1]),
    series('c_empty', [null, null]),
    series('d_large', [50, 60, 70]),
    series('e_large_too', [80, 55, 40]),
  ];

  it('keeps the highest by the measure asked, highest first', () => {
    expect(names(topSeries(read, 2, 'max'))).toEqual(['b_peak', 'e_large_too']);
    expect(names(topSeries(read, 2, 'avg'))).toEqual(['d_large', 'e_large_too']);
    expect(names(topSeries(read, 3, 'last'))).toEqual(['d_large', 'e_large_too', 'a_small']);
  });

  it('ranks series without a value last, and ties in the store order', () => {
    expect(names(topSeries(read, 10, 'last'))).toEqual([
      'd_large',
      'e_large_too',
      'a_small',
      'b_peak',
      'c_empty',
    ]);
    const tied = [series('x', [5]), series('y', [5]), series('z', [5])];
    expect(names(topSeries(tied, 2, 'max'))).toEqual(['x', 'y']);
  });
});
