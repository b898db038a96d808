import { HistoryStore, openStore, SeriesQuery } from '../../backend/src/store';
import { StoreReader } from '../../backend/src/store/reader';
import { MinuteRollup } from '../../backend/src/store/rollup';
import { startPostgres, TestPostgres } from '../support/postgres';
import {
  caughtUp,
  createDatabase,
  hhmm,
  hourAgo,
  HOURS_OF_A_DAY,
  observation,
  pinnedAt,
  poolFor,
  quietLog,
  readSeries,
  registry,
  storeConfig,
} from './store-kit';

/**
 * What the writer stores, the reader gives back: gauges downsampled with each aggregation,
 * counters as per-second rates across a reset, group-by, label and target filters (injection
 * attempts included), snapshots as of a time, events, label values. At a store clock pinned to
 * every hour of a day: the data (two hours before) lies on either side of midnight, before or
 * after the minutes the rollup job did at start (at 02:43 reads once missed all but a minute).
 */
let pg: TestPostgres;

const STEP = 15_000;
const MINUTE = 60_000;
const SAMPLES = 40; // 10 minutes at 15 s

beforeAll(async () => {
  pg = await startPostgres();
});

afterAll(async () => {
  await pg?.destroy();
});

describe.each(HOURS_OF_A_DAY.map((hour) => [hhmm(pinnedAt(hour)), pinnedAt(hour)] as const))(
  'at %s',
  (_, now) => {
    let store: HistoryStore;
    let url: string;
    const T = hourAgo(2, now);

    beforeAll(async () => {
      url = await createDatabase(pg, `roundtrip_${now}`);
      store = await openStore(storeConfig(url), quietLog(), registry(), { clock: () => now });
      // The job has rolled up to a few minutes before now when the samples arrive (as the store's
      // own job at start may have): they are late for minutes it did.
      const pool = poolFor(url);
      try {
        await caughtUp(new MinuteRollup(pool, quietLog(), undefined, () => now));
      } finally {
        await pool.end();
      }
      for (let i = 0; i < SAMPLES; i++) {
        const time = T + i * STEP;
        store.writer.write(
          observation('t1', time, [
            { metric: 'pg_connections', labels: { database: 'a', state: 'idle' }, value: i },
            { metric: 'pg_connections', labels: { database: 'b', state: 'idle' }, value: 100 + i },
            { metric: 'pg_connections', labels: { database: 'b', state: 'active' }, value: 1000 },
            // 2/s, then a restart at i = 20 (back to 0), then 1/s
            {
              metric: 'pg_xact_commit_total',
              labels: { database: 'a' },
              value: i < 20 ? i * 30 : (i - 20) * 15,
            },
            { metric: 'pg_xact_commit_total', labels: { database: 'b' }, value: i * 45 }, // 3/s
          ]),
        );
        store.writer.write(
          observation('t2', time, [
            { metric: 'pg_connections', labels: { database: 'a', state: 'idle' }, value: 7 },
          ]),
        );
      }
      for (let i = 0; i < 3; i++) {
        store.writer.write(
          observation(
            't1',
            T + i * 10_000,
            [],
            [{ kind: 'sessions', rows: [{ pid: 100 + i, state: 'active' }] }],
          ),
        );
      }
      const event = { target: 't1', severity: 'warning' as const, text: 'details', tags: ['x'] };
      store.writer.writeEvent({ ...event, time: T, kind: 'alert', title: 'first', data: { n: 1 } });
      store.writer.writeEvent({ ...event, time: T + MINUTE, kind: 'intervention', title: 'second' });
      store.writer.writeEvent({
        ...event,
        time: T + 2 * MINUTE,
        kind: 'alert',
        title: 'third',
        target: 't2',
      });
      store.writer.writeEvent({
        ...event,
        time: T + 3 * MINUTE,
        kind: 'grafana_alert',
        title: 'global',
        target: null,
      });
      await store.writer.flush();
    });

    afterAll(async () => {
      await store?.stop();
    });

    const gauge = (extra: Partial<SeriesQuery> = {}): SeriesQuery => ({
      metric: 'pg_connections',
      type: 'gauge',
      targets: ['t1'],
      from: T,
      to: T + 10 * MINUTE - 1,
      stepMs: MINUTE,
      aggregation: 'avg',
      ...extra,
    });

    /** Values of bucket k (4 samples i = 4k..4k+3) of series database=a (value i). */
    const bucket = (k: number) => [4 * k, 4 * k + 1, 4 * k + 2, 4 * k + 3];
    const times = Array.from({ length: 10 }, (_, k) => T + k * MINUTE);

    describe('history store round trip', () => {
      it('downsamples gauges per bucket: avg, max, min, sum, last are exact', async () => {
        const filters = { database: ['a'] };
        const expected = {
          avg: (v: number[]) => v.reduce((a, b) => a + b) / v.length,
          max: (v: number[]) => Math.max(...v),
          min: (v: number[]) => Math.min(...v),
          sum: (v: number[]) => v.reduce((a, b) => a + b),
          last: (v: number[]) => v[v.length - 1] as number,
        };
        for (const [aggregation, of] of Object.entries(expected)) {
          const [result, ...rest] = await readSeries(
            store.reader,
            gauge({ filters, aggregation: aggregation as 'avg' }),
          );
          expect(rest).toEqual([]);
          expect(result).toEqual({
            target: 't1',
            labels: { database: 'a', state: 'idle' },
            points: times.map((t, k) => [t, of(bucket(k))]),
          });
        }
      });

      it('returns one result per series, in a stable order, with buckets of the raw step', async () => {
        const query = gauge({ stepMs: STEP, from: T, to: T + 2 * STEP });
        const results = await readSeries(store.reader, query);
        expect(await readSeries(store.reader, query)).toEqual(results);
        expect(results.map((r) => r.labels)).toEqual(
          expect.arrayContaining([
            { database: 'a', state: 'idle' },
            { database: 'b', state: 'active' },
            { database: 'b', state: 'idle' },
          ]),
        );
        expect(results).toHaveLength(3);
        const idleB = results.find((r) => r.labels.database === 'b' && r.labels.state === 'idle');
        expect(idleB?.points).toEqual([
          [T, 100],
          [T + STEP, 101],
          [T + 2 * STEP, 102],
        ]);
      });

      it('sums the series that share the group-by labels', async () => {
        const byDatabase = await readSeries(
          store.reader,
          gauge({ groupBy: ['database'], aggregation: 'max' }),
        );
        expect(byDatabase.map((r) => r.labels)).toEqual([{ database: 'a' }, { database: 'b' }]);
        // database b: max of 100+i per bucket plus the constant 1000
        expect(byDatabase[1]?.points[0]).toEqual([T, 103 + 1000]);
        const total = await readSeries(store.reader, gauge({ groupBy: [], aggregation: 'last' }));
        expect(total).toHaveLength(1);
        expect(total[0]?.labels).toEqual({});
        expect(total[0]?.points[9]).toEqual([T + 9 * MINUTE, 39 + 139 + 1000]);
        // target is always kept apart
        const perTarget = await readSeries(
          store.reader,
          gauge({ targets: [], groupBy: ['target'], filters: { database: ['a'] } }),
        );
        expect(perTarget.map((r) => [r.target, r.labels])).toEqual([
          ['t1', {}],
          ['t2', {}],
        ]);
      });

      it('serves counters as per-second rates, a reset counting the new value as the increase', async () => {
        const counter: SeriesQuery = gauge({
          metric: 'pg_xact_commit_total',
          type: 'counter',
          filters: { database: ['a'] },
        });
        const [a] = await readSeries(store.reader, counter);
        // bucket 0 has no increase for its first sample (nothing before it): 3 increases of 30 over 45 s
        expect(a?.points[0]).toEqual([T, 2]);
        expect(a?.points[4]).toEqual([T + 4 * MINUTE, 2]);
        // bucket 5 holds the reset (i = 20: 0, counted as an increase of 0), then 15, 15, 15: 45 over 60 s
        expect(a?.points[5]).toEqual([T + 5 * MINUTE, 0.75]);
        expect(a?.points.slice(6).map((p) => p[1])).toEqual([1, 1, 1, 1]);

        // a range starting mid-data uses the sample before it: no gap in the first bucket
        const [late] = await readSeries(store.reader, { ...counter, from: T + 2 * MINUTE });
        expect(late?.points[0]).toEqual([T + 2 * MINUTE, 2]);

        // a step finer than the collection interval still gives the true rate
        const [fine] = await readSeries(store.reader, {
          ...counter,
          stepMs: 5000,
          from: T + MINUTE,
          to: T + 2 * MINUTE,
        });
        expect(new Set(fine?.points.map((p) => p[1]))).toEqual(new Set([2]));

        // group-by sums rates: 2/s + 3/s
        const [both] = await readSeries(store.reader, { ...counter, filters: {}, groupBy: [] });
        expect(both?.points[1]).toEqual([T + MINUTE, 5]);
      });

      it('filters by target and by label values, and caps the number of results', async () => {
        const t2 = await readSeries(store.reader, gauge({ targets: ['t2'] }));
        expect(t2.map((r) => r.target)).toEqual(['t2']);
        expect(t2[0]?.points[0]).toEqual([T, 7]);
        const idleB = await readSeries(
          store.reader,
          gauge({ filters: { database: ['b'], state: ['idle', 'waiting'] } }),
        );
        expect(idleB.map((r) => r.labels)).toEqual([{ database: 'b', state: 'idle' }]);
        expect(await readSeries(store.reader, gauge({ filters: { database: ['nope'] } }))).toEqual([]);
        expect(await readSeries(store.reader, gauge({ filters: { missing_label: ['x'] } }))).toEqual([]);
        expect(await readSeries(store.reader, gauge({ limit: 1 }))).toHaveLength(1);
        expect(await readSeries(store.reader, gauge({ metric: 'unknown' }))).toEqual([]);
      });

      it('treats injection attempts in filters as plain values: nothing matches, nothing breaks', async () => {
        const attempts = [
          "a' OR '1'='1",
          "a'); DROP TABLE samples; --",
          'a" OR true --',
          '{"database": "a"}',
          '\\',
          '%',
        ];
        for (const value of attempts) {
          expect(await readSeries(store.reader, gauge({ filters: { database: [value] } }))).toEqual([]);
          expect(await readSeries(store.reader, gauge({ filters: { [value]: ['a'] } }))).toEqual([]);
          expect(await readSeries(store.reader, gauge({ targets: [value] }))).toEqual([]);
          expect(await readSeries(store.reader, gauge({ groupBy: [value] }))).toHaveLength(1);
          expect(await store.reader.labelValues(value)).toEqual([]);
        }
        const pool = poolFor(url);
        try {
          const samples = await pool.query('SELECT count(*)::int AS n FROM samples');
          expect(samples.rows[0].n).toBe(SAMPLES * 6);
        } finally {
          await pool.end();
        }
      });

      it('finds the snapshot taken at or before a time', async () => {
        expect(await store.reader.snapshotAt('t1', 'sessions', T + 15_000)).toEqual({
          time: T + 10_000,
          rows: [{ pid: 101, state: 'active' }],
        });
        expect(await store.reader.snapshotAt('t1', 'sessions', T + 10_000)).toMatchObject({
          time: T + 10_000,
        });
        expect((await store.reader.snapshotAt('t1', 'sessions'))?.time).toBe(T + 20_000);
        expect(await store.reader.snapshotAt('t1', 'sessions', T - 1)).toBeUndefined();
        expect(await store.reader.snapshotAt('t2', 'sessions')).toBeUndefined();
      });

      it('reads events by range, target and kind; the limit keeps the newest, oldest first', async () => {
        const range = { from: T, to: T + 10 * MINUTE };
        const all = await store.reader.events(range);
        expect(all.map((e) => e.title)).toEqual(['first', 'second', 'third', 'global']);
        expect(all[0]).toEqual({
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          time: T,
          target: 't1',
          kind: 'alert',
          severity: 'warning',
          title: 'first',
          text: 'details',
          tags: ['x'],
          data: { n: 1 },
        });
        expect((await store.reader.events({ ...range, targets: ['t1'] })).map((e) => e.title)).toEqual([
          'first',
          'second',
        ]);
        expect((await store.reader.events({ ...range, kinds: ['alert'] })).map((e) => e.title)).toEqual([
          'first',
          'third',
        ]);
        expect((await store.reader.events({ ...range, limit: 2 })).map((e) => e.title)).toEqual([
          'third',
          'global',
        ]);
        expect(await store.reader.events({ from: T + MINUTE + 1, to: T + 2 * MINUTE - 1 })).toEqual([]);
      });

      it('reads the same before and after the rollup job redoes the minutes late samples reached', async () => {
        const pool = poolFor(url);
        try {
          const samplesOnly = new StoreReader(pool, { minuteRollups: false });
          const queries = [
            gauge({ groupBy: ['database'], aggregation: 'max' }),
            gauge({ from: T + 37_000, to: T + 8 * MINUTE + 5_000, stepMs: 2 * MINUTE }),
            gauge({ metric: 'pg_xact_commit_total', type: 'counter', stepMs: 5 * MINUTE }),
          ];
          const before = await Promise.all(queries.map((query) => readSeries(store.reader, query)));
          expect(before).toEqual(await Promise.all(queries.map((query) => readSeries(samplesOnly, query))));
          const redo = await caughtUp(new MinuteRollup(pool, quietLog(), undefined, () => now));
          expect(redo.redoneMinutes).toBeGreaterThanOrEqual(10);
          expect(await Promise.all(queries.map((query) => readSeries(store.reader, query)))).toEqual(before);
        } finally {
          await pool.end();
        }
      });

      it('lists label values and targets', async () => {
        expect(await store.reader.labelValues('target')).toEqual(['t1', 't2']);
        expect(await store.reader.labelValues('database', { metric: 'pg_connections' })).toEqual(['a', 'b']);
        expect(await store.reader.labelValues('state', { target: 't2' })).toEqual(['idle']);
        expect(await store.reader.labelValues('database', { limit: 1 })).toEqual(['a']);
      });
    });
  },
);
