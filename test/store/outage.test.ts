import { Pool } from 'pg';
import { openStore } from '../../backend/src/store';
import { startPostgres, TestPostgres } from '../support/postgres';
import {
  createDatabase,
  hourAgo,
  observation,
  pgStoreMetric,
  poolFor,
  quietLog,
  registry,
  storeConfig,
} from './store-kit';

/**
 * The store server goes away while the backend keeps collecting: the writer buffers, and on
 * recovery writes everything in order; past its bound it drops the oldest samples (counted),
 * never events.
 */
let pg: TestPostgres;

beforeAll(async () => {
  pg = await startPostgres();
});
afterAll(async () => {
  await pg?.destroy();
});

const SERIES = 10;
const samplesAt = (i: number) =>
  Array.from({ length: SERIES }, (_, s) => ({ metric: 'pg_test', labels: { s: String(s) }, value: i }));

/** Values of series s=0 in time order, and every (series, time) count. */
async function stored(pool: Pool): Promise<{ values: number[]; total: number; distinct: number }> {
  const values = await pool.query(
    `SELECT x.value FROM samples x JOIN series s ON s.id = x.series_id
     WHERE s.metric = 'pg_test' AND s.labels = '{"s": "0"}' ORDER BY x.ts`,
  );
  const counts = await pool.query(
    'SELECT count(*)::int AS total, count(DISTINCT (series_id, ts))::int AS distinct FROM samples',
  );
  return { values: values.rows.map((r) => r.value), ...counts.rows[0] };
}

const event = (i: number) => ({
  time: hourAgo(1) + i,
  target: 'outage',
  kind: 'target_state' as const,
  severity: 'info' as const,
  title: `event ${i}`,
  text: '',
  tags: [],
});

describe('history writer across a store outage', () => {
  it('buffers while the store is down and writes every sample, in order, when it is back', async () => {
    const url = await createDatabase(pg, 'outage');
    const metrics = registry();
    const store = await openStore(
      storeConfig(url, {
        PGG_STORE__FLUSH_INTERVAL_MS: '100',
        PGG_RECONNECT__INITIAL_BACKOFF_MS: '50',
        PGG_RECONNECT__MAX_BACKOFF_MS: '200',
      }),
      quietLog(),
      metrics,
    );
    const pool = poolFor(url);
    try {
      const t0 = hourAgo(1);
      for (let i = 0; i < 10; i++) store.writer.write(observation('outage', t0 + i * 1000, samplesAt(i)));
      await store.writer.flush();

      await pg.stop();
      // collection goes on: 100 more cycles while the flusher keeps failing
      for (let i = 10; i < 110; i++) {
        store.writer.write(observation('outage', t0 + i * 1000, samplesAt(i)));
        if (i % 10 === 0) store.writer.writeEvent(event(i));
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(store.writer.status()).toMatchObject({ storeReachable: false, droppedSamples: 0 });
      expect(store.writer.status().bufferedSamples).toBe(100 * SERIES);
      expect(await pgStoreMetric(metrics, 'pgg_store_reachable')).toBe(0);
      expect(await pgStoreMetric(metrics, 'pgg_store_buffered_samples')).toBe(100 * SERIES);

      await pg.start();
      await store.writer.flush();
      expect(store.writer.status()).toMatchObject({
        bufferedSamples: 0,
        bufferedEvents: 0,
        storeReachable: true,
      });
      const { values, total, distinct } = await stored(pool);
      expect(values).toEqual(Array.from({ length: 110 }, (_, i) => i));
      expect(total).toBe(110 * SERIES);
      expect(distinct).toBe(total);
      const events = await store.reader.events({ from: t0, to: t0 + 1000 });
      expect(events.map((e) => e.title)).toEqual(
        Array.from({ length: 10 }, (_, k) => `event ${10 + 10 * k}`),
      );
      expect(await pgStoreMetric(metrics, 'pgg_store_write_errors_total')).toBeGreaterThan(0);
    } finally {
      await pool.end();
      await store.stop();
    }
  });

  it('past its bound drops the oldest samples and counts them, but keeps every event', async () => {
    const url = await createDatabase(pg, 'overflow');
    const metrics = registry();
    const store = await openStore(
      // No background flush: the test decides when the writer tries.
      storeConfig(url, { PGG_STORE__BUFFER_MAX_SAMPLES: '1000', PGG_STORE__FLUSH_INTERVAL_MS: '600000' }),
      quietLog(),
      metrics,
    );
    const pool = poolFor(url);
    try {
      await pg.stop();
      const t0 = hourAgo(1);
      for (let i = 0; i < 300; i++) {
        store.writer.write(observation('overflow', t0 + i * 1000, samplesAt(i)));
        store.writer.writeEvent(event(i));
      }
      await expect(store.writer.flush()).rejects.toThrow();
      expect(store.writer.status()).toMatchObject({
        bufferedSamples: 1000,
        droppedSamples: 2000,
        bufferedEvents: 300,
      });
      expect(await pgStoreMetric(metrics, 'pgg_store_dropped_samples_total')).toBe(2000);

      await pg.start();
      await store.writer.flush();
      const { values, total } = await stored(pool);
      expect(total).toBe(1000);
      // the newest 100 cycles (10 samples each) survived
      expect(values).toEqual(Array.from({ length: 100 }, (_, i) => 200 + i));
      const events = await store.reader.events({ from: t0, to: t0 + 1000, limit: 1000 });
      expect(events).toHaveLength(300);
    } finally {
      await pool.end();
      await store.stop();
    }
  });

  it('starts while the store is down: buffers, then migrates and writes once it answers', async () => {
    const url = await createDatabase(pg, 'late');
    await pg.stop();
    const store = await openStore(
      storeConfig(url, { PGG_RECONNECT__INITIAL_BACKOFF_MS: '50', PGG_RECONNECT__MAX_BACKOFF_MS: '200' }),
      quietLog(),
      registry(),
    );
    const pool = poolFor(url);
    try {
      expect(store.writer.status().storeReachable).toBe(false);
      const t0 = hourAgo(1);
      for (let i = 0; i < 5; i++) store.writer.write(observation('late', t0 + i * 1000, samplesAt(i)));
      await expect(store.writer.flush()).rejects.toThrow(/not migrated/);
      await pg.start();
      await store.ready;
      await store.writer.flush();
      expect((await stored(pool)).values).toEqual([0, 1, 2, 3, 4]);
      expect(store.writer.status().storeReachable).toBe(true);
    } finally {
      await pool.end();
      await store.stop();
    }
  });
});
