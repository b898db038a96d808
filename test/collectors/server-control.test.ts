import { Client } from 'pg';
import { locksCollector } from '../../backend/src/collectors/locks';
import { serverControlCollector } from '../../backend/src/collectors/server-control';
import { eventually } from '../support/backend-process';
import { collectOnce, valueOf } from '../support/collect';
import { majorsUnderTest, startPostgres, TestPostgres } from '../support/postgres';

const MONITOR = { user: 'pgg_monitor', password: 'monitor-pw-control' };

/**
 * server_control and locks as the pg_monitor role: the control file, the WAL directory and the
 * server clock are readable without superuser; a held and an awaited lock show by mode.
 */
describe.each(majorsUnderTest())('server_control and locks on PostgreSQL %i', (major) => {
  let pg: TestPostgres;
  const clients: Client[] = [];
  const monitorUrl = () => pg.url('postgres', MONITOR.user, MONITOR.password);

  beforeAll(async () => {
    pg = await startPostgres({ major });
    await pg.createRole(MONITOR.user, { password: MONITOR.password, grants: ['pg_monitor'] });
    await pg.query('CREATE TABLE t (id int)');
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    await pg?.destroy();
  });

  it('reads the checkpoint age, start time, clock skew and WAL directory', async () => {
    await pg.query('CHECKPOINT');
    const result = await collectOnce(monitorUrl(), serverControlCollector);
    expect(valueOf(result, 'pg_checkpoint_age_seconds')).toBeGreaterThanOrEqual(0);
    expect(valueOf(result, 'pg_checkpoint_age_seconds')).toBeLessThan(60);
    expect(valueOf(result, 'pg_postmaster_start_time_seconds')).toBeLessThanOrEqual(Date.now() / 1000);
    expect(Math.abs(valueOf(result, 'pg_clock_skew_seconds') as number)).toBeLessThan(2);
    expect(valueOf(result, 'pg_wal_directory_files')).toBeGreaterThanOrEqual(1);
    expect(valueOf(result, 'pg_wal_directory_bytes')).toBeGreaterThanOrEqual(16 * 1024 ** 2);
    expect(valueOf(result, 'pg_system_identifier_changes_total')).toBe(0);
  });

  it('counts locks held and awaited by mode', async () => {
    const holder = new Client({ connectionString: pg.superuserUrl });
    const waiter = new Client({ connectionString: pg.superuserUrl });
    for (const c of [holder, waiter]) {
      c.on('error', () => undefined);
      await c.connect();
      clients.push(c);
    }
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE t IN ACCESS EXCLUSIVE MODE');
    void waiter.query('SELECT * FROM t').catch(() => undefined);
    const result = await eventually(
      async () => {
        const r = await collectOnce(monitorUrl(), locksCollector);
        return valueOf(r, 'pg_locks', { mode: 'AccessShareLock', granted: 'false' }) ? r : undefined;
      },
      10_000,
      'the awaited lock',
    );
    expect(
      valueOf(result, 'pg_locks', { mode: 'AccessExclusiveLock', granted: 'true' }),
    ).toBeGreaterThanOrEqual(1);
    await holder.query('COMMIT');
  });
});
