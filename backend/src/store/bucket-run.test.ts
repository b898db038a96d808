import { BucketRun, RunBuilder, splitLists } from './bucket-run';

const M = 60_000;

/** A read's lists of buckets at these minutes, value = minute / 10. */
const lists = (minutes: number[]) => ({
  times: minutes.map((m) => String(m * M)).join(','),
  values: minutes.map((m) => String(m / 10)).join(','),
});
const runOf = (lo: number, hi: number, minutes: number[]): BucketRun => {
  const l = lists(minutes);
  return new RunBuilder().addSplit(splitLists(l.times, l.values), lo * M, hi * M).build(lo * M, hi * M);
};

describe('BucketRun', () => {
  it('gives a stretch of its buckets as the store spelled them, absent buckets absent', () => {
    const run = runOf(10, 20, [10, 11, 13, 14, 19]);
    expect(run.size).toBe(5);
    expect(run.lists(11 * M, 15 * M)).toEqual(lists([11, 13, 14]));
    expect(run.lists(10 * M, 20 * M)).toEqual(lists([10, 11, 13, 14, 19]));
    expect(run.lists(15 * M, 19 * M)).toEqual({ times: '', values: '' });
    expect(run.lists(12 * M + 1, 14 * M + 1)).toEqual(lists([13, 14]));
  });

  it('keeps only the buckets of its span from what it is built of', () => {
    const l = lists([8, 9, 10, 11, 12]);
    const run = new RunBuilder().addSplit(splitLists(l.times, l.values), 9 * M, 12 * M).build(9 * M, 12 * M);
    expect(run.lists(0, 100 * M)).toEqual(lists([9, 10, 11]));
  });

  it('joins runs and read buckets in time order', () => {
    const held = runOf(10, 15, [10, 12, 14]);
    const before = lists([7, 8, 9]);
    const after = lists([15, 16]);
    const joined = new RunBuilder()
      .addSplit(splitLists(before.times, before.values), 8 * M, 10 * M)
      .addRun(held, 10 * M, 15 * M)
      .addSplit(splitLists(after.times, after.values), 15 * M, 17 * M)
      .build(8 * M, 17 * M);
    expect([joined.lo, joined.hi]).toEqual([8 * M, 17 * M]);
    expect(joined.lists(0, 100 * M)).toEqual(lists([8, 9, 10, 12, 14, 15, 16]));
    expect(joined.lists(9 * M, 13 * M)).toEqual(lists([9, 10, 12]));
  });

  it('cuts to a shorter span, the same run when nothing is cut, none when nothing is left', () => {
    const run = runOf(10, 20, [10, 11, 13, 14, 19]);
    const cut = run.cut(11 * M, 14 * M);
    expect([cut?.lo, cut?.hi]).toEqual([11 * M, 14 * M]);
    expect(cut?.lists(0, 100 * M)).toEqual(lists([11, 13]));
    expect(run.cut(0, 100 * M)).toBe(run);
    expect(run.cut(20 * M, 30 * M)).toBeUndefined();
  });

  it('splits the store lists, and refuses lists of different lengths', () => {
    expect(splitLists('60000,120000', '1.5,null')).toEqual({
      starts: [60_000, 120_000],
      times: ['60000', '120000'],
      values: ['1.5', 'null'],
    });
    expect(splitLists(null, null).starts).toEqual([]);
    expect(() => splitLists('1,2', '3')).toThrow(/apart/);
  });
});
