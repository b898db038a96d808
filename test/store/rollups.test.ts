import { Pool } from 'pg';
import { HistoryStore, openStore, SeriesQuery } from '../../backend/src/store';
import { StoreReader } from '../../backend/src/store/reader';
import { MinuteRollup } from '../../backend/src/store/rollup';
import { startPostgres, TestPostgres } from '../support/postgres';
import {
  caughtUp,
  createDatabase,
  hhmm,
  hourAgo,
  pinnedAt,
  observation,
  poolFor,
  quietLog,
  readSeries,
  registry,
  storeConfig,
} from './store-kit';

/**
 * The minute rollups give the same answers as the samples: reads with a step of whole minutes
 * (from samples_1m, and from samples where the rollups end and at partial edge minutes) against
 * the same reads computed from the samples alone (series-gauge.sql, series-counter.sql), for
 * every aggregation, counters across a reset and a gap, ranges not aligned to minutes, group-by;
 * late samples are redone; two jobs never roll up at once.
 */
let pg: TestPostgres;
let store: HistoryStore;
let pool: Pool;
let rollup: MinuteRollup;

const MINUTE = 60_000;
/** The store's clock, pinned: the 2 h of data (from 3 h before its hour) cross midnight. */
const NOW = pinnedAt(2, 30);
const clock = () => NOW;
const T = hourAgo(3, NOW);
/** 2 h of data at 15 s (some samples a few seconds off), with a 7-minute gap after an hour. */
const SAMPLE_TIMES = Array.from({ length: 480 }, (_, i) => T + i * 15_000 + (i % 7 === 3 ? 4_000 : 0)).filter(
  (t) => t < T + 60 * MINUTE || t >= T + 67 * MINUTE,
);

beforeAll(async () => {
  pg = await startPostgres();
  const url = await createDatabase(pg, 'rollups');
  store = await openStore(storeConfig(url), quietLog(), registry(), { clock });
  pool = poolFor(url);
  rollup = new MinuteRollup(pool, quietLog(), undefined, clock);
  SAMPLE_TIMES.forEach((time, i) => {
    store.writer.write(
      observation('t1', time, [
        { metric: 'pg_connections', labels: { database: 'a', state: 'idle' }, value: (i * 7919) % 101 },
        { metric: 'pg_connections', labels: { database: 'b', state: 'idle' }, value: Math.sin(i) * 50 },
        // a restart at i = 200 (back to 0)
        {
          metric: 'pg_xact_commit_total',
          labels: { database: 'a' },
          value: i < 200 ? i * 31 : (i - 200) * 17,
        },
        { metric: 'pg_xact_commit_total', labels: { database: 'b' }, value: i * i },
      ]),
    );
  });
  await store.writer.flush();
  // Written hours after their time: every batch is late, and recorded as such.
  expect(Number((await pool.query('SELECT count(*) AS n FROM rollup_dirty')).rows[0].n)).toBeGreaterThan(0);
  await caughtUp(rollup);
});

afterAll(async () => {
  await store?.stop();
  await pool?.end();
  await pg?.destroy();
});

const gauge = (extra: Partial<SeriesQuery> = {}): SeriesQuery => ({
  metric: 'pg_connections',
  type: 'gauge',
  targets: ['t1'],
  from: T,
  to: T + 2 * 60 * MINUTE,
  stepMs: MINUTE,
  aggregation: 'avg',
  ...extra,
});
const counter = (extra: Partial<SeriesQuery> = {}) =>
  gauge({ metric: 'pg_xact_commit_total', type: 'counter', ...extra });

/** The same read computed from the samples alone (what a step under a minute reads). */
const fromSamples = (query: SeriesQuery): Promise<Read> =>
  readSeries(new StoreReader(pool, { minuteRollups: false }), query);

type Read = Awaited<ReturnType<typeof readSeries>>;

/** Equal series, times exactly, values to float precision (sums are added in another order). */
function expectSame(actual: Read, expected: Read): void {
  expect(actual.map((r) => [r.target, r.labels])).toEqual(expected.map((r) => [r.target, r.labels]));
  actual.forEach((result, i) => {
    const want = expected[i] as Read[number];
    expect(result.points.map((p) => p[0])).toEqual(want.points.map((p) => p[0]));
    result.points.forEach(([, value], k) => {
      const wanted = (want.points[k] as [number, number])[1];
      expect(Math.abs((value as number) - wanted)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(wanted)));
    });
  });
}

const RANGES: [string, number, number][] = [
  ['aligned', T, T + 2 * 60 * MINUTE],
  ['mid-minute edges', T + 37_000, T + 97 * MINUTE + 13_000],
  ['across the gap', T + 55 * MINUTE + 1_000, T + 75 * MINUTE - 1],
  ['inside one minute', T + 10 * MINUTE + 5_000, T + 10 * MINUTE + 50_000],
];

describe(`minute rollups (store clock at ${hhmm(NOW)})`, () => {
  it('are stored for every series-minute with samples, up to a few minutes ago', async () => {
    const rows = (await pool.query<{ series_id: number; n: number }>('SELECT series_id, n FROM samples_1m'))
      .rows;
    // 4 series x 113 minutes with samples (120 minus the 7-minute gap)
    expect(rows).toHaveLength(4 * 113);
    expect(rows.reduce((sum, r) => sum + r.n, 0)).toBe(4 * SAMPLE_TIMES.length);
    const until = rollup.rolledUntil() as number;
    expect(until % MINUTE).toBe(0);
    expect(NOW - until).toBeGreaterThanOrEqual(3 * MINUTE - 1000);
    expect(NOW - until).toBeLessThan(5 * MINUTE);
  });

  it.each(RANGES)('give what the samples give, every aggregation, %s', async (_, from, to) => {
    for (const stepMs of [MINUTE, 2 * MINUTE, 5 * MINUTE])
      for (const aggregation of ['avg', 'max', 'min', 'sum', 'last'] as const) {
        const query = gauge({ from, to, stepMs, aggregation });
        expectSame(await readSeries(store.reader, query), await fromSamples(query));
        const grouped = gauge({ from, to, stepMs, aggregation, groupBy: ['state'] });
        expectSame(await readSeries(store.reader, grouped), await fromSamples(grouped));
      }
  });

  it.each(RANGES)('give the rates the samples give, across a reset and a gap, %s', async (_, from, to) => {
    for (const stepMs of [MINUTE, 2 * MINUTE, 5 * MINUTE]) {
      const query = counter({ from, to, stepMs });
      const results = await readSeries(store.reader, query);
      expectSame(results, await fromSamples(query));
      if (to - from > MINUTE) expect(results[0]?.points.length).toBeGreaterThan(1);
    }
  });

  it('are what the reads use (a changed rollup row shows), and samples beyond them', async () => {
    const minute = T + 30 * MINUTE;
    await pool.query(
      `UPDATE samples_1m SET max = 1e9 FROM series s
        WHERE s.id = series_id AND s.labels->>'database' = 'a' AND s.metric = 'pg_connections'
          AND minute = $1`,
      [new Date(minute).toISOString()],
    );
    const [a] = await readSeries(store.reader, gauge({ aggregation: 'max', filters: { database: ['a'] } }));
    expect(a?.points.find((p) => p[0] === minute)?.[1]).toBe(1e9);
    // Put right by a redo of that minute (as if a late sample had arrived in it).
    await pool.query('INSERT INTO rollup_dirty (from_ts, to_ts) VALUES ($1, $1)', [
      new Date(minute).toISOString(),
    ]);
    expect((await caughtUp(rollup)).redoneMinutes).toBeGreaterThan(0);
    const query = gauge({ aggregation: 'max' });
    expectSame(await readSeries(store.reader, query), await fromSamples(query));

    // The newest minutes are not rolled up yet: read from the samples, to the last second.
    const now = NOW;
    const recent = [now - 40_000, now - 25_000, now - 10_000];
    recent.forEach((time, i) =>
      store.writer.write(
        observation('t1', time, [
          { metric: 'pg_connections', labels: { database: 'a', state: 'idle' }, value: 1000 + i },
        ]),
      ),
    );
    await store.writer.flush();
    const fresh = gauge({
      from: now - 10 * MINUTE,
      to: now,
      aggregation: 'last',
      filters: { database: ['a'] },
    });
    const [latest] = await readSeries(store.reader, fresh);
    expect(latest?.points[latest.points.length - 1]?.[1]).toBe(1002);
    expectSame(await readSeries(store.reader, fresh), await fromSamples(fresh));
  });

  it('redo the minutes late samples reach, and the rates after them', async () => {
    // Samples in the gap, written now: the rolled-up minutes there (none) and the rates of the
    // samples after them change.
    const gapTimes = Array.from({ length: 8 }, (_, k) => T + 62 * MINUTE + k * 15_000);
    gapTimes.forEach((time, k) =>
      store.writer.write(
        observation('t1', time, [
          { metric: 'pg_connections', labels: { database: 'b', state: 'idle' }, value: 500 + k },
          { metric: 'pg_xact_commit_total', labels: { database: 'b' }, value: 300 * 300 + k * 1000 },
        ]),
      ),
    );
    await store.writer.flush();
    const run = await caughtUp(rollup);
    expect(run.redoneMinutes).toBeGreaterThanOrEqual(2 + 15);
    for (const query of [gauge({ aggregation: 'max' }), counter(), counter({ stepMs: 5 * MINUTE })])
      expectSame(await readSeries(store.reader, query), await fromSamples(query));
  });

  it('are rolled up by one job at a time: a second one skips while the first holds the state', async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT * FROM rollup_state FOR UPDATE');
      const other = new MinuteRollup(pool, quietLog(), undefined, clock);
      expect(await other.runOnce()).toEqual({ rolledMinutes: 0, redoneMinutes: 0, skipped: true });
      // its lag gauge follows the committed state all the same
      const { rows } = await pool.query<{ done_until: Date }>('SELECT done_until FROM rollup_state');
      expect(rows[0]?.done_until).toBeInstanceOf(Date);
      expect(other.rolledUntil()).toBe(rows[0]?.done_until.getTime());
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});
