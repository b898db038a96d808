import { CollectResult } from '../types';
import { ConsoleRows, derivePgBouncer } from './derive';

const valueOf = (result: CollectResult, metric: string, labels: Record<string, string> = {}) =>
  result.samples.find(
    (s) => s.metric === metric && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  )?.value;

/** Rows as PgBouncer 1.18 returns them: int4 columns as numbers, int8/numeric columns as strings. */
function consoleRows(): ConsoleRows {
  const pool = { cl_active_cancel_req: 0, sv_used: 0, sv_tested: 0, sv_login: 0, pool_mode: 'transaction' };
  return {
    pools: [
      {
        database: 'pgbouncer',
        user: 'pgbouncer',
        cl_active: 1,
        cl_waiting: 0,
        sv_active: 0,
        sv_idle: 0,
        maxwait: 0,
        maxwait_us: 0,
        ...pool,
        pool_mode: 'statement',
      },
      {
        database: 'app',
        user: 'alice',
        cl_active: 2,
        cl_waiting: 3,
        sv_active: 2,
        sv_idle: 0,
        maxwait: 1,
        maxwait_us: 250_000,
        ...pool,
      },
      {
        database: 'app',
        user: 'bob',
        cl_active: 1,
        cl_waiting: 1,
        sv_active: 1,
        sv_idle: 1,
        maxwait: 0,
        maxwait_us: 700_000,
        ...pool,
      },
      {
        database: 'reports',
        user: 'carol',
        cl_active: 0,
        cl_waiting: 0,
        sv_active: 0,
        sv_idle: 2,
        maxwait: 0,
        maxwait_us: 0,
        ...pool,
      },
    ],
    stats: [
      {
        database: 'pgbouncer',
        total_xact_count: '9',
        total_query_count: '9',
        avg_query_time: '0',
        avg_wait_time: '0',
      },
      {
        database: 'app',
        total_xact_count: '120',
        total_query_count: '480',
        avg_query_time: '5410636',
        avg_wait_time: '164989',
      },
    ],
    clients: [
      { state: 'active' },
      { state: 'active' },
      { state: 'waiting' },
      { state: 'waiting' },
      { state: 'waiting' },
    ],
    databases: [
      { name: 'pgbouncer', pool_size: 2, reserve_pool: 0, max_connections: 0, force_user: 'pgbouncer' },
      { name: 'app', pool_size: 2, reserve_pool: 1, max_connections: 0, force_user: null },
      { name: 'reports', pool_size: 5, reserve_pool: 0, max_connections: 3, force_user: null },
      { name: 'archive', pool_size: 4, reserve_pool: 0, max_connections: 0, force_user: 'archiver' },
    ],
    config: [
      { key: 'default_pool_size', value: '2' },
      { key: 'max_client_conn', value: '50' },
    ],
    lists: [
      { list: 'used_clients', items: 6 },
      { list: 'used_servers', items: 6 },
    ],
  };
}

describe('derivePgBouncer', () => {
  const result = derivePgBouncer(consoleRows(), { usableConnections: 17 });

  it('sums pools per database and takes the longest wait, seconds plus microseconds', () => {
    expect(valueOf(result, 'pgbouncer_up')).toBe(1);
    expect(valueOf(result, 'pgbouncer_clients_active', { database: 'app' })).toBe(3);
    expect(valueOf(result, 'pgbouncer_clients_waiting', { database: 'app' })).toBe(4);
    expect(valueOf(result, 'pgbouncer_servers_active', { database: 'app' })).toBe(3);
    expect(valueOf(result, 'pgbouncer_servers_idle', { database: 'app' })).toBe(1);
    expect(valueOf(result, 'pgbouncer_max_wait_seconds', { database: 'app' })).toBeCloseTo(1.25, 9);
    expect(valueOf(result, 'pgbouncer_servers_idle', { database: 'reports' })).toBe(2);
    // Configured, no pool yet: zeros rather than no series.
    expect(valueOf(result, 'pgbouncer_clients_waiting', { database: 'archive' })).toBe(0);
  });

  it('leaves the admin console pseudo-database out of pools, stats and capacity', () => {
    const databases = new Set(result.samples.map((s) => s.labels.database).filter(Boolean));
    expect([...databases].sort()).toEqual(['app', 'archive', 'reports']);
    expect(result.snapshots?.[0]?.rows.map((r) => r.database)).toEqual(['app', 'app', 'reports']);
  });

  it('converts microseconds and keeps cumulative counts as counters', () => {
    expect(valueOf(result, 'pgbouncer_avg_query_seconds', { database: 'app' })).toBeCloseTo(5.410636, 9);
    expect(valueOf(result, 'pgbouncer_avg_wait_seconds', { database: 'app' })).toBeCloseTo(0.164989, 9);
    expect(valueOf(result, 'pgbouncer_queries_total', { database: 'app' })).toBe(480);
    expect(valueOf(result, 'pgbouncer_transactions_total', { database: 'app' })).toBe(120);
  });

  it('counts clients by state only, and client usage against max_client_conn', () => {
    expect(valueOf(result, 'pgbouncer_clients', { state: 'active' })).toBe(2);
    expect(valueOf(result, 'pgbouncer_clients', { state: 'waiting' })).toBe(3);
    expect(valueOf(result, 'pgbouncer_max_client_conn')).toBe(50);
    expect(valueOf(result, 'pgbouncer_default_pool_size')).toBe(2);
    expect(valueOf(result, 'pgbouncer_client_usage_ratio')).toBeCloseTo(5 / 50, 9);
    expect(valueOf(result, 'pgbouncer_servers_used')).toBe(6);
    expect(valueOf(result, 'pgbouncer_pool_size', { database: 'reports' })).toBe(5);
  });

  it('sets the server connections the pools may open against what PostgreSQL allows', () => {
    // app: (2 + 1) x 2 users = 6; reports: min(3, 5 x 1) = 3; archive: force_user, 4 x 1 = 4.
    expect(valueOf(result, 'pgbouncer_server_connections_possible')).toBe(13);
    expect(valueOf(result, 'pgbouncer_postgres_usable_connections')).toBe(17);
    expect(valueOf(result, 'pgbouncer_pool_capacity_ratio')).toBeCloseTo(13 / 17, 9);
    const over = derivePgBouncer(consoleRows(), { usableConnections: 10 });
    expect(valueOf(over, 'pgbouncer_pool_capacity_ratio')).toBeGreaterThan(1);
  });

  it('never labels with a user name and keeps users in the snapshot only', () => {
    const labelNames = new Set(result.samples.flatMap((s) => Object.keys(s.labels)));
    expect([...labelNames].sort()).toEqual(['database', 'state']);
    const labelValues = result.samples.flatMap((s) => Object.values(s.labels));
    for (const user of ['alice', 'bob', 'carol']) expect(labelValues).not.toContain(user);
    expect(result.snapshots?.[0]?.rows[0]).toEqual({
      database: 'app',
      user: 'alice',
      cl_active: 2,
      cl_waiting: 3,
      sv_active: 2,
      sv_idle: 0,
      sv_used: 0,
      maxwait: 1.25,
      pool_mode: 'transaction',
    });
  });
});
