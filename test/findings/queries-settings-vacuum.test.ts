import { Client } from 'pg';
import { settingsCollector } from '../../backend/src/collectors/settings';
import { statementsCollector } from '../../backend/src/collectors/statements';
import { vacuumProgressCollector } from '../../backend/src/collectors/vacuum-progress';
import { eventually } from '../support/backend-process';
import { majorsUnderTest, startPostgres, TestPostgres } from '../support/postgres';
import { createMonitorRole, FindingsKit, MONITOR, session, TARGET } from './findings-kit';

/**
 * statement_regression, settings_sanity and vacuum_index_passes, each staged for real and found
 * from what the collectors read as pg_monitor, with its absence next to it: a statement made slow
 * after a baseline of fast calls (and one that stays as it was); a server started with unsafe
 * settings (the harness runs without fsync; enable_seqscan off here), one changed with ALTER SYSTEM
 * and fixed by the finding's own statement, and a value of one role only; a VACUUM whose
 * dead-tuple memory runs out, against one whose memory is enough. Each VACUUM is held at the last
 * page of its table by a cursor pinning it (VACUUM FREEZE waits for that page), so the test sees it
 * running, then ends.
 */
jest.setTimeout(180_000);

describe.each(majorsUnderTest())('findings on statements, settings and vacuums, PostgreSQL %i', (major) => {
  let pg: TestPostgres;
  const sessions: Client[] = [];

  beforeAll(async () => {
    pg = await startPostgres({ major, settings: { enable_seqscan: 'off' } });
    await createMonitorRole(pg);
  });

  afterAll(async () => {
    for (const client of sessions) await client.end().catch(() => undefined);
    await pg?.destroy();
  });

  it('statement_regression: a statement made slow after its fast baseline, not one that stayed the same', async () => {
    await pg.query(
      `CREATE TABLE probe_knob (delay float8 NOT NULL);
       INSERT INTO probe_knob VALUES (0);
       CREATE FUNCTION regress_probe() RETURNS int LANGUAGE plpgsql AS
         $$ BEGIN PERFORM pg_sleep((SELECT delay FROM probe_knob)); RETURN 1; END $$;
       CREATE FUNCTION steady_probe() RETURNS int LANGUAGE plpgsql AS
         $$ BEGIN PERFORM pg_sleep(0.012); RETURN 2; END $$;`,
    );
    const app = await session(pg, sessions, 'probe-app');
    const calls = async (n: number) => {
      for (let i = 0; i < n; i++) {
        await app.query('SELECT regress_probe()');
        await app.query('SELECT steady_probe()');
      }
    };
    const kit = new FindingsKit(pg);
    await calls(120);
    await kit.observe(statementsCollector); // the baseline: what pg_stat_statements counted so far
    await pg.query('UPDATE probe_knob SET delay = 0.03');
    await calls(30);
    await kit.observe(statementsCollector);

    const found = kit.open('statement_regression');
    const regressed = found.find((f) => f.evidence[0]?.query === 'SELECT regress_probe()');
    expect(regressed).toMatchObject({
      severity: 'warning',
      object: { type: 'statement', database: 'postgres' },
      remediation: { statements: [] },
    });
    expect(regressed?.evidence[0]).toMatchObject({
      user: 'postgres',
      toplevel: true,
      window_calls: 30,
      baseline_calls: 120,
    });
    expect(regressed?.evidence[0]?.window_mean_ms as number).toBeGreaterThanOrEqual(30);
    expect(regressed?.evidence[0]?.baseline_mean_ms as number).toBeLessThan(15);
    expect(regressed?.sql.map((s) => s.file)).toEqual([
      major >= 17 ? 'collectors/statements.pg17.sql' : 'collectors/statements.pg14.sql',
    ]);
    expect(found.filter((f) => String(f.evidence[0]?.query).includes('steady_probe'))).toEqual([]);
  });

  it('settings_sanity: unsafe server-wide settings, each with its severity; not a value of one role', async () => {
    await pg.query('ALTER SYSTEM SET track_counts = off');
    await pg.query('SELECT pg_reload_conf()');
    await pg.query(`ALTER ROLE ${MONITOR.user} SET enable_hashjoin = off`);
    const kit = new FindingsKit(pg);
    await kit.observeUntil(
      settingsCollector,
      () => kit.open('settings_sanity').some((f) => f.object.name === 'track_counts'),
      'track_counts off as a finding',
    );
    const bySetting = new Map(kit.open('settings_sanity').map((f) => [f.object.name, f]));
    expect(
      Object.fromEntries(
        ['fsync', 'full_page_writes', 'synchronous_commit', 'enable_seqscan', 'track_counts'].map((n) => [
          n,
          bySetting.get(n)?.severity,
        ]),
      ),
    ).toEqual({
      fsync: 'critical',
      full_page_writes: 'warning',
      synchronous_commit: 'info',
      enable_seqscan: 'warning',
      track_counts: 'warning',
    });
    // Set for the monitoring role only, or off by default: not the server's configuration.
    expect(bySetting.has('enable_hashjoin')).toBe(false);
    expect(bySetting.has('enable_partitionwise_join')).toBe(false);
    expect(bySetting.has('autovacuum')).toBe(false);
    // From the command line: ALTER SYSTEM would not win; the finding says so instead.
    expect(bySetting.get('fsync')?.remediation.statements).toEqual([]);
    expect(bySetting.get('fsync')?.remediation.steps[0]).toMatch(/command line/);
    expect(bySetting.get('fsync')?.evidence[0]).toMatchObject({ name: 'fsync', setting: 'off' });

    const trackCounts = bySetting.get('track_counts');
    expect(trackCounts?.remediation.statements).toEqual([
      "ALTER SYSTEM SET track_counts = 'on';",
      'SELECT pg_reload_conf();',
    ]);
    await kit.remediate(trackCounts, 0);
    await kit.remediate(trackCounts, 1);
    await kit.observeUntil(
      settingsCollector,
      () => kit.resolved('settings_sanity').some((f) => f.object.name === 'track_counts'),
      'track_counts back on',
    );
    await pg.query(`ALTER ROLE ${MONITOR.user} RESET enable_hashjoin`);
  });

  it('settings_sanity with an ignore list: nothing raised on the settings it names, counted as ignored', async () => {
    const kit = new FindingsKit(pg, { settings_sanity: { ignore: ['synchronous_commit', 'enable_*'] } });
    await kit.observe(settingsCollector);
    const raised = kit.open('settings_sanity').map((f) => f.object.name);
    expect(raised).toContain('fsync');
    expect(raised).not.toContain('synchronous_commit');
    expect(raised).not.toContain('enable_seqscan');
    const [status] = kit.engine.checks({ targets: [TARGET], kinds: ['settings_sanity'] });
    expect(status).toMatchObject({ state: 'ok', open: raised.length, ignored: 2 });
  });

  /** A table of 600,000 rows with an index, 90 % of them deleted: 540,000 dead tuples to vacuum. */
  async function deadTable(name: string): Promise<void> {
    await pg.query(
      `CREATE TABLE ${name} (id int NOT NULL) WITH (autovacuum_enabled = false);
       INSERT INTO ${name} SELECT g FROM generate_series(1, 600000) g;
       CREATE INDEX ON ${name} (id);
       DELETE FROM ${name} WHERE id % 10 <> 0;`,
    );
  }

  /**
   * VACUUM (FREEZE) of the table with that much dead-tuple memory, held at its last page by a
   * cursor that pins it (opened after the DELETE, so the dead rows are removable). Resolves once the
   * vacuum waits there; release() lets it finish.
   */
  async function heldVacuum(name: string, memory: string): Promise<{ release: () => Promise<void> }> {
    const pin = await session(pg, sessions, 'vacuum-pin');
    const [{ last }] = (
      await pin.query(
        `SELECT (pg_relation_size('${name}') / current_setting('block_size')::int - 1)::int AS last`,
      )
    ).rows as [{ last: number }];
    await pin.query('BEGIN');
    await pin.query(`DECLARE pinned CURSOR FOR SELECT id FROM ${name} WHERE ctid >= '(${last},1)'::tid`);
    await pin.query('FETCH 1 FROM pinned');
    const vacuum = await session(pg, sessions, 'vacuum-run');
    const [{ pid }] = (await vacuum.query('SELECT pg_backend_pid() AS pid')).rows as [{ pid: number }];
    await vacuum.query(`SET maintenance_work_mem = '${memory}'`);
    const running = vacuum.query(`VACUUM (FREEZE) ${name}`);
    running.catch(() => undefined);
    await eventually(
      async () => {
        const [row] = await pg.query<{ wait_event: string | null }>(
          'SELECT wait_event FROM pg_stat_activity WHERE pid = $1',
          [pid],
        );
        return row?.wait_event === 'BufferPin' ? true : undefined;
      },
      60_000,
      `the VACUUM of ${name} waiting at its pinned last page`,
    );
    return {
      release: async () => {
        await pin.query('COMMIT');
        await running;
      },
    };
  }

  it('vacuum_index_passes: a VACUUM whose dead-tuple memory runs out, not one that has enough', async () => {
    await deadTable('vac_fits');
    await deadTable('vac_passes');
    const kit = new FindingsKit(pg);

    const fits = await heldVacuum('vac_fits', '64MB');
    await kit.observe(vacuumProgressCollector);
    const [progress] = kit.latest.get(TARGET, 'vacuum_progress')?.snapshots[0]?.rows ?? [];
    expect(progress).toMatchObject({ relation: 'public.vac_fits', index_vacuum_count: 0 });
    expect(kit.open('vacuum_index_passes')).toEqual([]);
    await fits.release();

    // The smallest memory each major allows: 1MB before 17, 64kB from 17.
    const tiny = major >= 17 ? '64kB' : '1MB';
    const passes = await heldVacuum('vac_passes', tiny);
    await kit.observe(vacuumProgressCollector);
    const [finding, ...others] = kit.open('vacuum_index_passes');
    expect(others).toEqual([]);
    expect(finding).toMatchObject({
      severity: 'warning',
      object: { type: 'relation', name: 'public.vac_passes', database: 'postgres' },
      remediation: { statements: ["SET maintenance_work_mem = '64MB';"] },
    });
    expect(finding?.evidence[0]).toMatchObject({
      relation: 'public.vac_passes',
      is_autovacuum: false,
      memory_setting: 'maintenance_work_mem',
    });
    // 17+: the TID store's limit in bytes; before: 6-byte TIDs in 1MB less the array's header.
    const memory = finding?.evidence[0]?.dead_tuple_memory_bytes as number;
    if (major >= 17) expect(memory).toBe(64 * 1024);
    else expect([memory > 1024 * 1024 - 64, memory <= 1024 * 1024, memory % 6]).toEqual([true, true, 0]);
    expect(finding?.evidence[0]?.index_vacuum_count as number).toBeGreaterThanOrEqual(1);
    expect(finding?.evidence[0]?.index_passes as number).toBeGreaterThanOrEqual(2);
    expect(finding?.sql.map((s) => s.file)).toEqual([
      major >= 17 ? 'collectors/vacuum-progress.pg17.sql' : 'collectors/vacuum-progress.pg14.sql',
    ]);

    await passes.release();
    await kit.observe(vacuumProgressCollector);
    expect(kit.open('vacuum_index_passes')).toEqual([]);
    expect(kit.resolved('vacuum_index_passes').map((f) => f.object.name)).toEqual(['public.vac_passes']);
  });
});
