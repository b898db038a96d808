import { Pool } from 'pg';
import { loadConfig } from '../backend/src/config/load';
import { createGuardedPool, keepOneIdle, targetPoolConfig } from '../backend/src/db/target-pool';
import { NEWEST_MAJOR, startPostgres, TestPostgres } from './support/postgres';

/** What every session the product opens on a target looks like from the server's side. */
let pg: TestPostgres;
const pools: Pool[] = [];

function poolFor(env: Record<string, string> = {}): Pool {
  const { config } = loadConfig({ env: { PGG_TARGET_URL: pg.superuserUrl, ...env } });
  const target = config.targets[0];
  if (!target) throw new Error('no target');
  const pool = createGuardedPool(targetPoolConfig(target.dsn, target.connection), () => undefined);
  pools.push(pool);
  return pool;
}

beforeAll(async () => {
  pg = await startPostgres({ major: NEWEST_MAJOR });
});

afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await pg?.destroy();
});

it('names itself pg-governor, sets statement, lock and idle-in-transaction timeouts, uses no parallel workers', async () => {
  const pool = poolFor();
  const { rows } = await pool.query(
    `SELECT current_setting('application_name') AS app, current_setting('statement_timeout') AS st,
            current_setting('lock_timeout') AS lt, current_setting('idle_in_transaction_session_timeout') AS iit,
            current_setting('default_transaction_read_only') AS ro,
            current_setting('max_parallel_workers_per_gather') AS pw`,
  );
  expect(rows[0]).toEqual({ app: 'pg-governor', st: '5s', lt: '1s', iit: '10s', ro: 'on', pw: '0' });
});

it('cannot write, even as a role that could (sessions start read-only)', async () => {
  const pool = poolFor();
  await expect(pool.query('CREATE TABLE should_not_exist (id int)')).rejects.toThrow(/read-only transaction/);
});

it('cuts a hung query at statement_timeout', async () => {
  const pool = poolFor({ PGG_DEFAULTS__CONNECTION__STATEMENT_TIMEOUT_MS: '1000' });
  const started = Date.now();
  await expect(pool.query('SELECT pg_sleep(30)')).rejects.toMatchObject({ code: '57014' });
  expect(Date.now() - started).toBeLessThan(10_000);
});

it('never holds more than 5 connections, whatever the configuration asks for', async () => {
  const pool = poolFor({ PGG_DEFAULTS__CONNECTION__POOL_MAX: '40' });
  const peak = { value: 0 };
  const count = async () => {
    const rows = (await pg.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'pg-governor' AND query LIKE '%pg_sleep(0.5)%'",
    )) as { n: number }[];
    peak.value = Math.max(peak.value, rows[0]?.n ?? 0);
  };
  const work = Array.from({ length: 20 }, () => pool.query('SELECT pg_sleep(0.5)'));
  const sampler = setInterval(() => void count(), 100);
  await Promise.all(work);
  clearInterval(sampler);
  await count();
  expect(pool.totalCount).toBeLessThanOrEqual(5);
  expect(peak.value).toBeGreaterThan(0);
  expect(peak.value).toBeLessThanOrEqual(5);
});

it('survives a checked-out connection whose session is terminated between two statements', async () => {
  const pool = poolFor();
  const client = await pool.connect();
  // pg-pool listens for errors on idle clients only: without a listener of its own, the 'error'
  // a checked-out client emits when its server goes away would crash the process.
  expect(client.listenerCount('error')).toBeGreaterThan(0);
  const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
  const errored = new Promise<void>((resolve) => client.once('error', () => resolve()));
  await pg.query('SELECT pg_terminate_backend($1)', [pid]);
  await errored;
  await expect(client.query('SELECT 1')).rejects.toThrow(/not queryable|terminat/);
  client.release(true);
  await expect(pool.query('SELECT 1 AS one')).resolves.toMatchObject({ rows: [{ one: 1 }] });
});

it('keeps one idle connection: the one opened while loops overlap closes once released', async () => {
  const pool = keepOneIdle(poolFor());
  const sessions = async () =>
    (
      (await pg.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'pg-governor' AND backend_type = 'client backend'",
      )) as { n: number }[]
    )[0]?.n;
  const before = (await sessions()) ?? 0;
  const [a, b] = await Promise.all([pool.connect(), pool.connect()]);
  expect(pool.totalCount).toBe(2);
  a.release();
  b.release();
  expect(pool.totalCount).toBe(1);
  expect(pool.idleCount).toBe(1);
  // pool.query takes the callback form of connect(): the same rule, the same connection.
  await expect(pool.query('SELECT 1 AS one')).resolves.toMatchObject({ rows: [{ one: 1 }] });
  expect(pool.totalCount).toBe(1);
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(await sessions()).toBe(before + 1);
  // A broken connection is still dropped, not kept.
  const c = await pool.connect();
  c.release(new Error('broken'));
  expect(pool.totalCount).toBe(0);
});
