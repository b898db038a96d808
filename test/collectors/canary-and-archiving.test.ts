import { archiverCollector } from '../../backend/src/collectors/archiver';
import { canaryCollector } from '../../backend/src/collectors/canary';
import { CollectResult } from '../../backend/src/collectors/types';
import { eventually } from '../support/backend-process';
import { collectOnce, valueOf } from '../support/collect';
import { majorsUnderTest, startPostgres, TestPostgres } from '../support/postgres';

const MONITOR = { user: 'pgg_monitor', password: 'monitor-pw-5b2e' };
const PLAIN = { user: 'pgg_plain', password: 'plain-pw-91ac' };
/** Relative to the data folder (the archiver runs there, as the server's user): removed with it. */
const WORKING_COMMAND = 'mkdir -p archive_test && cp %p archive_test/%f';

/**
 * What a client feels (the hot loop's canary) and WAL archiving health (the workload loop's
 * archiver) on real servers: one that archives with an archive_command failing at first ('false')
 * and then working (a copy into its data folder), and one that does not archive. The collectors
 * run as the pg_monitor role the product asks for, and as a role without it (backlog unknown).
 */
describe.each(majorsUnderTest())('canary and WAL archiving on PostgreSQL %i', (major) => {
  let archiving: TestPostgres;
  let plain: TestPostgres;
  const monitorUrl = (pg: TestPostgres) => pg.url('postgres', MONITOR.user, MONITOR.password);

  /** Writes a little and finishes the WAL segment, so that it waits for (or goes to) the archive. */
  const switchWal = () => archiving.query('INSERT INTO wal_fill VALUES (1); SELECT pg_switch_wal()');

  /** .ready files as the superuser sees them in pg_wal/archive_status. */
  async function readyFiles(): Promise<number> {
    const [row] = await archiving.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_ls_dir('pg_wal/archive_status') f WHERE f LIKE '%.ready'",
    );
    return row?.n ?? -1;
  }

  async function setArchiveCommand(command: string): Promise<void> {
    await archiving.query(`ALTER SYSTEM SET archive_command = '${command}'`);
    await archiving.query('SELECT pg_reload_conf()');
  }

  /** WAL segments the working archive_command copied. */
  async function copiedFiles(): Promise<number> {
    const [row] = await archiving.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_ls_dir('archive_test', true, false) f WHERE f ~ '^[0-9A-F]{24}$'",
    );
    return row?.n ?? -1;
  }

  const archiverAs = async (url: string, until: (result: CollectResult) => boolean, what: string) =>
    eventually(
      async () => {
        const result = await collectOnce(url, archiverCollector);
        return until(result) ? result : undefined;
      },
      20_000,
      what,
    );

  beforeAll(async () => {
    [archiving, plain] = await Promise.all([
      startPostgres({ major, settings: { archive_mode: 'on' } }),
      startPostgres({ major }),
    ]);
    for (const pg of [archiving, plain])
      await pg.createRole(MONITOR.user, { password: MONITOR.password, grants: ['pg_monitor'] });
    await archiving.createRole(PLAIN.user, { password: PLAIN.password });
    await archiving.query('CREATE TABLE wal_fill (x int)');
    // archive_command through ALTER SYSTEM, not the command line (which would win over it later).
    await setArchiveCommand('false');
  });

  afterAll(async () => {
    await Promise.all([archiving?.destroy(), plain?.destroy()]);
  });

  it('canary: plausible round trips, and the planning and execution time of its plan', async () => {
    const result = await collectOnce(monitorUrl(plain), canaryCollector);
    expect(result.error).toBeUndefined();
    const seconds = (metric: string) => valueOf(result, metric) as number;
    for (const metric of ['pg_canary_roundtrip_seconds', 'pg_canary_explain_seconds']) {
      expect(seconds(metric)).toBeGreaterThan(0);
      expect(seconds(metric)).toBeLessThan(1);
    }
    expect(seconds('pg_canary_planning_seconds')).toBeGreaterThan(0);
    expect(seconds('pg_canary_execution_seconds')).toBeGreaterThan(0);
    // The server's own timings happen within the round trip the backend measured around them.
    expect(seconds('pg_canary_explain_seconds')).toBeGreaterThan(
      seconds('pg_canary_planning_seconds') + seconds('pg_canary_execution_seconds'),
    );
    expect(seconds('pg_canary_shared_blocks_read')).toBeGreaterThanOrEqual(0);
  });

  it('archiver: a server that does not archive reports so, with nothing failing or waiting', async () => {
    const result = await collectOnce(monitorUrl(plain), archiverCollector);
    expect(valueOf(result, 'pg_archiver_enabled')).toBe(0);
    expect(valueOf(result, 'pg_archiver_failing')).toBe(0);
    expect(valueOf(result, 'pg_archiver_archived_total')).toBe(0);
    expect(valueOf(result, 'pg_archiver_ready_files')).toBe(0);
    expect(valueOf(result, 'pg_archiver_oldest_ready_age_seconds')).toBe(0);
    expect(valueOf(result, 'pg_archiver_last_archived_age_seconds')).toBeUndefined();
  });

  it('archiver: a failing archive_command shows as failures, failing, and a backlog of exactly the .ready files', async () => {
    for (let i = 0; i < 3; i++) await switchWal();
    const result = await archiverAs(
      monitorUrl(archiving),
      (r) => (valueOf(r, 'pg_archiver_failed_total') ?? 0) > 0,
      'failed archive attempts in pg_stat_archiver',
    );
    expect(valueOf(result, 'pg_archiver_enabled')).toBe(1);
    expect(valueOf(result, 'pg_archiver_failing')).toBe(1);
    expect(valueOf(result, 'pg_archiver_archived_total')).toBe(0);
    expect(valueOf(result, 'pg_archiver_last_archived_age_seconds')).toBeUndefined();
    expect(valueOf(result, 'pg_archiver_last_failed_age_seconds')).toBeGreaterThanOrEqual(0);
    expect(valueOf(result, 'pg_archiver_last_failed_age_seconds')).toBeLessThan(120);
    // Nothing leaves pg_wal/archive_status while every attempt fails: the counts cannot drift apart.
    const again = await collectOnce(monitorUrl(archiving), archiverCollector);
    expect(valueOf(again, 'pg_archiver_ready_files')).toBe(await readyFiles());
    expect(valueOf(again, 'pg_archiver_ready_files')).toBeGreaterThanOrEqual(3);
    expect(valueOf(again, 'pg_archiver_oldest_ready_age_seconds')).toBeGreaterThanOrEqual(0);
  });

  it('archiver: a role without pg_monitor gets the backlog as unknown, not as a failure', async () => {
    const result = await collectOnce(
      archiving.url('postgres', PLAIN.user, PLAIN.password),
      archiverCollector,
    );
    expect(result.error).toBeUndefined();
    expect(valueOf(result, 'pg_archiver_ready_files')).toBeUndefined();
    expect(valueOf(result, 'pg_archiver_oldest_ready_age_seconds')).toBeUndefined();
    expect(valueOf(result, 'pg_archiver_failed_total')).toBeGreaterThan(0);
    // The timestamps alone still say the last attempt failed.
    expect(valueOf(result, 'pg_archiver_failing')).toBe(1);
  });

  it('archiver: once archive_command works, the backlog drains and the last success is newer than the failure', async () => {
    await setArchiveCommand(WORKING_COMMAND);
    await switchWal();
    // Every file it copied is counted (PostgreSQL 14's statistics collector lags a little).
    const result = await eventually(
      async () => {
        const r = await collectOnce(monitorUrl(archiving), archiverCollector);
        const caughtUp =
          valueOf(r, 'pg_archiver_ready_files') === 0 && valueOf(r, 'pg_archiver_failing') === 0;
        return caughtUp && valueOf(r, 'pg_archiver_archived_total') === (await copiedFiles()) ? r : undefined;
      },
      20_000,
      'the archiver to catch up',
    );
    expect(valueOf(result, 'pg_archiver_archived_total')).toBeGreaterThanOrEqual(4);
    expect(valueOf(result, 'pg_archiver_oldest_ready_age_seconds')).toBe(0);
    const archivedAge = valueOf(result, 'pg_archiver_last_archived_age_seconds') as number;
    expect(archivedAge).toBeGreaterThanOrEqual(0);
    expect(archivedAge).toBeLessThanOrEqual(valueOf(result, 'pg_archiver_last_failed_age_seconds') as number);
  });
});
