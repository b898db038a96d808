import { Labels } from '../collectors/types';
import { BucketRun, RunBuilder, SplitLists, splitIndexAt, splitLists } from './bucket-run';
import { bucketKey, ClosedBucketCache, RedoneSpan } from './closed-buckets';
import { Queryable } from './queryable';
import { storeQuery } from './store-query';
import { SeriesResult } from './types';

const MINUTE_MS = 60_000;

/** A row of series-rollup.sql read with a caller's buckets ($13 set). */
interface CachedRow {
  target: string;
  labels: Labels;
  times: string | null;
  values: string | null;
  id: number;
  cached: boolean;
  generation: string;
  whole_to_ms: number;
  stale: [number, number][] | null;
  redone: RedoneSpan[] | null;
}

/** What a series' read skipped: the held run it took the buckets in [lo, hi) from. */
interface Skip {
  run: BucketRun;
  lo: number;
  hi: number;
}

/**
 * A series read from the minute rollups, without group-by, with the buckets the cache holds
 * skipped (series-rollup.sql checks that they are still the store's) and those it brings that are
 * whole and rolled up held for the next read. The answer is the read's without a cache, to the
 * character: held buckets are the store's own text.
 *
 * params: series-rollup.sql's $1 .. $9; aggregation: $9; selection: which series (a key).
 */
export async function readWithClosedBuckets(
  db: Queryable,
  cache: ClosedBucketCache,
  request: {
    params: unknown[];
    from: number;
    to: number;
    stepMs: number;
    aggregation: string;
    selection: string;
  },
  checkLists: (row: { times: string; values: string }) => void,
): Promise<SeriesResult[]> {
  const { from, to, stepMs, aggregation } = request;
  // Whole buckets inside the range: from the first starting at or after `from` to the last ending
  // by the range's last whole minute.
  const wholeLo = Math.ceil(from / stepMs) * stepMs;
  const lastEnd = Math.floor(to / MINUTE_MS) * MINUTE_MS;
  const wholeHi = Math.floor(lastEnd / stepMs) * stepMs;
  const skips = new Map<number, Skip>();
  for (const id of cache.seriesOf(request.selection)) {
    const run = cache.run(bucketKey(id, aggregation, stepMs));
    const [lo, hi] = run ? [Math.max(run.lo, wholeLo), Math.min(run.hi, wholeHi)] : [0, 0];
    if (run && lo < hi) skips.set(id, { run, lo, hi });
  }
  const generation = cache.generation;
  const { rows } = await db.query<CachedRow>(storeQuery('series-rollup'), [
    ...request.params,
    [...skips.keys()],
    [...skips.values()].map((s) => s.lo),
    [...skips.values()].map((s) => s.hi),
    generation,
  ]);
  const first = rows[0];
  if (!first) return [];
  cache.rememberSeries(
    request.selection,
    rows.map((r) => r.id),
  );
  const storable = cache.sync(Number(first.generation), first.redone);
  if (first.cached && skips.size > 0) cache.hits += 1;
  // The whole buckets this read knows as the store has them: up to the rolled-up end, before any
  // stale span (the job will redo those minutes).
  let heldHi = Math.min(wholeHi, first.whole_to_ms);
  for (const [spanFrom, spanTo] of first.stale ?? [])
    if (spanTo > wholeLo) heldHi = Math.min(heldHi, spanFrom);
  heldHi = Math.max(wholeLo, heldHi - (heldHi % stepMs));

  const results: SeriesResult[] = [];
  for (const row of rows) {
    if (row.times !== null && row.values !== null) checkLists({ times: row.times, values: row.values });
    const split = splitLists(row.times, row.values);
    const skip = first.cached ? skips.get(row.id) : undefined;
    const lists = skip ? spliced(split, skip) : { times: row.times ?? '', values: row.values ?? '' };
    if (storable)
      hold(cache, bucketKey(row.id, aggregation, stepMs), split, skip, wholeLo, heldHi, to - from);
    if (lists.times !== '') results.push({ target: row.target, labels: row.labels, ...lists });
  }
  return results;
}

/** The read's buckets before the skipped ones, the held ones, the read's after them. */
function spliced(split: SplitLists, skip: Skip): { times: string; values: string } {
  const [before, after] = [splitIndexAt(split, skip.lo), splitIndexAt(split, skip.hi)];
  const held = skip.run.lists(skip.lo, skip.hi);
  const join = (key: 'times' | 'values') =>
    [split[key].slice(0, before).join(','), held[key], split[key].slice(after).join(',')]
      .filter((part) => part !== '')
      .join(',');
  return { times: join('times'), values: join('values') };
}

/**
 * Holds what the read knows of [lo, hi) (whole buckets as the store has them): joined to the run it
 * skipped from when that run's skipped stretch is all they share (the run kept no further back
 * than the read's length before lo); alone when nothing was skipped (the run, if any, replaced);
 * else the run stays as it is.
 */
function hold(
  cache: ClosedBucketCache,
  key: string,
  split: SplitLists,
  skip: Skip | undefined,
  lo: number,
  hi: number,
  length: number,
): void {
  if (hi <= lo) return;
  if (!skip) {
    cache.hold(key, new RunBuilder().addSplit(split, lo, hi).build(lo, hi));
    return;
  }
  const { run } = skip;
  if (skip.hi !== Math.min(run.hi, hi)) return;
  const [from, to] = [Math.max(Math.min(run.lo, lo), lo - length), Math.max(run.hi, hi)];
  if (from === run.lo && to === run.hi) return;
  const built = new RunBuilder()
    .addSplit(split, Math.max(from, lo), skip.lo)
    .addRun(run, from, run.hi)
    .addSplit(split, run.hi, to)
    .build(from, to);
  cache.hold(key, built);
}
