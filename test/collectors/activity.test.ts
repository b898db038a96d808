import { Client } from 'pg';
import { activityCollector } from '../../backend/src/collectors/activity';
import { collectOnce, valueOf } from '../support/collect';
import { eventually } from '../support/backend-process';
import { majorsUnderTest, startPostgres, TestPostgres } from '../support/postgres';

/**
 * A staged scenario on a real server: a long transaction, a session idle in transaction, and a
 * 3-session blocking chain (root holds a row lock, A waits on it, B waits on A's lock queue).
 */
describe.each(majorsUnderTest())('activity collector on PostgreSQL %i', (major) => {
  let pg: TestPostgres;
  const clients: Client[] = [];

  async function session(application: string): Promise<Client> {
    const client = new Client({ connectionString: pg.superuserUrl, application_name: application });
    client.on('error', () => undefined);
    await client.connect();
    clients.push(client);
    return client;
  }

  beforeAll(async () => {
    pg = await startPostgres({ major, maxConnections: 30 });
    await pg.query('CREATE TABLE accounts (id int PRIMARY KEY, balance int)');
    await pg.query('INSERT INTO accounts SELECT g, 100 FROM generate_series(1, 10) g');

    const idleInTx = await session('stage-idle-tx');
    await idleInTx.query('BEGIN');
    await idleInTx.query("SELECT 'card 4111-1111' FROM accounts LIMIT 1");

    const root = await session('stage-root');
    await root.query('BEGIN');
    await root.query('UPDATE accounts SET balance = balance - 1 WHERE id = 1');
    const waiterA = await session('stage-waiter-a');
    await waiterA.query('BEGIN');
    await waiterA.query('UPDATE accounts SET balance = balance + 1 WHERE id = 2');
    void waiterA.query('UPDATE accounts SET balance = balance + 1 WHERE id = 1').catch(() => undefined);
    const waiterB = await session('stage-waiter-b');
    void waiterB.query('UPDATE accounts SET balance = balance + 5 WHERE id = 2').catch(() => undefined);

    await eventually(
      async () => {
        const rows = await pg.query(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'",
        );
        return rows[0]?.n === 2 ? true : undefined;
      },
      10_000,
      'two lock waits',
    );
    // Let the transactions age so that the age metrics are clearly above zero.
    await new Promise((r) => setTimeout(r, 1100));
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    await pg?.destroy();
  });

  it('counts client backends by state and measures usage against the usable maximum', async () => {
    const result = await collectOnce(pg.superuserUrl, activityCollector);
    // 4 staged sessions + the collector's own.
    expect(valueOf(result, 'pg_connections_used')).toBe(5);
    expect(valueOf(result, 'pg_max_connections')).toBe(30);
    const reserved = major >= 16 ? 3 + 0 : 3;
    expect(valueOf(result, 'pg_connections_usable_max')).toBe(30 - reserved);
    expect(valueOf(result, 'pg_connection_usage_ratio')).toBeCloseTo(5 / (30 - reserved), 5);
    // The idle-in-transaction session and the root blocker, which holds its lock idle in transaction.
    expect(valueOf(result, 'pg_connections', { datname: 'postgres', state: 'idle in transaction' })).toBe(2);
    expect(valueOf(result, 'pg_connections', { datname: 'postgres', state: 'active' })).toBe(3); // 2 waiters + us
    expect(valueOf(result, 'pg_idle_in_transaction_sessions', { datname: 'postgres' })).toBe(2);
    expect(
      valueOf(result, 'pg_longest_idle_in_transaction_seconds', { datname: 'postgres' }),
    ).toBeGreaterThan(1);
    expect(valueOf(result, 'pg_oldest_transaction_seconds', { datname: 'postgres' })).toBeGreaterThan(1);
    expect(
      valueOf(result, 'pg_connections_by_application', {
        application: 'stage-root',
        state: 'idle in transaction',
      }),
    ).toBe(1);
  });

  it('finds the 3-session blocking chain and its root', async () => {
    const result = await collectOnce(pg.superuserUrl, activityCollector);
    expect(valueOf(result, 'pg_blocked_sessions')).toBe(2);
    expect(valueOf(result, 'pg_blocking_root_sessions')).toBe(1);
    expect(valueOf(result, 'pg_blocking_chain_max_depth')).toBe(2);
    expect(valueOf(result, 'pg_lock_wait_longest_seconds')).toBeGreaterThan(1);
    expect(valueOf(result, 'pg_sessions_waiting', { wait_event_type: 'Lock' })).toBe(2);

    const chain = result.snapshots?.find((s) => s.kind === 'blocking')?.rows ?? [];
    const rootPid = (
      await pg.query("SELECT pid FROM pg_stat_activity WHERE application_name = 'stage-root'")
    )[0]?.pid;
    expect(chain).toHaveLength(2);
    expect(chain.every((row) => row.root_pid === rootPid)).toBe(true);
    expect(chain.map((row) => row.depth).sort()).toEqual([1, 2]);
    expect(chain[0]).toMatchObject({ root_application: 'stage-root', root_state: 'idle in transaction' });
  });

  it('keeps per-session rows with identity for re-verification and redacted query text', async () => {
    const result = await collectOnce(pg.superuserUrl, activityCollector);
    const sessions = result.snapshots?.find((s) => s.kind === 'sessions')?.rows ?? [];
    const idle = sessions.find((row) => row.application_name === 'stage-idle-tx');
    expect(idle).toMatchObject({
      state: 'idle in transaction',
      usename: 'postgres',
      backend_type: 'client backend',
      is_superuser: true,
    });
    expect(idle?.query).toBe('SELECT ? FROM accounts LIMIT ?');
    expect(String(idle?.backend_start_us)).toMatch(/^\d{16}$/);
    expect(sessions.some((row) => row.is_self === true)).toBe(true);
    expect(sessions.some((row) => row.backend_type === 'checkpointer')).toBe(true);
  });

  it('never labels a metric with a user name, a pid or query text', async () => {
    const result = await collectOnce(pg.superuserUrl, activityCollector);
    const labelValues = result.samples.flatMap((s) => Object.values(s.labels));
    const pids = (await pg.query('SELECT pid::text FROM pg_stat_activity')).map((r) => r.pid as string);
    for (const value of labelValues) {
      expect(pids).not.toContain(value);
      expect(value).not.toMatch(/UPDATE|SELECT/);
    }
    const labelNames = new Set(result.samples.flatMap((s) => Object.keys(s.labels)));
    expect([...labelNames].sort()).toEqual([
      'application',
      'backend_type',
      'datname',
      'state',
      'wait_event_type',
    ]);
  });
});
