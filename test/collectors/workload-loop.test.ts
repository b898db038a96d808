import { chownSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { checkpointsCollector } from '../../backend/src/collectors/checkpoints';
import { databaseStatsCollector } from '../../backend/src/collectors/database-stats';
import { sharedCatalogChecksumsCollector } from '../../backend/src/collectors/shared-catalog-checksums';
import { tableFreshnessCollector } from '../../backend/src/collectors/table-freshness';
import { CollectResult, Collector, CollectorState } from '../../backend/src/collectors/types';
import { walCollector } from '../../backend/src/collectors/wal';
import { collectOnce, samplesOf, valueOf } from '../support/collect';
import { eventually } from '../support/backend-process';
import { majorsUnderTest, startPostgres, TestPostgres } from '../support/postgres';

/**
 * The workload loop's database_stats, checkpoints, wal and table_freshness collectors on a real
 * server: a staged workload between two cycles, and the counters, interval gauges and snapshots it
 * must move. Autovacuum is off so that nobody but the test touches the counters.
 */
describe.each(majorsUnderTest())('workload loop collectors on PostgreSQL %i', (major) => {
  let pg: TestPostgres;

  /** One more cycle measured against `state` as it was (a copy each time, so retries keep the baseline). */
  const cycleAfter = (collector: Collector, state: CollectorState, topN?: { relations: number }) =>
    collectOnce(pg.superuserUrl, collector, { state: new Map(state), ...(topN ? { topN } : {}) });

  /** Runs a statement list on its own session in a database, then disconnects (which flushes its statistics). */
  async function inSession(database: string, statements: string[]): Promise<void> {
    const client = new Client({ connectionString: pg.url(database) });
    await client.connect();
    try {
      for (const sql of statements) await client.query(sql);
    } finally {
      await client.end();
    }
  }

  /**
   * A first cycle once the counters stopped moving (PostgreSQL 14's statistics collector lags),
   * with its state and a time before the cycle's clock reading.
   */
  async function settledCycle(collector: Collector, metric: string, labels: Record<string, string> = {}) {
    let last: CollectResult | undefined;
    return eventually(
      async () => {
        const state: CollectorState = new Map();
        const startedAt = Date.now();
        const result = await collectOnce(pg.superuserUrl, collector, { state });
        const same = last && valueOf(last, metric, labels) === valueOf(result, metric, labels);
        last = result;
        if (!same) {
          await new Promise((r) => setTimeout(r, 700));
          return undefined;
        }
        return { result, state, startedAt };
      },
      20_000,
      `${metric} to settle`,
    );
  }

  beforeAll(async () => {
    pg = await startPostgres({ major, settings: { autovacuum: 'off' } });
    await pg.query('CREATE DATABASE stage');
  });

  afterAll(async () => {
    await pg?.destroy();
  });

  describe('database_stats', () => {
    it('counts the exact commits, rollbacks and sessions of a staged workload, with TPS and cache hit ratio', async () => {
      const stage = { datname: 'stage' };
      const {
        result: first,
        state,
        startedAt,
      } = await settledCycle(databaseStatsCollector, 'pg_database_xact_commit_total', stage);
      const commits = 20;
      const rollbacks = 5;
      await inSession('stage', [
        ...Array.from({ length: commits - 1 }, () => 'SELECT 1'),
        'SELECT count(*) FROM pg_class',
        ...Array.from({ length: rollbacks }, () => ['BEGIN', 'SELECT 1', 'ROLLBACK']).flat(),
      ]);
      const commitsBefore = valueOf(first, 'pg_database_xact_commit_total', stage) as number;
      const second = await eventually(
        async () => {
          const result = await cycleAfter(databaseStatsCollector, state);
          const moved = (metric: string, by: number) =>
            valueOf(result, metric, stage) === (valueOf(first, metric, stage) as number) + by;
          return moved('pg_database_xact_rollback_total', rollbacks) && moved('pg_database_sessions_total', 1)
            ? result
            : undefined;
        },
        15_000,
        'the staged transactions in pg_stat_database',
      );
      // Longer than the interval between the two cycles' clock readings: the rate is at least this.
      const elapsed = (Date.now() - startedAt) / 1000;

      // +1: the session's start-up transaction (reading the catalogs at connection) is a commit too.
      expect(valueOf(second, 'pg_database_xact_commit_total', stage)).toBe(commitsBefore + commits + 1);
      expect(valueOf(second, 'pg_database_blks_hit_total', stage)).toBeGreaterThan(
        valueOf(first, 'pg_database_blks_hit_total', stage) as number,
      );
      expect(valueOf(second, 'pg_tps', stage)).toBeGreaterThanOrEqual((commits + 1 + rollbacks) / elapsed);
      const hitRatio = valueOf(second, 'pg_cache_hit_ratio', stage) as number;
      expect(hitRatio).toBeGreaterThan(0);
      expect(hitRatio).toBeLessThanOrEqual(1);
      expect(valueOf(second, 'pg_database_active_time_seconds_total', stage)).toBeGreaterThan(0);
    });

    it('reports the database size, skips templates and labels by database only', async () => {
      const result = await collectOnce(pg.superuserUrl, databaseStatsCollector);
      const [row] = await pg.query<{ size: string }>("SELECT pg_database_size('stage')::text AS size");
      expect(valueOf(result, 'pg_database_size_bytes', { datname: 'stage' })).toBe(Number(row?.size));
      const databases = new Set(result.samples.map((s) => s.labels.datname));
      expect([...databases].sort()).toEqual(['postgres', 'stage']);
      expect(new Set(result.samples.flatMap((s) => Object.keys(s.labels)))).toEqual(new Set(['datname']));
      // Data checksums are on by default from 18 (initdb): a count then, no made-up zero otherwise.
      const [checksums] = await pg.query<{ on: boolean }>(
        "SELECT current_setting('data_checksums') = 'on' AS on",
      );
      const failures = valueOf(result, 'pg_database_checksum_failures_total', { datname: 'stage' });
      if (checksums?.on) expect(failures).toBe(0);
      else expect(failures).toBeUndefined();
    });

    it('reads database sizes once per refresh interval, and reports the last ones in between', async () => {
      const state: CollectorState = new Map();
      const readsSizes: unknown[] = [];
      const onQuery = (_name: string, params: unknown[] | undefined) => readsSizes.push(params?.[1]);
      const first = await collectOnce(pg.superuserUrl, databaseStatsCollector, { state, onQuery });
      const second = await collectOnce(pg.superuserUrl, databaseStatsCollector, { state, onQuery });
      expect(readsSizes).toEqual([true, false]);
      const stage = { datname: 'stage' };
      expect(valueOf(second, 'pg_database_size_bytes', stage)).toBe(
        valueOf(first, 'pg_database_size_bytes', stage),
      );
      expect(valueOf(second, 'pg_database_size_bytes', stage)).toBeGreaterThan(0);
    });

    it('never gives a negative rate across pg_stat_reset()', async () => {
      const stage = { datname: 'stage' };
      const state: CollectorState = new Map();
      const before = await collectOnce(pg.superuserUrl, databaseStatsCollector, { state });
      await inSession('stage', ['SELECT pg_stat_reset()']);
      const after = await eventually(
        async () => {
          const result = await cycleAfter(databaseStatsCollector, state);
          const commits = valueOf(result, 'pg_database_xact_commit_total', stage) as number;
          return commits < (valueOf(before, 'pg_database_xact_commit_total', stage) as number)
            ? result
            : undefined;
        },
        15_000,
        'the reset counters',
      );
      expect(valueOf(after, 'pg_tps', stage)).toBeGreaterThanOrEqual(0);
      for (const sample of samplesOf(after, 'pg_tps')) expect(sample.value).toBeGreaterThanOrEqual(0);
    });
  });

  describe('shared_catalog_checksums', () => {
    it('counts the shared catalogs apart, and only with data checksums on', async () => {
      const result = await collectOnce(pg.superuserUrl, sharedCatalogChecksumsCollector);
      // initdb turns data checksums on by default from 18; no made-up zero without them.
      const [checksums] = await pg.query<{ on: boolean }>(
        "SELECT current_setting('data_checksums') = 'on' AS on",
      );
      expect(result.samples).toEqual(
        checksums?.on ? [{ metric: 'pg_shared_catalog_checksum_failures_total', labels: {}, value: 0 }] : [],
      );
      // (A damaged page counted there: test/alerts/data-checksum.test.ts.)
    });
  });

  describe('checkpoints', () => {
    it('counts a forced CHECKPOINT as requested, with its buffers, and the requested share', async () => {
      // Dirty buffers for the checkpoint to write (in database stage: table_freshness looks at postgres).
      await inSession('stage', [
        "CREATE TABLE ckpt_dirty AS SELECT g AS id, repeat('x', 100) AS pad FROM generate_series(1, 5000) g",
      ]);
      const { result: first, state } = await settledCycle(
        checkpointsCollector,
        'pg_checkpoints_requested_total',
      );
      await pg.query('CHECKPOINT');
      const requestedBefore = valueOf(first, 'pg_checkpoints_requested_total') as number;
      const second = await eventually(
        async () => {
          const result = await cycleAfter(checkpointsCollector, state);
          return valueOf(result, 'pg_checkpoints_requested_total') === requestedBefore + 1
            ? result
            : undefined;
        },
        15_000,
        'the forced checkpoint in the statistics',
      );

      expect(valueOf(second, 'pg_checkpoints_timed_total')).toBe(
        valueOf(first, 'pg_checkpoints_timed_total'),
      );
      expect(valueOf(second, 'pg_checkpoint_buffers_written_total')).toBeGreaterThan(
        valueOf(first, 'pg_checkpoint_buffers_written_total') as number,
      );
      // The only checkpoint since the first cycle was requested.
      expect(valueOf(second, 'pg_checkpoint_requested_ratio')).toBe(1);
      for (const metric of [
        'pg_checkpoint_write_time_seconds_total',
        'pg_checkpoint_sync_time_seconds_total',
        'pg_bgwriter_buffers_clean_total',
        'pg_bgwriter_maxwritten_clean_total',
      ]) {
        expect(valueOf(second, metric)).toBeGreaterThanOrEqual(0);
      }
      expect(valueOf(second, 'pg_buffers_alloc_total')).toBeGreaterThan(0);
    });

    it('reads the same metric schema whatever the major', async () => {
      const result = await collectOnce(pg.superuserUrl, checkpointsCollector);
      const names = result.samples.map((s) => s.metric).sort();
      expect(names).toEqual(
        checkpointsCollector.metrics
          .map((m) => m.name)
          .filter((n) => n !== 'pg_checkpoint_requested_ratio')
          .sort(),
      );
    });
  });

  describe('wal', () => {
    it('sees WAL records, bytes and the WAL position grow after writes', async () => {
      const state: CollectorState = new Map();
      const first = await collectOnce(pg.superuserUrl, walCollector, { state });
      const rows = 5000;
      await inSession('stage', [
        'CREATE TABLE wal_sink (id int, pad text)',
        `INSERT INTO wal_sink SELECT g, 'row ' || g FROM generate_series(1, ${rows}) g`,
      ]);
      const second = await eventually(
        async () => {
          const result = await cycleAfter(walCollector, state);
          const grew = (metric: string, by: number) =>
            (valueOf(result, metric) as number) >= (valueOf(first, metric) as number) + by;
          // With synchronous_commit off the WAL write position follows within wal_writer_delay.
          return grew('pg_wal_records_total', rows) && grew('pg_wal_lsn_bytes', rows * 50)
            ? result
            : undefined;
        },
        15_000,
        'the inserts in pg_stat_wal',
      );

      const bytes =
        (valueOf(second, 'pg_wal_bytes_total') as number) - (valueOf(first, 'pg_wal_bytes_total') as number);
      // A heap insert record is more than 50 bytes.
      expect(bytes).toBeGreaterThan(rows * 50);
      expect(valueOf(second, 'pg_wal_bytes_per_second')).toBeGreaterThan(0);
      // Write and sync counters on every major (pg_stat_io on 18).
      for (const metric of [
        'pg_wal_write_total',
        'pg_wal_sync_total',
        'pg_wal_write_time_seconds_total',
        'pg_wal_sync_time_seconds_total',
        'pg_wal_fpi_total',
        'pg_wal_buffers_full_total',
      ]) {
        expect(valueOf(second, metric)).toBeGreaterThanOrEqual(0);
      }
      expect(valueOf(second, 'pg_wal_write_total')).toBeGreaterThan(0);
    });
  });

  describe('table_freshness', () => {
    beforeAll(async () => {
      await pg.query('CREATE TABLE fresh_orders (id int PRIMARY KEY, v int)');
      await pg.query('INSERT INTO fresh_orders SELECT g, 0 FROM generate_series(1, 1000) g');
      await pg.query('VACUUM ANALYZE fresh_orders');
      await pg.query('UPDATE fresh_orders SET v = 1 WHERE id <= 300');
      await pg.query('CREATE TABLE fresh_mid (id int)');
      await pg.query('INSERT INTO fresh_mid SELECT generate_series(1, 100)');
      await pg.query('CREATE TABLE fresh_small (id int)');
      await pg.query('INSERT INTO fresh_small SELECT generate_series(1, 10)');
    });

    it('shows last_vacuum after VACUUM and the modifications since analyze after updates', async () => {
      const orders = { datname: 'postgres', schemaname: 'public', relname: 'fresh_orders' };
      const result = await eventually(
        async () => {
          const r = await collectOnce(pg.superuserUrl, tableFreshnessCollector);
          return valueOf(r, 'pg_table_mods_since_analyze', orders) === 300 ? r : undefined;
        },
        15_000,
        'the updates in the table statistics',
      );

      const sinceVacuum = valueOf(result, 'pg_table_last_vacuum_seconds', orders) as number;
      expect(sinceVacuum).toBeGreaterThanOrEqual(0);
      expect(sinceVacuum).toBeLessThan(120);
      expect(valueOf(result, 'pg_table_last_analyze_seconds', orders)).toBeLessThan(120);
      expect(valueOf(result, 'pg_table_last_autovacuum_seconds', orders)).toBeUndefined();
      expect(valueOf(result, 'pg_table_vacuums_total', orders)).toBe(1);
      expect(valueOf(result, 'pg_table_analyzes_total', orders)).toBe(1);
      expect(valueOf(result, 'pg_table_inserts_since_vacuum', { ...orders, relname: 'fresh_mid' })).toBe(100);

      const row = result.snapshots
        ?.find((s) => s.kind === 'vacuum')
        ?.rows.find((r) => r.relname === 'fresh_orders');
      expect(row).toMatchObject({
        datname: 'postgres',
        schemaname: 'public',
        live_tuples: 1000,
        dead_tuples: 300,
        mods_since_analyze: 300,
        vacuum_count: 1,
        last_autovacuum: null,
      });
      expect(row?.dead_percent).toBeCloseTo((100 * 300) / 1300, 6);
      expect(Math.abs((row?.last_vacuum as number) - Date.now())).toBeLessThan(120_000);
    });

    it('keeps the top N tables by pending work, in SQL', async () => {
      const result = await collectOnce(pg.superuserUrl, tableFreshnessCollector, { topN: { relations: 2 } });
      const rows = result.snapshots?.find((s) => s.kind === 'vacuum')?.rows ?? [];
      // fresh_orders: 300 dead rows and modifications; fresh_mid: 100 inserts; fresh_small: 10.
      expect(rows.map((r) => r.relname)).toEqual(['fresh_orders', 'fresh_mid']);
      expect(new Set(result.samples.map((s) => s.labels.relname))).toEqual(
        new Set(['fresh_orders', 'fresh_mid']),
      );
    });
  });

  describe('as a pg_monitor role (what production targets grant)', () => {
    it('reads every workload collector without superuser', async () => {
      await pg.createRole('watcher', { password: 'watcher-pw', grants: ['pg_monitor'] });
      const url = pg.url('postgres', 'watcher', 'watcher-pw');
      const stats = await collectOnce(url, databaseStatsCollector);
      expect(valueOf(stats, 'pg_database_size_bytes', { datname: 'stage' })).toBeGreaterThan(0);
      expect(valueOf(await collectOnce(url, walCollector), 'pg_wal_lsn_bytes')).toBeGreaterThan(0);
      expect(
        valueOf(await collectOnce(url, checkpointsCollector), 'pg_checkpoints_requested_total'),
      ).toBeGreaterThan(0);
      expect((await collectOnce(url, sharedCatalogChecksumsCollector)).samples).toEqual(
        (await collectOnce(pg.superuserUrl, sharedCatalogChecksumsCollector)).samples,
      );
      const freshness = await collectOnce(url, tableFreshnessCollector);
      expect(valueOf(freshness, 'pg_table_mods_since_analyze', { relname: 'fresh_orders' })).toBe(300);
    });
  });

  describe('on a standby', () => {
    beforeAll(async () => {
      // A server started with standby.signal and no primary stays in recovery, read-only.
      await pg.stop();
      const dataDir = pg.server.dataDir;
      const signal = path.join(dataDir, 'standby.signal');
      writeFileSync(signal, '');
      const owner = statSync(dataDir);
      chownSync(signal, owner.uid, owner.gid);
      await pg.start();
      const [row] = await pg.query<{ recovery: boolean }>('SELECT pg_is_in_recovery() AS recovery');
      expect(row?.recovery).toBe(true);
    });

    it('reads WAL counters without the WAL position, which only a primary has', async () => {
      const result = await collectOnce(pg.superuserUrl, walCollector);
      expect(valueOf(result, 'pg_wal_bytes_total')).toBeGreaterThanOrEqual(0);
      expect(valueOf(result, 'pg_wal_lsn_bytes')).toBeUndefined();
    });

    it('runs the other workload collectors', async () => {
      for (const collector of [databaseStatsCollector, checkpointsCollector, tableFreshnessCollector]) {
        const result = await collectOnce(pg.superuserUrl, collector);
        expect(result.samples.length).toBeGreaterThan(0);
      }
    });
  });
});
