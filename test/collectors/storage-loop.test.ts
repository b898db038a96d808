import { Client } from 'pg';
import { partitionsCollector } from '../../backend/src/collectors/partitions';
import { relationsCollector } from '../../backend/src/collectors/relations';
import { CollectResult } from '../../backend/src/collectors/types';
import { unusedIndexesCollector } from '../../backend/src/collectors/unused-indexes';
import { eventually } from '../support/backend-process';
import { collectOnce, samplesOf, valueOf } from '../support/collect';
import { majorsUnderTest, startPostgres, TestPostgres } from '../support/postgres';

const snapshotRows = (result: CollectResult, kind: string) =>
  result.snapshots?.find((s) => s.kind === kind)?.rows ?? [];

/**
 * The storage loop's collectors on staged databases, one database per scenario so that each
 * assertion can be exact: dead tuples after a mass UPDATE, an unused index that gets used, monthly
 * partitions with and without next month, and Top-N caps.
 */
describe.each(majorsUnderTest())('storage loop collectors on PostgreSQL %i', (major) => {
  let pg: TestPostgres;

  /** Runs statements in one session of a database; pending statistics are flushed on 15+. */
  async function inDatabase(database: string, statements: string[]): Promise<void> {
    const client = new Client({ connectionString: pg.url(database) });
    await client.connect();
    try {
      for (const sql of statements) await client.query(sql);
      if (major >= 15) await client.query('SELECT pg_stat_force_next_flush()');
    } finally {
      await client.end();
    }
  }

  async function scalar(database: string, sql: string): Promise<number> {
    const client = new Client({ connectionString: pg.url(database) });
    await client.connect();
    try {
      return Number(Object.values((await client.query(sql)).rows[0] as object)[0]);
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    // Small shared buffers: a table larger than them cannot be cached whole, so reading it reads
    // blocks from outside them (the block I/O test).
    pg = await startPostgres({ major, settings: { shared_buffers: '8MB' } });
    for (const db of ['churn', 'unused', 'parts', 'caps', 'io', 'ranked'])
      await pg.query(`CREATE DATABASE ${db}`);
  }, 60_000);

  afterAll(async () => {
    await pg?.destroy();
  });

  describe('relations', () => {
    it('counts the dead tuples of a mass UPDATE on a table autovacuum leaves alone', async () => {
      await inDatabase('churn', [
        'CREATE TABLE accounts (id int PRIMARY KEY, balance int) WITH (autovacuum_enabled = false)',
        'INSERT INTO accounts SELECT g, 100 FROM generate_series(1, 1000) g',
        // No VACUUM/ANALYZE in this session: they set the live count absolutely, and this session's
        // pending insert counts would then be added on top of it.
        'UPDATE accounts SET balance = balance + 1 WHERE id <= 400',
      ]);
      const labels = { datname: 'churn', schemaname: 'public', relname: 'accounts' };
      const result = await eventually(
        async () => {
          const r = await collectOnce(pg.url('churn'), relationsCollector);
          return valueOf(r, 'pg_table_dead_tuples', labels) === 400 ? r : undefined;
        },
        15_000,
        '400 dead tuples in the statistics',
      );
      expect(valueOf(result, 'pg_table_live_tuples', labels)).toBe(1000);
      expect(valueOf(result, 'pg_table_dead_ratio', labels)).toBeCloseTo(400 / 1400, 6);
      expect(snapshotRows(result, 'vacuum_tuples')).toEqual([
        expect.objectContaining({
          relname: 'accounts',
          dead_tuples: 400,
          autovacuum_disabled: true,
          last_autovacuum: null,
        }),
      ]);
      // Exact sizes for the winner, total = table + indexes = pg_total_relation_size.
      const total = await scalar('churn', "SELECT pg_total_relation_size('accounts')");
      expect(valueOf(result, 'pg_relation_size_bytes', labels)).toBe(total);
      expect(valueOf(result, 'pg_relation_indexes_bytes', labels)).toBe(
        await scalar('churn', "SELECT pg_indexes_size('accounts')"),
      );
      expect(valueOf(result, 'pg_index_size_bytes', { ...labels, indexrelname: 'accounts_pkey' })).toBe(
        await scalar('churn', "SELECT pg_relation_size('accounts_pkey')"),
      );
      expect(valueOf(result, 'pg_relations_count', { datname: 'churn', relkind: 'table' })).toBe(1);
    }, 30_000);

    it('caps every per-object family at Top-N: N+5 tables, the N largest by size and the N with most dead tuples', async () => {
      const n = 5;
      const tables = Array.from({ length: n + 5 }, (_, i) => i + 1);
      await inDatabase(
        'caps',
        tables.flatMap((i) => [
          `CREATE TABLE t${i} (id int, pad text) WITH (autovacuum_enabled = false)`,
          `INSERT INTO t${i} SELECT g, repeat('x', 100) FROM generate_series(1, ${i * 1000}) g`,
          `CREATE INDEX t${i}_id ON t${i} (id)`,
          `VACUUM ANALYZE t${i}`,
          // The smallest tables get the most dead tuples: the two rankings differ.
          `UPDATE t${i} SET id = id WHERE id <= ${(11 - i) * 10}`,
        ]),
      );
      const result = await eventually(
        async () => {
          const r = await collectOnce(pg.url('caps'), relationsCollector, {
            topN: { relations: n, indexes: n },
          });
          return valueOf(r, 'pg_table_dead_tuples', { relname: 't1' }) === 100 ? r : undefined;
        },
        15_000,
        'dead tuples in the statistics',
      );
      const names = (metric: string) =>
        samplesOf(result, metric)
          .map((s) => s.labels.relname)
          .sort();
      expect(names('pg_relation_size_bytes')).toEqual(['t10', 't6', 't7', 't8', 't9']);
      expect(names('pg_index_size_bytes')).toEqual(['t10', 't6', 't7', 't8', 't9']);
      expect(snapshotRows(result, 'storage').map((r) => r.relname)).toEqual(['t10', 't9', 't8', 't7', 't6']);
      expect(snapshotRows(result, 'vacuum_tuples').map((r) => [r.relname, r.dead_tuples])).toEqual([
        ['t1', 100],
        ['t2', 90],
        ['t3', 80],
        ['t4', 70],
        ['t5', 60],
      ]);
      // Tuples and scans for both rankings together.
      expect(samplesOf(result, 'pg_table_dead_tuples')).toHaveLength(2 * n);
      expect(samplesOf(result, 'pg_table_seq_scan_total')).toHaveLength(2 * n);
      expect(valueOf(result, 'pg_relations_count', { relkind: 'table' })).toBe(n + 5);
      expect(valueOf(result, 'pg_relations_count', { relkind: 'index' })).toBe(n + 5);
      for (const s of samplesOf(result, 'pg_relation_size_bytes')) {
        expect(s.value).toBe(await scalar('caps', `SELECT pg_total_relation_size('${s.labels.relname}')`));
      }
      const labelNames = new Set(result.samples.flatMap((s) => Object.keys(s.labels)));
      expect([...labelNames].sort()).toEqual(['datname', 'indexrelname', 'relkind', 'relname', 'schemaname']);
    }, 30_000);
    it('reports the block I/O of a Top-N table as pg_statio_user_tables has it, moving as it is read', async () => {
      await inDatabase('io', [
        // ~12 MB of heap, more than the 8 MB of shared buffers; a few values long enough for TOAST.
        'CREATE TABLE io_probe (id int, pad text, doc text) WITH (autovacuum_enabled = false)',
        "INSERT INTO io_probe SELECT g, repeat('x', 100) FROM generate_series(1, 100000) g",
        "UPDATE io_probe SET doc = (SELECT string_agg(md5(g::text || i::text), '') FROM generate_series(1, 300) i) FROM generate_series(1, 20) g WHERE id = g",
        'CREATE INDEX io_probe_id ON io_probe (id)',
        'VACUUM ANALYZE io_probe',
      ]);
      const labels = { datname: 'io', schemaname: 'public', relname: 'io_probe' };
      const io = (result: CollectResult) => {
        const value = (column: string) => valueOf(result, `pg_table_${column}_total`, labels) ?? NaN;
        return {
          heap_blks_read: value('heap_blks_read'),
          heap_blks_hit: value('heap_blks_hit'),
          idx_blks_read: value('idx_blks_read'),
          idx_blks_hit: value('idx_blks_hit'),
          toast_blks_read: value('toast_blks_read'),
          toast_blks_hit: value('toast_blks_hit'),
        };
      };
      const statio = async () => {
        const client = new Client({ connectionString: pg.url('io') });
        await client.connect();
        try {
          const { rows } = await client.query(
            `SELECT heap_blks_read::float8, heap_blks_hit::float8, idx_blks_read::float8, idx_blks_hit::float8,
                    (coalesce(toast_blks_read, 0) + coalesce(tidx_blks_read, 0))::float8 AS toast_blks_read,
                    (coalesce(toast_blks_hit, 0) + coalesce(tidx_blks_hit, 0))::float8 AS toast_blks_hit
               FROM pg_statio_user_tables WHERE relname = 'io_probe'`,
          );
          return rows[0] as ReturnType<typeof io>;
        } finally {
          await client.end();
        }
      };
      const before = io(await collectOnce(pg.url('io'), relationsCollector));
      await inDatabase('io', [
        'SELECT count(*) FROM io_probe',
        'SET enable_seqscan = off',
        'SELECT count(pad) FROM io_probe WHERE id <= 100',
        'SELECT count(pad) FROM io_probe WHERE id <= 100',
        'SELECT sum(length(doc)) FROM io_probe WHERE id <= 20',
      ]);
      const after = await eventually(
        async () => {
          const values = io(await collectOnce(pg.url('io'), relationsCollector));
          return values.heap_blks_read > before.heap_blks_read &&
            values.toast_blks_hit + values.toast_blks_read > before.toast_blks_hit + before.toast_blks_read
            ? values
            : undefined;
        },
        15_000,
        'the reads in the statistics',
      );
      // The scan read what shared buffers could not hold; the repeated index scan found its pages there.
      expect(after.heap_blks_read - before.heap_blks_read).toBeGreaterThan(100);
      expect(after.heap_blks_hit).toBeGreaterThan(before.heap_blks_hit);
      expect(after.idx_blks_hit).toBeGreaterThan(before.idx_blks_hit);
      expect(after).toEqual(await statio());
    }, 60_000);

    it('ranks by size every size_ranking.interval_s: in between, the Top-N ranked last with fresh figures, a dropped one gone', async () => {
      const rows = (name: string, count: number) =>
        `INSERT INTO ${name} SELECT g, repeat('x', 100) FROM generate_series(1, ${count}) g`;
      await inDatabase('ranked', [
        ...[
          ['big', 4000],
          ['mid', 1000],
          ['tiny', 500],
        ].flatMap(([name, count]) => [
          `CREATE TABLE ${name} (id int, pad text) WITH (autovacuum_enabled = false)`,
          rows(name as string, count as number),
          `CREATE INDEX ${name}_id ON ${name} (id)`,
        ]),
        'CREATE TABLE parts (id int, pad text) PARTITION BY RANGE (id)',
        'CREATE TABLE parts_1 PARTITION OF parts FOR VALUES FROM (1) TO (1501) WITH (autovacuum_enabled = false)',
        'CREATE TABLE parts_2 PARTITION OF parts FOR VALUES FROM (1501) TO (3001) WITH (autovacuum_enabled = false)',
        rows('parts', 3000),
        'VACUUM ANALYZE',
      ]);
      const hour = 3_600_000;
      const topN = { relations: 2, indexes: 2 };
      const state = new Map();
      const cycle = async (sizeRankingIntervalMs: number) => {
        const sent: string[] = [];
        const result = await collectOnce(pg.url('ranked'), relationsCollector, {
          state,
          topN,
          sizeRankingIntervalMs,
          onQuery: (name) => sent.push(name),
        });
        const storage = snapshotRows(result, 'storage');
        const indexes = samplesOf(result, 'pg_index_size_bytes').map((s) => s.labels.indexrelname);
        return { sent, storage, indexes, result };
      };
      const ranking = ['relation-ranking', 'relation-index-ranking'];

      const first = await cycle(hour);
      expect(first.sent).toEqual(expect.arrayContaining(ranking));
      expect(first.storage.map((r) => [r.relname, r.partitions])).toEqual([
        ['big', 0],
        ['parts', 2],
      ]);
      expect(first.indexes).toHaveLength(2);
      expect(first.indexes[0]).toBe('big_id');

      // tiny becomes the largest, big is dropped, parts gets a third partition.
      await inDatabase('ranked', [
        rows('tiny', 20_000),
        'VACUUM ANALYZE tiny',
        'DROP TABLE big',
        'CREATE TABLE parts_3 PARTITION OF parts FOR VALUES FROM (3001) TO (4501) WITH (autovacuum_enabled = false)',
        `INSERT INTO parts SELECT g, repeat('x', 100) FROM generate_series(3001, 4500) g`,
        'VACUUM ANALYZE parts_3',
      ]);
      // Within the interval: no ranking; the Top-N ranked last, fresh (parts summed over 3
      // partitions), big gone, tiny not yet there.
      const between = await cycle(hour);
      expect(between.sent.filter((name) => ranking.includes(name))).toEqual([]);
      expect(between.storage.map((r) => [r.relname, r.partitions])).toEqual([['parts', 3]]);
      expect(between.indexes).toHaveLength(1);
      expect(between.indexes).not.toContain('big_id');
      expect(valueOf(between.result, 'pg_relation_size_bytes', { relname: 'tiny' })).toBeUndefined();

      // Once the interval has passed: ranked again, tiny first.
      const ranked = await cycle(0);
      expect(ranked.sent).toEqual(expect.arrayContaining(ranking));
      expect(ranked.storage.map((r) => r.relname)).toEqual(['tiny', 'parts']);
      expect(ranked.indexes[0]).toBe('tiny_id');
      expect(valueOf(ranked.result, 'pg_relation_size_bytes', { relname: 'tiny' })).toBe(
        await scalar('ranked', "SELECT pg_total_relation_size('tiny')"),
      );
    }, 60_000);
  });

  describe('unused indexes', () => {
    beforeAll(async () => {
      await inDatabase('unused', [
        'CREATE TABLE lookups (id int, code int, note text)',
        'INSERT INTO lookups SELECT g, g % 100, md5(g::text) FROM generate_series(1, 5000) g',
        'CREATE INDEX lookups_code_idx ON lookups (code)',
        'CREATE INDEX lookups_note_idx ON lookups (note)',
        'CREATE UNIQUE INDEX lookups_id_key ON lookups (id)',
        'CREATE TABLE events (id int, kind int, created date) PARTITION BY RANGE (created)',
        "CREATE TABLE events_a PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2024-02-01')",
        "CREATE TABLE events_b PARTITION OF events FOR VALUES FROM ('2024-02-01') TO ('2024-03-01')",
        'CREATE INDEX events_kind_idx ON events (kind)',
        'ALTER TABLE events_a ADD PRIMARY KEY (id)',
        'VACUUM ANALYZE',
      ]);
    }, 30_000);

    it('lists never-scanned indexes that enforce nothing, partition indexes rolled up once', async () => {
      const result = await collectOnce(pg.url('unused'), unusedIndexesCollector);
      const rows = snapshotRows(result, 'unused_indexes');
      expect(rows.map((r) => r.indexrelname).sort()).toEqual([
        'events_kind_idx',
        'lookups_code_idx',
        'lookups_note_idx',
      ]);
      expect(valueOf(result, 'pg_unused_indexes', { datname: 'unused' })).toBe(3);
      const code = {
        datname: 'unused',
        schemaname: 'public',
        relname: 'lookups',
        indexrelname: 'lookups_code_idx',
      };
      expect(valueOf(result, 'pg_index_unused', code)).toBe(
        await scalar('unused', "SELECT pg_relation_size('lookups_code_idx')"),
      );
      expect(rows.find((r) => r.indexrelname === 'lookups_code_idx')).toMatchObject({
        idx_scan: 0,
        size_exact: true,
        is_valid: true,
        definition: 'CREATE INDEX lookups_code_idx ON public.lookups USING btree (code)',
      });
      const events = rows.find((r) => r.indexrelname === 'events_kind_idx');
      expect(events).toMatchObject({ relname: 'events', partitions: 2, size_exact: false });
      const partitionIndexPages = await scalar(
        'unused',
        "SELECT sum(relpages) * current_setting('block_size')::int FROM pg_class WHERE relname IN ('events_a_kind_idx', 'events_b_kind_idx')",
      );
      expect(events?.size_bytes).toBe(partitionIndexPages);
      const estimated = await scalar(
        'unused',
        "SELECT sum(relpages) * current_setting('block_size')::int FROM pg_class WHERE relname IN ('lookups_code_idx', 'lookups_note_idx', 'events_a_kind_idx', 'events_b_kind_idx')",
      );
      expect(valueOf(result, 'pg_unused_index_bytes')).toBe(estimated);
    });

    it('drops an index from the list once it is scanned', async () => {
      await inDatabase('unused', ['SET enable_seqscan = off', 'SELECT count(*) FROM lookups WHERE code = 7']);
      const result = await eventually(
        async () => {
          const r = await collectOnce(pg.url('unused'), unusedIndexesCollector);
          return valueOf(r, 'pg_unused_indexes') === 2 ? r : undefined;
        },
        15_000,
        'the index scan in the statistics',
      );
      expect(
        samplesOf(result, 'pg_index_unused')
          .map((s) => s.labels.indexrelname)
          .sort(),
      ).toEqual(['events_kind_idx', 'lookups_note_idx']);
    }, 30_000);

    it('caps the per-index family at Top-N by size and keeps the totals whole', async () => {
      const result = await collectOnce(pg.url('unused'), unusedIndexesCollector, { topN: { indexes: 1 } });
      expect(samplesOf(result, 'pg_index_unused').map((s) => s.labels.indexrelname)).toEqual([
        'lookups_note_idx',
      ]);
      expect(valueOf(result, 'pg_unused_indexes')).toBe(2);
    });
  });

  describe('partitions', () => {
    beforeAll(async () => {
      const monthly = (table: string, type: string, from: number, to: number) =>
        `DO $$ BEGIN FOR i IN ${from}..${to} LOOP
           EXECUTE format('CREATE TABLE %I PARTITION OF ${table} FOR VALUES FROM (%L) TO (%L)', '${table}_' || (i + 10),
             (date_trunc('month', localtimestamp) + make_interval(months => i))::${type},
             (date_trunc('month', localtimestamp) + make_interval(months => i + 1))::${type});
         END LOOP; END $$`;
      await inDatabase('parts', [
        // Monthly, stops at the current month, with a default partition catching the future.
        'CREATE TABLE stops_now (id int, ts timestamptz) PARTITION BY RANGE (ts)',
        monthly('stops_now', 'timestamptz', -2, 0),
        'CREATE TABLE stops_now_default PARTITION OF stops_now DEFAULT',
        "INSERT INTO stops_now SELECT g, now() + interval '1 year' FROM generate_series(1, 25) g",
        'INSERT INTO stops_now SELECT g, now() FROM generate_series(1, 10) g',
        // Monthly by date, next month present.
        'CREATE TABLE ahead (id int, day date) PARTITION BY RANGE (day)',
        monthly('ahead', 'date', -1, 1),
        // List by tenant, then monthly per tenant: the tenant's range table is reported on its own.
        'CREATE TABLE by_tenant (tenant text, ts timestamp) PARTITION BY LIST (tenant)',
        "CREATE TABLE by_tenant_a PARTITION OF by_tenant FOR VALUES IN ('a') PARTITION BY RANGE (ts)",
        monthly('by_tenant_a', 'timestamp', 0, 1),
        "CREATE TABLE by_tenant_b PARTITION OF by_tenant FOR VALUES IN ('b')",
        // Integer key.
        'CREATE TABLE by_id (id bigint) PARTITION BY RANGE (id)',
        'CREATE TABLE by_id_low PARTITION OF by_id FOR VALUES FROM (MINVALUE) TO (0)',
        'CREATE TABLE by_id_high PARTITION OF by_id FOR VALUES FROM (0) TO (1000000)',
        'ANALYZE',
      ]);
    }, 30_000);

    it('reports a missing next month, future coverage and default partition rows', async () => {
      const result = await collectOnce(pg.url('parts'), partitionsCollector);
      const labels = { datname: 'parts', schemaname: 'public', relname: 'stops_now' };
      const nextMonth = await scalar(
        'parts',
        "SELECT extract(epoch FROM date_trunc('month', now()) + interval '1 month')",
      );
      expect(valueOf(result, 'pg_partitions_missing_future', labels)).toBe(1);
      expect(valueOf(result, 'pg_partition_count', labels)).toBe(4);
      expect(valueOf(result, 'pg_partition_default_rows', labels)).toBe(25);
      expect(valueOf(result, 'pg_partition_newest_bound_seconds', labels)).toBe(nextMonth);
      const coverage = valueOf(result, 'pg_partition_future_coverage_seconds', labels) as number;
      expect(Math.abs(coverage - (nextMonth - Date.now() / 1000))).toBeLessThan(60);
      expect(snapshotRows(result, 'partitions').find((r) => r.relname === 'stops_now')).toMatchObject({
        strategy: 'range',
        partition_key: 'RANGE (ts)',
        key_type: 'timestamptz',
        partitions: 4,
        default_partition: 'stops_now_default',
        default_rows: 25,
        missing_next: true,
        newest_bound_time: nextMonth * 1000,
      });
    });

    it('does not when next month is there, for date and per-tenant timestamp keys', async () => {
      const result = await collectOnce(pg.url('parts'), partitionsCollector);
      const ahead = { datname: 'parts', schemaname: 'public', relname: 'ahead' };
      expect(valueOf(result, 'pg_partitions_missing_future', ahead)).toBe(0);
      expect(valueOf(result, 'pg_partition_count', ahead)).toBe(3);
      expect(valueOf(result, 'pg_partition_default_rows', ahead)).toBeUndefined();
      const inTwoMonths = await scalar(
        'parts',
        "SELECT extract(epoch FROM (date_trunc('month', localtimestamp) + interval '2 months')::date)",
      );
      expect(valueOf(result, 'pg_partition_newest_bound_seconds', ahead)).toBe(inTwoMonths);
      expect(valueOf(result, 'pg_partitions_missing_future', { relname: 'by_tenant_a' })).toBe(0);
      expect(valueOf(result, 'pg_partition_count', { relname: 'by_tenant' })).toBe(3);
      expect(valueOf(result, 'pg_partitions_missing_future', { relname: 'by_tenant' })).toBeUndefined();
      const byId = snapshotRows(result, 'partitions').find((r) => r.relname === 'by_id');
      expect(byId).toMatchObject({
        key_type: 'int8',
        oldest_bound: 'MINVALUE',
        newest_bound: '1000000',
        missing_next: null,
      });
      expect(
        snapshotRows(result, 'partitions')
          .map((r) => r.relname)
          .sort(),
      ).toEqual(['ahead', 'by_id', 'by_tenant', 'by_tenant_a', 'stops_now']);
    });

    it('ranks a partitioned table by the sum of its partitions, not its partitions on their own', async () => {
      const partitionsLive = () =>
        scalar(
          'parts',
          "SELECT sum(n_live_tup) FROM pg_stat_user_tables WHERE relname LIKE 'stops\\_now\\_%'",
        );
      const storage = await eventually(
        async () => {
          const rows = snapshotRows(await collectOnce(pg.url('parts'), relationsCollector), 'storage');
          const live = rows.find((r) => r.relname === 'stops_now')?.live_tuples;
          return live !== undefined && live !== 0 && live === (await partitionsLive()) ? rows : undefined;
        },
        15_000,
        "the partitions' live tuples summed",
      );
      expect(storage.find((r) => r.relname === 'stops_now')).toMatchObject({
        kind: 'partitioned_table',
        partitions: 4,
        size_exact: false,
      });
      expect(storage.map((r) => r.relname)).not.toContain('stops_now_default');
    }, 30_000);
  });

  /** A result without the values that move with the clock (future coverage). */
  const timeless = (result: CollectResult) => ({
    samples: result.samples.map((s) =>
      s.metric === 'pg_partition_future_coverage_seconds' ? { ...s, value: 0 } : s,
    ),
    snapshots: result.snapshots?.map((snapshot) => ({
      ...snapshot,
      rows: snapshot.rows.map((row) =>
        typeof row.future_coverage_seconds === 'number' ? { ...row, future_coverage_seconds: 0 } : row,
      ),
    })),
  });

  it('reads the same as a pg_monitor role in a read-only session as it does as a superuser', async () => {
    await pg.createRole('monitor', { password: 'monitor-pw', grants: ['pg_monitor'] });
    const readOnly = (db: string) =>
      `${pg.url(db, 'monitor', 'monitor-pw')}?options=-c%20default_transaction_read_only%3Don`;
    for (const [db, collector] of [
      ['parts', partitionsCollector],
      ['parts', relationsCollector],
      ['unused', unusedIndexesCollector],
    ] as const) {
      const asMonitor = timeless(await collectOnce(readOnly(db), collector));
      const asSuperuser = timeless(await collectOnce(pg.url(db), collector));
      expect(asMonitor.samples.length).toBeGreaterThan(0);
      expect(asMonitor).toEqual(asSuperuser);
    }
  }, 30_000);
});
