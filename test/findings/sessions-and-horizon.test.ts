import { Client } from 'pg';
import { activityCollector } from '../../backend/src/collectors/activity';
import { checkpointsCollector } from '../../backend/src/collectors/checkpoints';
import { databaseStatsCollector } from '../../backend/src/collectors/database-stats';
import { replicationCollector } from '../../backend/src/collectors/replication';
import { settingsCollector } from '../../backend/src/collectors/settings';
import { wraparoundCollector } from '../../backend/src/collectors/wraparound';
import { xminHorizonCollector } from '../../backend/src/collectors/xmin-horizon';
import { eventually } from '../support/backend-process';
import { majorsUnderTest, startPostgres, TestPostgres } from '../support/postgres';
import { burnXids, createMonitorRole, FindingsKit, session } from './findings-kit';

/**
 * The findings of sessions, the transaction horizon, replication slots, wraparound and the
 * server, each staged for real on a real server and found by the engine from what the collectors
 * (as pg_monitor) read; then its remediation, run as a DBA would, resolves it. Thresholds are
 * lowered where the real one takes hours or billions of transactions to reach.
 */
jest.setTimeout(120_000);

describe.each(majorsUnderTest())('findings on sessions and the horizon, PostgreSQL %i', (major) => {
  let pg: TestPostgres;
  const sessions: Client[] = [];

  beforeAll(async () => {
    pg = await startPostgres({
      major,
      settings: { max_prepared_transactions: 5, wal_level: 'logical', autovacuum: 'off' },
    });
    await createMonitorRole(pg);
    await pg.query('CREATE TABLE accounts (id int PRIMARY KEY, balance int)');
    await pg.query('INSERT INTO accounts SELECT g, 100 FROM generate_series(1, 100) g');
  });

  afterAll(async () => {
    await Promise.all(sessions.map((s) => s.end().catch(() => undefined)));
    await pg?.destroy();
  });

  it('xmin_horizon: names the session, the prepared transaction and the slot holding it back', async () => {
    const kit = new FindingsKit(pg, { xmin_horizon: { warning_xid_age: 50 } });
    // A logical slot first: creating one waits for transactions in progress.
    await pg.query("SELECT pg_create_logical_replication_slot('cdc_slot', 'test_decoding')");
    const holder = await session(pg, sessions, 'horizon-holder');
    await holder.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    await holder.query('SELECT count(*) FROM accounts');
    const holderPid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
    const gid = `it's "a; drop table x"`;
    const preparer = await session(pg, sessions);
    await preparer.query('BEGIN');
    await preparer.query('UPDATE accounts SET balance = balance + 1 WHERE id = 1');
    await preparer.query(`PREPARE TRANSACTION '${gid.replace(/'/g, "''")}'`);
    await burnXids(pg, 120);

    await kit.observe(xminHorizonCollector, replicationCollector);
    const byHolder = Object.fromEntries(kit.open('xmin_horizon').map((f) => [f.key, f]));
    expect(Object.keys(byHolder).sort()).toEqual([
      'prepared_transaction',
      'replication_slot_catalog',
      'session',
    ]);
    expect(byHolder.session).toMatchObject({
      severity: 'warning',
      object: { type: 'session', name: `pid ${holderPid}`, database: 'postgres' },
    });
    expect(byHolder.session?.title).toMatch(/horizon-holder/);
    expect(byHolder.prepared_transaction?.object).toMatchObject({ type: 'prepared_transaction', name: gid });
    expect(byHolder.replication_slot_catalog?.object).toMatchObject({
      type: 'replication_slot',
      name: 'cdc_slot',
    });
    for (const finding of Object.values(byHolder)) {
      expect(finding.evidence.length).toBeGreaterThan(0);
      expect(finding.sql.map((s) => s.file)).toEqual(['collectors/xmin-horizon.pg14.sql']);
    }
    // The slot nobody consumes is also a finding of its own.
    expect(kit.open('inactive_replication_slot').map((f) => [f.object.name, f.severity])).toEqual([
      ['cdc_slot', 'warning'],
    ]);

    // Each remediation, run as written, releases its holder.
    await kit.remediate(byHolder.session);
    expect(byHolder.prepared_transaction?.remediation.statements[1]).toBe(
      `ROLLBACK PREPARED 'it''s "a; drop table x"';`,
    );
    await kit.remediate(byHolder.prepared_transaction, 1);
    await kit.remediate(kit.open('inactive_replication_slot')[0]);
    await eventually(
      async () => {
        await kit.observe(xminHorizonCollector, replicationCollector);
        return kit.open('xmin_horizon').length === 0 && kit.open('inactive_replication_slot').length === 0
          ? true
          : undefined;
      },
      15_000,
      'the holders released',
    );
    expect(kit.resolved('xmin_horizon')).toHaveLength(3);
    expect(await pg.query('SELECT 1 FROM pg_prepared_xacts WHERE gid = $1', [gid])).toEqual([]);
    expect(kit.events.filter((e) => e.kind === 'finding').map((e) => e.tags[1])).toEqual(
      expect.arrayContaining(['new', 'resolved']),
    );
  });

  it('idle_in_transaction, long_running_query and blocking_chain: found, then ended by their remediation', async () => {
    const kit = new FindingsKit(pg, {
      idle_in_transaction: { warning_s: 1 },
      long_running_query: { warning_s: 1 },
      blocking_chain: { warning_wait_s: 1 },
    });
    const blocker = await session(pg, sessions, 'stage-blocker');
    await blocker.query('BEGIN');
    await blocker.query('UPDATE accounts SET balance = 0 WHERE id = 7');
    const waiter = await session(pg, sessions, 'stage-waiter');
    const waited = waiter.query('UPDATE accounts SET balance = 1 WHERE id = 7').catch((e: Error) => e);
    const sleeper = await session(pg, sessions, 'stage-sleeper');
    const slept = sleeper.query('SELECT pg_sleep(60)').catch((e: Error) => e);

    await eventually(
      async () => {
        await kit.observe(activityCollector);
        return kit.open('blocking_chain').length > 0 && kit.open('long_running_query').length >= 2
          ? true
          : undefined;
      },
      15_000,
      'the staged sessions as findings',
    );
    const idle = kit.open('idle_in_transaction').find((f) => f.title.includes('stage-blocker'));
    const [chain] = kit.open('blocking_chain');
    const sleeping = kit.open('long_running_query').find((f) => f.title.includes('stage-sleeper'));
    expect(idle?.remediation.statements[0]).toMatch(/pg_terminate_backend/);
    expect(chain?.title).toMatch(/stage-blocker.*blocks 1 session/);
    expect(chain?.evidence.some((r) => r.blocked_application === 'stage-waiter')).toBe(true);
    // A waiting statement is a long query too: the waiter shows, with what it waits on.
    expect(kit.open('long_running_query').find((f) => f.title.includes('stage-waiter'))?.detail).toMatch(
      /Lock/,
    );

    await kit.remediate(sleeping); // pg_cancel_backend, re-checked against the backend start
    await kit.remediate(chain); // the idle blocker: terminated
    expect(await slept).toMatchObject({ message: expect.stringMatching(/cancel/) });
    expect(await waited).toMatchObject({ rowCount: 1 });
    await eventually(
      async () => {
        await kit.observe(activityCollector);
        return kit.open('blocking_chain').length === 0 &&
          !kit.open('idle_in_transaction').some((f) => f.title.includes('stage-blocker')) &&
          !kit.open('long_running_query').some((f) => f.title.includes('stage-sleeper'))
          ? true
          : undefined;
      },
      15_000,
      'the sessions gone from the findings',
    );
  });

  it('xid_wraparound and mxid_wraparound: the database and its oldest tables, with freeze statements that run', async () => {
    const kit = new FindingsKit(pg, {
      xid_wraparound: { warning_ratio: 1e-9 },
      mxid_wraparound: { warning_ratio: 1e-10 },
    });
    // A multixact: two transactions share a row lock.
    const a = await session(pg, sessions);
    const b = await session(pg, sessions);
    await a.query('BEGIN');
    await a.query('SELECT * FROM accounts WHERE id = 3 FOR SHARE');
    await b.query('BEGIN');
    await b.query('SELECT * FROM accounts WHERE id = 3 FOR SHARE');
    await a.query('COMMIT');
    await b.query('COMMIT');

    await kit.observe(wraparoundCollector);
    const xid = kit.open('xid_wraparound');
    const database = xid.find((f) => f.object.type === 'database' && f.object.name === 'postgres');
    expect(database?.severity).toBe('warning');
    // The oldest tables (the system catalogs, frozen at initdb, come first) as findings of their own.
    expect(xid.some((f) => f.object.type === 'relation')).toBe(true);
    expect(kit.open('mxid_wraparound').some((f) => f.object.name === 'postgres')).toBe(true);
    expect(database?.remediation.statements.length).toBeGreaterThan(0);
    for (const statement of database?.remediation.statements ?? []) await pg.query(statement);
  });

  it('frequent_checkpoints, temp_spill and settings_pending_restart', async () => {
    const kit = new FindingsKit(pg, { temp_spill: { warning_bytes_per_second: 1 } });
    await kit.observe(checkpointsCollector, databaseStatsCollector);

    for (let i = 0; i < 4; i++) {
      await pg.query('UPDATE accounts SET balance = balance + 1');
      await pg.query('CHECKPOINT');
    }
    const spill = await session(pg, sessions);
    await spill.query("SET work_mem = '64kB'");
    await spill.query(
      'SELECT count(*) FROM (SELECT g FROM generate_series(1, 200000) g ORDER BY g DESC OFFSET 0) s',
    );
    await spill.end();
    // A setting only a restart applies, changed in the configuration (not on the command line).
    await pg.query("ALTER SYSTEM SET max_locks_per_transaction = '128'");
    await pg.query('SELECT pg_reload_conf()');

    await eventually(
      async () => {
        await kit.observe(checkpointsCollector, databaseStatsCollector, settingsCollector);
        return kit.open('frequent_checkpoints').length > 0 &&
          kit.open('temp_spill').length > 0 &&
          kit.open('settings_pending_restart').length > 0
          ? true
          : undefined;
      },
      20_000,
      'the checkpoints, the spill and the pending setting as findings',
    );
    expect(kit.open('frequent_checkpoints')[0]?.title).toMatch(/of checkpoints were requested/);
    expect(kit.open('temp_spill')[0]?.object).toMatchObject({ type: 'database', name: 'postgres' });
    expect(kit.open('settings_pending_restart')[0]?.title).toMatch(/max_locks_per_transaction/);

    // The remediation: a restart (the setting reverted first, so that the server comes back as before).
    await pg.query('ALTER SYSTEM RESET max_locks_per_transaction');
    await pg.stop();
    await pg.start();
    await eventually(
      async () => {
        await kit.observe(settingsCollector);
        return kit.open('settings_pending_restart').length === 0 ? true : undefined;
      },
      15_000,
      'the pending setting resolved',
    );
  });
});
