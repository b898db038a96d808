import { Pool } from 'pg';
import { HistoryStore, openStore, SeriesQuery } from '../../backend/src/store';
import { ClosedBucketCache } from '../../backend/src/store/closed-buckets';
import { dropPartitionsBefore, utcDay } from '../../backend/src/store/partitions';
import { StoreReader } from '../../backend/src/store/reader';
import { MinuteRollup } from '../../backend/src/store/rollup';
import { startPostgres, TestPostgres } from '../support/postgres';
import {
  caughtUp,
  createDatabase,
  hourAgo,
  observation,
  pgStoreMetric,
  pinnedAt,
  poolFor,
  quietLog,
  readSeries,
  registry,
  storeConfig,
} from './store-kit';

/**
 * Reads that keep rolled-up buckets in memory (StoreReader with a ClosedBucketCache) answer
 * exactly what the same reader without them answers (the minute rollups) and, to float precision,
 * what the samples alone give: read after read, across a late batch in held minutes (stale until
 * the job redoes them, then redone), a late batch and its redo between two reads, new series, the
 * rollups advancing, a day dropped by retention, and two readers with caches of their own on one
 * store.
 */
let pg: TestPostgres;
let store: HistoryStore;
let pool: Pool;
let rollup: MinuteRollup;
const storeRegistry = registry();

const MINUTE = 60_000;
/** The store's clock, pinned (every batch is late for the store's own clock: recorded, redone). */
let now = pinnedAt(2, 30);
const clock = () => now;
/** 2 h of data from 23:00 the day before (so across midnight), at 15 s, some samples a few seconds off. */
const T = hourAgo(3, now);
const END = T + 120 * MINUTE;

const cacheA = new ClosedBucketCache(8 << 20);
const cacheB = new ClosedBucketCache(8 << 20);
let readerA: StoreReader;
let readerB: StoreReader;
let plain: StoreReader;
let samplesOnly: StoreReader;

/** Samples of targets at 15 s in [from, to): two gauges and a counter a target. */
function write(targets: string[], from: number, to: number, shift = 0): void {
  for (let time = from, i = 0; time < to; time += 15_000, i++)
    for (const [k, target] of targets.entries())
      store.writer.write(
        observation(target, time + (i % 7 === 3 ? 4_000 : 0) + shift, [
          { metric: 'pg_connections', labels: { state: 'idle' }, value: ((i + shift) * 7919 + k) % 101 },
          { metric: 'pg_connections', labels: { state: 'active' }, value: Math.sin(i + k + shift) * 50 },
          { metric: 'pg_xact_commit_total', labels: {}, value: (i % 300) * (31 + k) },
        ]),
      );
}

beforeAll(async () => {
  pg = await startPostgres();
  const url = await createDatabase(pg, 'closed_buckets');
  store = await openStore(storeConfig(url), quietLog(), storeRegistry, { clock });
  pool = poolFor(url);
  rollup = new MinuteRollup(pool, quietLog(), undefined, clock);
  readerA = new StoreReader(pool, { minuteRollups: true, closedBuckets: cacheA });
  readerB = new StoreReader(pool, { minuteRollups: true, closedBuckets: cacheB });
  plain = new StoreReader(pool);
  samplesOnly = new StoreReader(pool, { minuteRollups: false });
  write(['t1', 't2'], T, END);
  await store.writer.flush();
  await caughtUp(rollup);
});

afterAll(async () => {
  await store?.stop();
  await pool?.end();
  await pg?.destroy();
});

const TARGETS = ['t1', 't2', 't3'];
const gauge = (extra: Partial<SeriesQuery> = {}): SeriesQuery => ({
  metric: 'pg_connections',
  type: 'gauge',
  filters: { target: TARGETS },
  from: T,
  to: END,
  stepMs: MINUTE,
  aggregation: 'avg',
  ...extra,
});
const counter = (extra: Partial<SeriesQuery> = {}) =>
  gauge({ metric: 'pg_xact_commit_total', type: 'counter', ...extra });

/** The panels' reads: aggregations, steps of 1 and 5 minutes, edges inside minutes, a rate. */
const queries = (to = END): SeriesQuery[] => [
  gauge({ to }),
  gauge({ to, aggregation: 'max' }),
  gauge({ from: T + 37_000, to: to - 13_000, aggregation: 'last' }),
  gauge({ from: T + 37_000, to: to - 13_000, stepMs: 5 * MINUTE }),
  counter({ to }),
  counter({ from: T + 15 * MINUTE + 5_000, to, stepMs: 2 * MINUTE }),
];

/** Equal series, times exactly, values to float precision (the samples' sums are added in another order). */
async function expectAsSamples(query: SeriesQuery, actual: Awaited<ReturnType<StoreReader['series']>>) {
  const expected = await readSeries(samplesOnly, query);
  const got = actual.map((r) => ({ ...r, points: JSON.parse(`[[${r.times}],[${r.values}]]`) as number[][] }));
  expect(got.map((r) => [r.target, r.labels])).toEqual(expected.map((r) => [r.target, r.labels]));
  got.forEach((result, i) => {
    const want = expected[i]!.points;
    expect(result.points[0]).toEqual(want.map((p) => p[0]));
    result.points[1]!.forEach((value, k) => {
      const wanted = want[k]![1] as number;
      expect(Math.abs(value - wanted)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(wanted)));
    });
  });
}

/**
 * Each query through `reader` twice: both answers the uncached reader's, to the character; the
 * second from held buckets (one-minute steps: longer ones are not held).
 */
async function expectSameAnswers(
  reader: StoreReader,
  cache: ClosedBucketCache,
  list = queries(),
): Promise<void> {
  for (const query of list) {
    const expected = await plain.series(query);
    expect(expected.length).toBeGreaterThan(0);
    expect(await reader.series(query)).toEqual(expected);
    const hits = cache.hits;
    expect(await reader.series(query)).toEqual(expected);
    expect(cache.hits - hits).toBe(query.stepMs === MINUTE ? 1 : 0);
    await expectAsSamples(query, expected);
  }
}

describe('reads keeping rolled-up buckets', () => {
  it('answer read after read as the store does, from what they hold', async () => {
    await expectSameAnswers(readerA, cacheA);
    expect(cacheA.bytes).toBeGreaterThan(0);
    // the store's own reader holds them too (store.read_cache_mb), and says so in its self-metrics
    const [first] = queries();
    for (let i = 0; i < 2; i++) expect(await store.reader.series(first!)).toEqual(await plain.series(first!));
    expect(await pgStoreMetric(storeRegistry, 'pgg_store_read_cache_hits_total')).toBe(1);
    expect(await pgStoreMetric(storeRegistry, 'pgg_store_read_cache_bytes')).toBeGreaterThan(0);
    // group-by reads are not held, and answer the same
    const grouped = gauge({ groupBy: ['state'] });
    expect(await readerA.series(grouped)).toEqual(await plain.series(grouped));
  });

  it('read a late batch in held minutes from the samples until the job redoes them, then the redone rollups', async () => {
    await expectSameAnswers(readerB, cacheB);
    const generation = cacheA.generation;
    // More samples in minutes 30 to 34 of t1: the held buckets there are no longer the store's.
    write(['t1'], T + 30 * MINUTE, T + 34 * MINUTE, 5_000);
    await store.writer.flush();
    expect((await pool.query('SELECT count(*)::int AS n FROM rollup_dirty')).rows[0].n).toBeGreaterThan(0);
    await expectSameAnswers(readerA, cacheA);
    expect((await caughtUp(rollup)).redoneMinutes).toBeGreaterThan(0);
    await expectSameAnswers(readerA, cacheA);
    expect(cacheA.generation).toBeGreaterThan(generation);
  });

  it('notice a late batch and its redo that came between two reads (the other reader)', async () => {
    // readerB last read before the batch above; it never saw the span stale.
    await expectSameAnswers(readerB, cacheB);
    expect(cacheB.generation).toBe(cacheA.generation);
    write(['t2'], T + 50 * MINUTE, T + 51 * MINUTE, 3_000);
    await store.writer.flush();
    await caughtUp(rollup);
    await expectSameAnswers(readerB, cacheB);
    await expectSameAnswers(readerA, cacheA);
  });

  it('take in series that appear', async () => {
    write(['t3'], T + 20 * MINUTE, END);
    await store.writer.flush();
    await expectSameAnswers(readerA, cacheA);
    await caughtUp(rollup);
    await expectSameAnswers(readerA, cacheA);
    const [first] = queries();
    expect((await readerA.series(first!)).map((r) => r.target)).toContain('t3');
  });

  it('follow the rollups as they advance', async () => {
    // 20 minutes later on the store's clock, with the samples of those minutes.
    const from = now - 5 * MINUTE;
    now += 20 * MINUTE;
    write(TARGETS, from, now - 30_000);
    await store.writer.flush();
    await caughtUp(rollup);
    const later = queries(now).map((q) => ({ ...q, from: q.from + 20 * MINUTE }));
    await expectSameAnswers(readerA, cacheA, later);
    await expectSameAnswers(readerB, cacheB, later);
  });

  it('give up the held buckets of a day retention dropped', async () => {
    const list = queries(now);
    await expectSameAnswers(readerA, cacheA, list);
    // Drops the day before the clock's (the data's first hour): as retention would.
    for (const table of ['samples', 'samples_1m'] as const)
      await dropPartitionsBefore(pool, table, utcDay(now));
    await expectSameAnswers(readerA, cacheA, list);
    await expectSameAnswers(readerB, cacheB, list);
  });
});
