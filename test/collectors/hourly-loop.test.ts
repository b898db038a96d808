import { Client } from 'pg';
import { settingsCollector } from '../../backend/src/collectors/settings';
import { statisticsHealthCollector } from '../../backend/src/collectors/statistics-health';
import { wraparoundCollector } from '../../backend/src/collectors/wraparound';
import { CollectorState } from '../../backend/src/collectors/types';
import { eventually } from '../support/backend-process';
import { collectOnce, samplesOf, valueOf } from '../support/collect';
import { majorsUnderTest, startPostgres, TestPostgres } from '../support/postgres';

/**
 * The hourly loop's collectors on a server with autovacuum off, so that nothing but the test
 * changes ages, statistics or bloat: tables of known age, known modification counts and known
 * dead space; settings changed between two cycles.
 */
describe.each(majorsUnderTest())('hourly collectors on PostgreSQL %i', (major) => {
  let pg: TestPostgres;

  beforeAll(async () => {
    pg = await startPostgres({ major, settings: { autovacuum: 'off' } });
    // Wraparound: a table, then 300 transactions (a procedure-style DO block commits each one).
    await pg.query('CREATE TABLE aged (id int)');
    await pg.query('DO $$ BEGIN FOR i IN 1..300 LOOP PERFORM txid_current(); COMMIT; END LOOP; END $$');

    // Statistics: one table per case, 5000 rows each.
    const fill = (table: string, rows = 5000) =>
      pg.query(`INSERT INTO ${table} SELECT g, md5(g::text) FROM generate_series(1, ${rows}) g`);
    for (const table of ['fresh', 'stale_after_updates', 'never_analyzed', 'small_churn', 'bloated']) {
      await pg.query(`CREATE TABLE ${table} (id int, payload text)`);
    }
    await fill('fresh');
    await fill('stale_after_updates');
    await fill('never_analyzed');
    await fill('small_churn', 200);
    await fill('bloated', 10_000);
    await pg.query('ANALYZE aged, fresh, stale_after_updates, small_churn');
    // Every row modified: 5000 modifications since ANALYZE, 100 % of reltuples.
    await pg.query('UPDATE stale_after_updates SET payload = payload');
    // 400 modifications, 200 % of reltuples but fewer than the 1000 that matter.
    await pg.query('UPDATE small_churn SET payload = payload');
    await pg.query('UPDATE small_churn SET payload = payload');
    // Two full updates without vacuum: two thirds of the pages hold dead rows; ANALYZE records the pages.
    await pg.query('UPDATE bloated SET payload = payload');
    await pg.query('UPDATE bloated SET payload = payload');
    await pg.query('ANALYZE bloated');
    // VACUUM records pages and rows but no column statistics: no bloat estimate, still never analyzed.
    await pg.query('VACUUM never_analyzed');
  });

  afterAll(async () => {
    await pg?.destroy();
  });

  describe('wraparound', () => {
    it('exports exactly the ages and ratios SQL computes, per database and for the oldest table', async () => {
      const sql = async () =>
        pg.query<{ datname: string; xid: number; mxid: number }>(
          'SELECT datname, age(datfrozenxid)::float8 AS xid, mxid_age(datminmxid)::float8 AS mxid FROM pg_database ORDER BY datname',
        );
      const before = await sql();
      const result = await collectOnce(pg.superuserUrl, wraparoundCollector, { topN: { relations: 1000 } });
      // Nothing consumed an XID in between (autovacuum off, the collector only reads).
      expect(await sql()).toEqual(before);

      expect(before.map((d) => d.datname)).toEqual(['postgres', 'template0', 'template1']);
      for (const d of before) {
        expect(valueOf(result, 'pg_database_xid_age', { datname: d.datname })).toBe(d.xid);
        expect(valueOf(result, 'pg_database_mxid_age', { datname: d.datname })).toBe(d.mxid);
        expect(valueOf(result, 'pg_database_xid_freeze_max_age_ratio', { datname: d.datname })).toBeCloseTo(
          d.xid / 200_000_000,
          15,
        );
        expect(valueOf(result, 'pg_database_xid_wraparound_ratio', { datname: d.datname })).toBeCloseTo(
          d.xid / 2 ** 31,
          15,
        );
        expect(valueOf(result, 'pg_database_mxid_wraparound_ratio', { datname: d.datname })).toBeCloseTo(
          d.mxid / 2 ** 31,
          15,
        );
      }
      expect(valueOf(result, 'pg_database_xid_age', { datname: 'postgres' })).toBeGreaterThan(300);

      const [oldest] = await pg.query<{ age: number }>(
        `SELECT max(greatest(age(c.relfrozenxid), coalesce(age(t.relfrozenxid), 0)))::float8 AS age
           FROM pg_class c LEFT JOIN pg_class t ON t.oid = c.reltoastrelid WHERE c.relkind IN ('r', 'm')`,
      );
      expect(valueOf(result, 'pg_table_xid_age_max', { datname: 'postgres' })).toBe(oldest?.age);

      const [aged] = await pg.query<{ age: number; mxid: number }>(
        "SELECT age(relfrozenxid)::float8 AS age, mxid_age(relminmxid)::float8 AS mxid FROM pg_class WHERE relname = 'aged'",
      );
      expect(aged?.age).toBeGreaterThanOrEqual(300);
      const rows = result.snapshots?.find((s) => s.kind === 'wraparound')?.rows ?? [];
      expect(rows.filter((r) => r.object === 'database')).toHaveLength(3);
      expect(rows.find((r) => r.object === 'table' && r.relname === 'aged')).toMatchObject({
        datname: 'postgres',
        schemaname: 'public',
        xid_age: aged?.age,
        table_xid_age: aged?.age,
        toast_xid_age: null,
        mxid_age: aged?.mxid,
        is_temporary: false,
      });
      // Oldest first.
      const ages = rows.filter((r) => r.object === 'table').map((r) => r.xid_age as number);
      expect(ages).toEqual([...ages].sort((a, b) => b - a));
    });

    it('caps the tables at Top-N', async () => {
      const result = await collectOnce(pg.superuserUrl, wraparoundCollector, { topN: { relations: 5 } });
      expect(result.snapshots?.[0]?.rows.filter((r) => r.object === 'table')).toHaveLength(5);
    });

    it('ranks a table by its TOAST table when that is the older, with the ages of the exact ranking', async () => {
      await pg.query('CREATE DATABASE toasty');
      const client = new Client({ connectionString: pg.url('toasty') });
      await client.connect();
      const exact = async (limit: number) =>
        (
          await client.query<{ age: number }>(
            `SELECT greatest(age(c.relfrozenxid), coalesce(age(t.relfrozenxid), 0))::float8 AS age
               FROM pg_class c LEFT JOIN pg_class t ON t.oid = c.reltoastrelid
              WHERE c.relkind IN ('r', 'm') ORDER BY 1 DESC LIMIT ${limit}`,
          )
        ).rows.map((r) => r.age);
      try {
        await client.query('CREATE TABLE toasted (id int, doc text)');
        await client.query(
          'DO $$ BEGIN FOR i IN 1..50 LOOP PERFORM txid_current(); COMMIT; END LOOP; END $$',
        );
        // Every table's heap frozen now, every TOAST table left as old as it was.
        await client.query('VACUUM (FREEZE, PROCESS_TOAST FALSE)');
        const [toasted] = (
          await client.query<{ heap: number; toast: number }>(
            `SELECT age(c.relfrozenxid)::float8 AS heap, age(t.relfrozenxid)::float8 AS toast
               FROM pg_class c JOIN pg_class t ON t.oid = c.reltoastrelid WHERE c.relname = 'toasted'`,
          )
        ).rows;
        expect(toasted?.toast).toBeGreaterThan((toasted?.heap ?? 0) + 49);

        const all = await collectOnce(pg.url('toasty'), wraparoundCollector, { topN: { relations: 1000 } });
        const rows = all.snapshots?.find((s) => s.kind === 'wraparound')?.rows ?? [];
        expect(rows.find((r) => r.object === 'table' && r.relname === 'toasted')).toMatchObject({
          xid_age: toasted?.toast,
          table_xid_age: toasted?.heap,
          toast_xid_age: toasted?.toast,
        });
        // With a cap below the number of tables, the ages kept are the oldest ones, TOAST included.
        for (const limit of [3, 10]) {
          const capped = await collectOnce(pg.url('toasty'), wraparoundCollector, {
            topN: { relations: limit },
          });
          const ages = (capped.snapshots?.find((s) => s.kind === 'wraparound')?.rows ?? [])
            .filter((r) => r.object === 'table')
            .map((r) => r.xid_age);
          expect(ages).toEqual(await exact(limit));
        }
      } finally {
        await client.end();
      }
    });
  });

  describe('statistics health', () => {
    it('counts tables modified well beyond their statistics, or never analyzed with rows', async () => {
      const result = await eventually(
        async () => {
          const r = await collectOnce(pg.superuserUrl, statisticsHealthCollector);
          return valueOf(r, 'pg_tables_stale_statistics', { datname: 'postgres' }) === 2 ? r : undefined;
        },
        15_000,
        'two stale tables',
      );
      const rows = result.snapshots?.find((s) => s.kind === 'stale_statistics')?.rows ?? [];
      // Never analyzed first, then by modifications.
      expect(rows.map((r) => [r.relname, r.never_analyzed])).toEqual([
        ['never_analyzed', true],
        ['stale_after_updates', false],
      ]);
      expect(rows[1]).toMatchObject({ reltuples: 5000, n_mod_since_analyze: 5000, modified_ratio: 1 });
      expect(rows[0]).toMatchObject({ reltuples: 5000, n_live_tup: 5000, last_analyzed: null });
    });

    it('estimates the bloat of a table with two thirds dead rows, and none for a fresh one', async () => {
      const result = await collectOnce(pg.superuserUrl, statisticsHealthCollector);
      const labels = (relname: string) => ({ datname: 'postgres', schemaname: 'public', relname });
      const ratio = valueOf(result, 'pg_table_bloat_ratio', labels('bloated')) ?? -1;
      expect(ratio).toBeGreaterThan(0.55);
      expect(ratio).toBeLessThan(0.75);
      const [size] = await pg.query<{ bytes: number }>(
        "SELECT (relpages::bigint * current_setting('block_size')::int)::float8 AS bytes FROM pg_class WHERE relname = 'bloated'",
      );
      expect(valueOf(result, 'pg_table_bloat_bytes', labels('bloated'))).toBeCloseTo(
        ratio * (size?.bytes ?? 0),
        0,
      );
      expect(valueOf(result, 'pg_table_bloat_ratio', labels('fresh'))).toBeLessThan(0.15);
      // Vacuumed, never analyzed: no column statistics, no estimate rather than a wrong one.
      expect(valueOf(result, 'pg_table_bloat_ratio', labels('never_analyzed'))).toBeUndefined();
      const bloatRows = result.snapshots?.find((s) => s.kind === 'table_bloat')?.rows ?? [];
      expect(bloatRows.find((r) => r.relname === 'never_analyzed')).toMatchObject({
        estimate_applicable: false,
        bloat_bytes: null,
      });
      expect(bloatRows[0]).toMatchObject({ relname: 'bloated', estimate_applicable: true });
    });

    it('keeps only the Top-N largest tables in the bloat estimate', async () => {
      const result = await collectOnce(pg.superuserUrl, statisticsHealthCollector, {
        topN: { relations: 1 },
      });
      expect(samplesOf(result, 'pg_table_bloat_bytes').map((s) => s.labels.relname)).toEqual(['bloated']);
      // The stale count covers every table; the rows are capped.
      expect(valueOf(result, 'pg_tables_stale_statistics', { datname: 'postgres' })).toBe(2);
      expect(result.snapshots?.find((s) => s.kind === 'stale_statistics')?.rows).toHaveLength(1);
    });
  });

  describe('settings', () => {
    const reloaded = (name: string, check: (row: { setting: string; pending_restart: boolean }) => boolean) =>
      eventually(
        async () => {
          const [row] = await pg.query<{ setting: string; pending_restart: boolean }>(
            'SELECT setting, pending_restart FROM pg_settings WHERE name = $1',
            [name],
          );
          return row && check(row) ? true : undefined;
        },
        10_000,
        `${name} reloaded`,
      );

    it('sees a reloaded change between two cycles, then a setting waiting for a restart', async () => {
      const state: CollectorState = new Map();
      const first = await collectOnce(pg.superuserUrl, settingsCollector, { state });
      expect(valueOf(first, 'pg_settings_changed_total')).toBe(0);
      expect(valueOf(first, 'pg_settings_pending_restart')).toBe(0);
      expect(valueOf(first, 'pg_setting', { name: 'work_mem' })).toBe(4 * 1024 * 1024);
      expect(valueOf(first, 'pg_setting', { name: 'shared_buffers' })).toBe(128 * 1024 * 1024);
      expect(valueOf(first, 'pg_setting', { name: 'max_connections' })).toBe(50);
      const settingsRows = first.snapshots?.find((s) => s.kind === 'settings')?.rows ?? [];
      const [count] = await pg.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_settings');
      expect(settingsRows).toHaveLength(count?.n ?? -1);
      expect(settingsRows.find((r) => r.name === 'max_connections')).toMatchObject({
        setting: '50',
        source: 'command line',
        context: 'postmaster',
      });

      await pg.query("ALTER SYSTEM SET work_mem = '8MB'");
      await pg.query('SELECT pg_reload_conf()');
      await reloaded('work_mem', (r) => r.setting === '8192');
      const second = await collectOnce(pg.superuserUrl, settingsCollector, { state });
      expect(valueOf(second, 'pg_settings_changed_total')).toBe(1);
      expect(valueOf(second, 'pg_setting', { name: 'work_mem' })).toBe(8 * 1024 * 1024);
      // After a reload PostgreSQL flags max_connections (50 on the command line, 100 in
      // postgresql.conf) as pending a restart, though the command line wins then too: not counted.
      const [maxConnections] = await pg.query<{ pending_restart: boolean }>(
        "SELECT pending_restart FROM pg_settings WHERE name = 'max_connections'",
      );
      expect(maxConnections?.pending_restart).toBe(true);
      expect(valueOf(second, 'pg_settings_pending_restart')).toBe(0);
      const drift = second.snapshots?.find((s) => s.kind === 'settings_drift')?.rows ?? [];
      expect(drift).toEqual([
        {
          name: 'work_mem',
          change: 'changed',
          old: '4096',
          new: '8192',
          unit: 'kB',
          source: 'configuration file',
          detected_at: expect.any(Number),
        },
      ]);
      // The change is also an event (an annotation), and only the change.
      expect(second.events?.map((e) => e.title)).toEqual([
        'PostgreSQL setting work_mem changed: 4096 kB -> 8192 kB',
      ]);

      await pg.query("ALTER SYSTEM SET shared_buffers = '256MB'");
      await pg.query('SELECT pg_reload_conf()');
      await reloaded('shared_buffers', (r) => r.pending_restart);
      const third = await collectOnce(pg.superuserUrl, settingsCollector, { state });
      expect(valueOf(third, 'pg_settings_pending_restart')).toBe(1);
      // The running value did not change: no new change counted, no event.
      expect(valueOf(third, 'pg_settings_changed_total')).toBe(1);
      expect(third.events).toEqual([]);
      expect(valueOf(third, 'pg_setting', { name: 'shared_buffers' })).toBe(128 * 1024 * 1024);
      const pending = third.snapshots?.find((s) => s.kind === 'settings_drift')?.rows ?? [];
      expect(pending[0]).toMatchObject({
        name: 'shared_buffers',
        change: 'pending_restart',
        old: '16384',
        new: '256MB',
        unit: '8kB',
      });
      expect(pending[1]).toMatchObject({ name: 'work_mem', change: 'changed' });
    });

    it('never labels a metric with a setting value', async () => {
      const result = await collectOnce(pg.superuserUrl, settingsCollector);
      const labelNames = new Set(result.samples.flatMap((s) => Object.keys(s.labels)));
      expect([...labelNames]).toEqual(['name']);
      const [names] = await pg.query<{ names: string[] }>('SELECT array_agg(name) AS names FROM pg_settings');
      for (const s of samplesOf(result, 'pg_setting')) expect(names?.names).toContain(s.labels.name);
    });
  });
});
