import { Client } from 'pg';
import { databaseStatsCollector } from '../../backend/src/collectors/database-stats';
import { tempPulseCollector } from '../../backend/src/collectors/temp-pulse';
import { CollectorState, SnapshotRow } from '../../backend/src/collectors/types';
import { vacuumProgressCollector } from '../../backend/src/collectors/vacuum-progress';
import { collectOnce, valueOf } from '../support/collect';
import { eventually } from '../support/backend-process';
import { majorsUnderTest, startPostgres, TestPostgres } from '../support/postgres';

/**
 * The hot loop's temp_pulse and vacuum_progress collectors on a real server: a sort spilling to
 * temporary files between two cycles, and slow manual vacuums (cost delay) caught while running.
 * Autovacuum is off so that the only vacuums are the test's own.
 */
describe.each(majorsUnderTest())('hot loop extras on PostgreSQL %i', (major) => {
  let pg: TestPostgres;
  const clients: Client[] = [];

  async function session(database = 'postgres'): Promise<Client> {
    const client = new Client({ connectionString: pg.url(database) });
    client.on('error', () => undefined);
    await client.connect();
    clients.push(client);
    return client;
  }

  beforeAll(async () => {
    pg = await startPostgres({ major, settings: { autovacuum: 'off', autovacuum_max_workers: 4 } });
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    await pg?.destroy();
  });

  it('temp_pulse: a sort spilling to disk raises the temp counters and the bytes since the previous cycle', async () => {
    const state: CollectorState = new Map();
    const first = await collectOnce(pg.superuserUrl, tempPulseCollector, { state });
    const perDatabase = await collectOnce(pg.superuserUrl, databaseStatsCollector);
    const spill = await session();
    await spill.query("SET work_mem = '64kB'");
    await spill.query(
      'SELECT count(*) FROM (SELECT g FROM generate_series(1, 200000) g ORDER BY g DESC OFFSET 0) sorted',
    );
    await spill.end();

    const bytesBefore = valueOf(first, 'pg_temp_bytes_total') as number;
    const second = await eventually(
      async () => {
        const result = await collectOnce(pg.superuserUrl, tempPulseCollector, { state: new Map(state) });
        return (valueOf(result, 'pg_temp_bytes_total') as number) > bytesBefore ? result : undefined;
      },
      15_000,
      'the spill in the temp counters',
    );

    const written = (valueOf(second, 'pg_temp_bytes_total') as number) - bytesBefore;
    // 200k integers sorted on disk: well over a megabyte.
    expect(written).toBeGreaterThan(1_000_000);
    expect(valueOf(second, 'pg_temp_files_total')).toBeGreaterThan(
      valueOf(first, 'pg_temp_files_total') as number,
    );
    expect(valueOf(second, 'pg_temp_bytes_since_previous_cycle')).toBe(written);
    expect(valueOf(second, 'pg_temp_bytes_per_second')).toBeGreaterThan(0);
    const [sum] = await pg.query<{ bytes: string }>(
      'SELECT sum(temp_bytes)::text AS bytes FROM pg_stat_database',
    );
    expect(valueOf(second, 'pg_temp_bytes_total')).toBe(Number(sum?.bytes));

    // The per-database counter of the workload loop sees the same spill, in database postgres.
    const after = await collectOnce(pg.superuserUrl, databaseStatsCollector);
    const labels = { datname: 'postgres' };
    expect(
      (valueOf(after, 'pg_database_temp_bytes_total', labels) as number) -
        (valueOf(perDatabase, 'pg_database_temp_bytes_total', labels) as number),
    ).toBe(written);
  });

  describe('vacuum_progress', () => {
    const vacuums: Promise<unknown>[] = [];
    let localPid: number;
    let otherPid: number;

    /** A VACUUM slowed to ~100 ms a page (cost limit 1, delay 100 ms) so that it is caught running. */
    async function slowVacuum(database: string): Promise<number> {
      const client = await session(database);
      await client.query('CREATE TABLE vac_big (id int, pad text)');
      await client.query("INSERT INTO vac_big SELECT g, repeat('x', 200) FROM generate_series(1, 20000) g");
      await client.query('DELETE FROM vac_big WHERE id % 2 = 0');
      await client.query("SET vacuum_cost_delay = '100ms'");
      await client.query('SET vacuum_cost_limit = 1');
      const [row] = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
      vacuums.push(client.query('VACUUM vac_big').catch((error: Error) => error));
      return row?.pid as number;
    }

    beforeAll(async () => {
      await pg.query('CREATE DATABASE other');
      localPid = await slowVacuum('postgres');
      otherPid = await slowVacuum('other');
    });

    afterAll(async () => {
      await pg.query('SELECT pg_cancel_backend(pid) FROM unnest($1::int[]) pid', [[localPid, otherPid]]);
      const outcomes = await Promise.all(vacuums);
      // Cancelled, not finished: the vacuums ran for the whole test.
      for (const outcome of outcomes) expect(String(outcome)).toMatch(/canceling statement/);
    });

    it('shows each running vacuum with its phase, progress and duration, and counts them by phase', async () => {
      const result = await eventually(
        async () => {
          const r = await collectOnce(pg.superuserUrl, vacuumProgressCollector);
          const rows = r.snapshots?.find((s) => s.kind === 'vacuum_progress')?.rows ?? [];
          const scanning = rows.filter(
            (row) => row.phase === 'scanning heap' && (row.heap_blks_scanned as number) > 0,
          );
          return scanning.length === 2 ? r : undefined;
        },
        20_000,
        'both vacuums scanning the heap',
      );

      const rows = result.snapshots?.find((s) => s.kind === 'vacuum_progress')?.rows ?? [];
      const local = rows.find((row) => row.pid === localPid) as SnapshotRow;
      const [pages] = await pg.query<{ pages: number }>(
        "SELECT (pg_relation_size('vac_big') / 8192)::int AS pages",
      );
      expect(local).toMatchObject({
        datname: 'postgres',
        relation: 'public.vac_big',
        phase: 'scanning heap',
        is_autovacuum: false,
        is_wraparound: false,
        heap_blks_total: pages?.pages,
      });
      expect(local.scanned_percent).toBeGreaterThan(0);
      expect(local.scanned_percent).toBeLessThan(100);
      expect(local.duration_seconds).toBeGreaterThan(0);
      expect(local.dead_tuples).toBeGreaterThanOrEqual(0);
      if (major >= 17) expect(local.max_dead_tuple_bytes).toBeGreaterThan(0);
      else expect(local.max_dead_tuples).toBeGreaterThan(0);

      // Another database: its pg_class is not ours, so no name is made up from the oid.
      const other = rows.find((row) => row.pid === otherPid);
      expect(other).toMatchObject({ datname: 'other', relation: null, is_autovacuum: false });
      expect(other?.relid).toEqual(expect.any(Number));

      expect(valueOf(result, 'pg_vacuum_running', { phase: 'scanning heap' })).toBe(2);
      expect(valueOf(result, 'pg_vacuum_running', { phase: 'vacuuming indexes' })).toBe(0);
      expect(valueOf(result, 'pg_autovacuum_workers_running')).toBe(0);
      expect(valueOf(result, 'pg_autovacuum_wraparound_running')).toBe(0);
      expect(valueOf(result, 'pg_autovacuum_max_workers')).toBe(4);
    });

    it("sees the same as a pg_monitor role (other roles' vacuums, durations included)", async () => {
      await pg.createRole('watcher', { password: 'watcher-pw', grants: ['pg_monitor'] });
      const result = await collectOnce(pg.url('postgres', 'watcher', 'watcher-pw'), vacuumProgressCollector);
      const rows = result.snapshots?.find((s) => s.kind === 'vacuum_progress')?.rows ?? [];
      expect(rows).toHaveLength(2);
      const local = rows.find((row) => row.pid === localPid);
      expect(local).toMatchObject({ relation: 'public.vac_big', is_autovacuum: false });
      expect(local?.duration_seconds).toBeGreaterThan(0);
    });
  });
});
