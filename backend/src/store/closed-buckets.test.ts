import { BucketRun, RunBuilder, splitLists } from './bucket-run';
import { bucketKey, ClosedBucketCache } from './closed-buckets';

const M = 60_000;

const runOf = (lo: number, hi: number): BucketRun => {
  const minutes = Array.from({ length: hi - lo }, (_, i) => lo + i);
  const split = splitLists(minutes.map((m) => String(m * M)).join(','), minutes.map(String).join(','));
  return new RunBuilder().addSplit(split, lo * M, hi * M).build(lo * M, hi * M);
};
const span = (run: BucketRun | undefined) => run && [run.lo / M, run.hi / M];

describe('ClosedBucketCache', () => {
  it('takes the generation of its first read, and holds what reads at it bring', () => {
    const cache = new ClosedBucketCache(1 << 20);
    expect(cache.generation).toBe(-1);
    expect(cache.sync(7, null)).toBe(true);
    expect(cache.generation).toBe(7);
    cache.hold(bucketKey(1, 'avg', M), runOf(0, 10));
    expect(span(cache.run(bucketKey(1, 'avg', M)))).toEqual([0, 10]);
    expect(cache.run(bucketKey(1, 'max', M))).toBeUndefined();
    expect(cache.bytes).toBeGreaterThan(0);
  });

  it('cuts each run at the first bucket a redo since reached, whatever the step', () => {
    const cache = new ClosedBucketCache(1 << 20);
    cache.sync(3, null);
    cache.hold(bucketKey(1, 'avg', M), runOf(0, 60));
    cache.hold(bucketKey(2, 'avg', M), runOf(0, 20));
    cache.hold(bucketKey(1, 'avg', 5 * M), runOf(0, 60));
    cache.hold(bucketKey(3, 'avg', M), runOf(30, 60));
    // two redos since 3: minutes [42, 45) and [25, 26)
    expect(
      cache.sync(5, [
        [4, 42 * M, 45 * M],
        [5, 25 * M, 26 * M],
        [2, 0, 60 * M], // before the cache's generation: already accounted for
      ]),
    ).toBe(true);
    expect(span(cache.run(bucketKey(1, 'avg', M)))).toEqual([0, 25]);
    expect(span(cache.run(bucketKey(2, 'avg', M)))).toEqual([0, 20]);
    expect(span(cache.run(bucketKey(1, 'avg', 5 * M)))).toEqual([0, 25]);
    expect(span(cache.run(bucketKey(3, 'avg', M)))).toEqual([30, 42]);
    expect(cache.generation).toBe(5);
  });

  it('forgets everything when the record of a redo since is gone', () => {
    const cache = new ClosedBucketCache(1 << 20);
    cache.sync(3, null);
    cache.hold(bucketKey(1, 'avg', M), runOf(0, 60));
    expect(
      cache.sync(6, [
        [5, 0, M],
        [6, 0, M],
      ]),
    ).toBe(true);
    expect(cache.run(bucketKey(1, 'avg', M))).toBeUndefined();
    expect(cache.bytes).toBe(0);
    expect(cache.generation).toBe(6);
  });

  it('does not take buckets from a read that saw an older store than it holds', () => {
    const cache = new ClosedBucketCache(1 << 20);
    cache.sync(4, null);
    expect(cache.sync(3, null)).toBe(false);
    expect(cache.generation).toBe(4);
  });

  it('stays within its bound, the least recently read dropped first', () => {
    const one = runOf(0, 100).bytes;
    const cache = new ClosedBucketCache(Math.floor(2.5 * one));
    cache.sync(0, null);
    cache.hold('a', runOf(0, 100));
    cache.hold('b', runOf(0, 100));
    cache.run('a');
    cache.hold('c', runOf(0, 100));
    expect(cache.run('b')).toBeUndefined();
    expect(span(cache.run('a'))).toEqual([0, 100]);
    expect(span(cache.run('c'))).toEqual([0, 100]);
    expect(cache.bytes).toBeLessThanOrEqual(2.5 * one);
    // a run larger than the whole bound is not held
    cache.hold('d', runOf(0, 1000));
    expect(cache.run('d')).toBeUndefined();
  });

  it('remembers the series of the most recent selections', () => {
    const cache = new ClosedBucketCache(1 << 20);
    expect(cache.seriesOf('s')).toEqual([]);
    cache.rememberSeries('s', [3, 1, 2]);
    expect(cache.seriesOf('s')).toEqual([3, 1, 2]);
    for (let i = 0; i < 300; i++) cache.rememberSeries(`other ${i}`, [i]);
    expect(cache.seriesOf('s')).toEqual([]);
  });
});
