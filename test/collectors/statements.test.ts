import { Client } from 'pg';
import pino from 'pino';
import { Registry } from 'prom-client';
import { collectContext } from '../../backend/src/collectors/context';
import { LatestObservations } from '../../backend/src/collectors/latest-observations';
import { ObservationBus } from '../../backend/src/collectors/observation-bus';
import { statementsCollector } from '../../backend/src/collectors/statements';
import { queryTextCacheOf } from '../../backend/src/collectors/statements/state';
import { CollectResult, CollectorState, SnapshotRow } from '../../backend/src/collectors/types';
import { loadConfig, targetWithDefaults } from '../../backend/src/config/load';
import { inspectServer, ServerInfo } from '../../backend/src/db/server-info';
import { TargetMonitor } from '../../backend/src/db/target-monitor';
import { createCollectorMetrics } from '../../backend/src/scheduler/collector-metrics';
import { LoopRunner } from '../../backend/src/scheduler/loop-runner';
import { collectOnce, valueOf } from '../support/collect';
import { eventually } from '../support/backend-process';
import { majorsUnderTest, NEWEST_MAJOR, startPostgres, TestPostgres } from '../support/postgres';

/** The statement the scenario runs a known number of times (extended protocol: one query id). */
const PROBE = 'SELECT count(*) FROM stmt_probe WHERE id < $1';
const PROBE_CALLS = 25;

const topStatements = (result: CollectResult): SnapshotRow[] =>
  result.snapshots?.find((s) => s.kind === 'top_statements')?.rows ?? [];

describe.each(majorsUnderTest())('statements collector on PostgreSQL %i', (major) => {
  let pg: TestPostgres;
  let probeQueryId: string;

  async function runProbe(times: number): Promise<void> {
    const client = new Client({ connectionString: pg.superuserUrl });
    await client.connect();
    try {
      for (let i = 0; i < times; i++) await client.query(PROBE, [i]);
    } finally {
      await client.end();
    }
  }

  const probeRow = (result: CollectResult) => topStatements(result).find((r) => r.queryid === probeQueryId);

  beforeAll(async () => {
    pg = await startPostgres({ major });
    await pg.query('CREATE TABLE stmt_probe (id int)');
    await pg.query('INSERT INTO stmt_probe SELECT generate_series(1, 1000)');
    await runProbe(PROBE_CALLS);
    const rows = await pg.query(`SELECT queryid::text AS queryid FROM pg_stat_statements WHERE query = $1`, [
      PROBE,
    ]);
    expect(rows).toHaveLength(1);
    probeQueryId = rows[0]?.queryid as string;
  });

  afterAll(async () => {
    await pg?.destroy();
  });

  it('counts every call of a known statement, times it, and keeps to the Top-N', async () => {
    const result = await collectOnce(pg.superuserUrl, statementsCollector, { topN: { statements: 3 } });
    const row = probeRow(result);
    expect(row).toMatchObject({
      datname: 'postgres',
      user: 'postgres',
      toplevel: true,
      calls: PROBE_CALLS,
      query: PROBE,
    });
    expect(row?.mean_time_ms).toBeGreaterThan(0);
    expect(row?.p95_time_ms).toBeGreaterThan(0);
    expect(row?.p95_time_ms).toBeLessThanOrEqual(row?.max_time_ms as number);
    expect(row?.shared_blks_hit).toBeGreaterThan(0);
    // Union of three Top-3 lists.
    expect(topStatements(result).length).toBeLessThanOrEqual(9);

    const labels = { datname: 'postgres', queryid: probeQueryId };
    expect(valueOf(result, 'pg_statement_calls_total', labels)).toBe(PROBE_CALLS);
    expect(valueOf(result, 'pg_statement_rows_total', labels)).toBe(PROBE_CALLS);
    expect(valueOf(result, 'pg_statement_exec_time_seconds_total', labels)).toBeCloseTo(
      (row?.total_time_ms as number) / 1000,
      9,
    );
    expect(valueOf(result, 'pg_statement_mean_time_seconds', labels)).toBeGreaterThan(0);
    // Entries only accumulate here (no eviction): read now, there are at least as many.
    const tracked = await pg.query('SELECT count(*)::int AS n FROM pg_stat_statements');
    expect(valueOf(result, 'pg_statements_tracked')).toBeGreaterThan(3);
    expect(valueOf(result, 'pg_statements_tracked')).toBeLessThanOrEqual(tracked[0]?.n as number);
    expect(valueOf(result, 'pg_statements_dealloc_total')).toBe(0);
    const labelNames = new Set(result.samples.flatMap((s) => Object.keys(s.labels)));
    expect([...labelNames].sort()).toEqual(['datname', 'queryid']);
  });

  it('reads a query text once: the next cycle asks only for ids it has not seen', async () => {
    const state: CollectorState = new Map();
    /** The ids each statements-text fetch asked for, in order. */
    const fetches: string[][] = [];
    const onQuery = (name: string, params: unknown[] | undefined) => {
      if (name === 'statements-text') fetches.push(params?.[0] as string[]);
    };
    const first = await collectOnce(pg.superuserUrl, statementsCollector, {
      state,
      topN: { statements: 500 },
      onQuery,
    });
    const seen = new Set(topStatements(first).map((r) => r.queryid as string));
    expect(seen.has(probeQueryId)).toBe(true);
    expect(fetches).toHaveLength(1);
    expect(fetches[0]).toHaveLength(seen.size);
    expect(queryTextCacheOf(state).get(probeQueryId)).toBe(PROBE);

    await runProbe(3);
    await pg.query('SELECT max(id) FROM stmt_probe WHERE id > $1', [10]); // a statement never seen
    const fresh = await pg.query(
      `SELECT queryid::text AS q FROM pg_stat_statements WHERE query LIKE 'SELECT max(id) FROM stmt_probe%'`,
    );
    const second = await collectOnce(pg.superuserUrl, statementsCollector, {
      state,
      topN: { statements: 500 },
      onQuery,
    });
    expect(fetches).toHaveLength(2);
    expect(fetches[1]).toContain(fresh[0]?.q);
    expect(fetches[1]?.filter((id) => seen.has(id))).toEqual([]);
    expect(probeRow(second)).toMatchObject({ query: PROBE, calls: PROBE_CALLS + 3, interval_calls: 3 });
    expect(probeRow(second)?.interval_time_ms).toBeGreaterThan(0);

    await collectOnce(pg.superuserUrl, statementsCollector, { state, topN: { statements: 500 }, onQuery });
    expect(fetches).toHaveLength(2);
  });

  it('shows no negative delta after pg_stat_statements_reset() of one entry or of all', async () => {
    const state: CollectorState = new Map();
    const before = await collectOnce(pg.superuserUrl, statementsCollector, { state });
    expect(probeRow(before)?.calls).toBeGreaterThan(2);

    await pg.query('SELECT pg_stat_statements_reset(0, 0, $1::bigint)', [probeQueryId]);
    await runProbe(2);
    const afterOne = await collectOnce(pg.superuserUrl, statementsCollector, { state });
    expect(probeRow(afterOne)).toMatchObject({ calls: 2, interval_calls: 2 });

    await pg.query('SELECT pg_stat_statements_reset()');
    await runProbe(1);
    const afterAll = await collectOnce(pg.superuserUrl, statementsCollector, { state });
    expect(probeRow(afterAll)).toMatchObject({ calls: 1, interval_calls: 1 });
    for (const row of [...topStatements(afterOne), ...topStatements(afterAll)]) {
      if (row.interval_calls !== null) expect(row.interval_calls).toBeGreaterThanOrEqual(0);
      if (row.interval_time_ms !== null) expect(row.interval_time_ms).toBeGreaterThanOrEqual(0);
    }
  });

  it('writes no temp file, even with more entries than work_mem holds', async () => {
    // 2,000 distinct entries: 20 tables x 100 select-list lengths (constants would normalise away).
    await pg.query(
      `DO $$ BEGIN FOR t IN 1..20 LOOP EXECUTE format('CREATE TABLE fill_%s (x int)', t); END LOOP; END $$`,
    );
    await pg.query(`DO $$ DECLARE cols text; BEGIN
      FOR t IN 1..20 LOOP
        cols := 'x';
        FOR k IN 1..100 LOOP EXECUTE format('SELECT %s FROM fill_%s', cols, t); cols := cols || ', x + 1'; END LOOP;
      END LOOP; END $$`);
    const server: ServerInfo = await (async () => {
      const other = new Client({ connectionString: pg.superuserUrl });
      await other.connect();
      try {
        return await inspectServer(other);
      } finally {
        await other.end();
      }
    })();

    const client = new Client({ connectionString: pg.superuserUrl, application_name: 'pg-governor' });
    await client.connect();
    try {
      // A small work_mem: pg_stat_statements(false) alone (the control) spills at this size.
      await client.query("SET work_mem = '256kB'");
      const tempFiles = async (): Promise<number> => {
        // PG15+: flush this backend's pending statistics; PG14: let the stats collector catch up.
        if (major >= 15) await client.query('SELECT pg_stat_force_next_flush()');
        else await new Promise((resolve) => setTimeout(resolve, 1200));
        const rows = await client.query('SELECT sum(temp_files)::float8 AS n FROM pg_stat_database');
        return rows.rows[0].n as number;
      };

      const beforeControl = await tempFiles();
      await client.query('SELECT count(*) FROM (SELECT * FROM pg_stat_statements(false)) s');
      await eventually(
        async () => ((await tempFiles()) > beforeControl ? true : undefined),
        10_000,
        'the control to spill',
      );

      const before = await tempFiles();
      const now = Date.now();
      const result = await statementsCollector.collect(
        collectContext({
          client,
          target: 'test',
          server,
          state: new Map(),
          topN: { statements: 50, relations: 50, indexes: 50 },
          queryText: { maxLength: 1024, redact: true },
          now,
          deadline: now + 60_000,
        }),
      );
      expect(topStatements(result).length).toBeGreaterThan(50);
      expect(topStatements(result).every((r) => r.query !== null)).toBe(true);
      expect(await tempFiles()).toBe(before);
      expect((await client.query('SHOW work_mem')).rows[0].work_mem).toBe('256kB');

      // pg_stat_statements itself says so: its own entries for the collector's two statements.
      const own = await pg.query(
        `SELECT calls::int, temp_blks_written::int FROM pg_stat_statements
          WHERE query LIKE '%FROM pg_stat_statements(%' AND query LIKE '%set_config(%'`,
      );
      expect(own).toHaveLength(2);
      expect(own.every((r) => r.calls >= 1 && r.temp_blks_written === 0)).toBe(true);
    } finally {
      await client.end();
    }
  });
});

describe(`statements collector without pg_stat_statements loaded (PostgreSQL ${NEWEST_MAJOR})`, () => {
  let pg: TestPostgres;

  beforeAll(async () => {
    pg = await startPostgres({ settings: { shared_preload_libraries: '' } });
    await pg.createRole('watcher', { password: 'watcher-pw', grants: ['pg_monitor'] });
  });

  afterAll(async () => {
    await pg?.destroy();
  });

  it('is skipped, not failed, by its loop', async () => {
    const log = pino({ level: 'silent' });
    const { config } = loadConfig({ env: {} });
    const target = targetWithDefaults(config, {
      name: 'no-pgss',
      dsn: pg.url('postgres', 'watcher', 'watcher-pw'),
    });
    const monitor = new TargetMonitor(target, { probeIntervalMs: 60_000, initialMs: 100, maxMs: 1_000 }, log);
    try {
      await monitor.start();
      expect(monitor.status()).toMatchObject({
        state: 'up',
        server: { pgStatStatements: { usable: false } },
      });
      expect(statementsCollector.enabled?.(monitor.status().server as ServerInfo)).toBe(false);

      const latest = new LatestObservations();
      const runner = new LoopRunner('workload', config.loops.workload, [statementsCollector], monitor, {
        bus: new ObservationBus(log),
        latest,
        metrics: createCollectorMetrics(new Registry()),
        log,
        config,
      });
      await runner.tick();
      expect(runner.status().collectors).toEqual([{ name: 'statements', state: 'skipped' }]);
      expect(runner.status().consecutiveFailures).toBe(0);
    } finally {
      await monitor.stop();
    }
  });
});
