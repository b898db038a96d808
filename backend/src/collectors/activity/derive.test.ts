import { Sample } from '../types';
import { ActivityRow, ConnectionLimits, deriveActivity, MAX_APPLICATION_LABELS } from './derive';

/** Server time of every row: the derive computes ages against the row's own server_now_ms. */
const NOW = 1_000_000_000_000;
const LIMITS: ConnectionLimits = { maxConnections: 100, reserved: 3, usable: 97 };

let nextPid = 100;
function session(overrides: Partial<ActivityRow> = {}): ActivityRow {
  const pid = nextPid++;
  return {
    pid,
    backend_start_us: String((NOW - 60_000) * 1000),
    backend_type: 'client backend',
    datname: 'app',
    usename: 'alice',
    application_name: 'web',
    client_addr: '10.0.0.1',
    state: 'idle',
    backend_start_ms: NOW - 60_000,
    xact_start_ms: null,
    query_start_ms: NOW - 30_000,
    state_change_ms: NOW - 30_000,
    server_now_ms: NOW,
    wait_event_type: null,
    wait_event: null,
    query_id: null,
    query: "SELECT * FROM users WHERE email = 'a@b.c'",
    blocking_pids: null,
    is_superuser: false,
    is_replication_role: false,
    is_self: false,
    ...overrides,
  };
}

const derive = (rows: ActivityRow[], redact = true) => deriveActivity(rows, LIMITS, { redact });
const valueOf = (samples: Sample[], metric: string, labels: Record<string, string> = {}) =>
  samples.filter((s) => s.metric === metric && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
const only = (samples: Sample[], metric: string, labels: Record<string, string> = {}) => {
  const found = valueOf(samples, metric, labels);
  expect(found).toHaveLength(1);
  return found[0]?.value;
};

describe('deriveActivity (the governor and the hot loop read this)', () => {
  it('counts client sessions by database and state, and only client backends as used', () => {
    const { samples } = derive([
      session({ state: 'active', query_start_ms: NOW - 2_000 }),
      session({ state: 'idle' }),
      session({ state: 'idle' }),
      session({ datname: 'reports', state: 'idle in transaction', xact_start_ms: NOW - 90_000 }),
      session({ backend_type: 'autovacuum worker', datname: 'app', state: 'active' }),
      session({ backend_type: 'walsender', datname: null, state: 'active' }),
    ]);
    expect(only(samples, 'pg_connections', { datname: 'app', state: 'idle' })).toBe(2);
    expect(only(samples, 'pg_connections', { datname: 'app', state: 'active' })).toBe(1);
    expect(only(samples, 'pg_connections', { datname: 'reports', state: 'idle in transaction' })).toBe(1);
    expect(only(samples, 'pg_connections_used')).toBe(4);
    expect(only(samples, 'pg_connection_usage_ratio')).toBeCloseTo(4 / 97, 12);
    expect(only(samples, 'pg_backends', { backend_type: 'client backend' })).toBe(4);
    expect(only(samples, 'pg_backends', { backend_type: 'autovacuum worker' })).toBe(1);
    expect(only(samples, 'pg_backends', { backend_type: 'walsender' })).toBe(1);
    expect(only(samples, 'pg_max_connections')).toBe(100);
    expect(only(samples, 'pg_connections_reserved')).toBe(3);
    expect(only(samples, 'pg_connections_usable_max')).toBe(97);
  });

  it('reports a full ratio when no connection is usable, rather than dividing by zero', () => {
    const { samples } = deriveActivity(
      [session()],
      { maxConnections: 3, reserved: 3, usable: 0 },
      { redact: true },
    );
    expect(only(samples, 'pg_connection_usage_ratio')).toBe(1);
  });

  it('measures ages against the server clock of the row, never negative', () => {
    const { samples } = derive([
      session({ state: 'active', xact_start_ms: NOW - 120_000, query_start_ms: NOW - 45_000 }),
      // The collector's own session: its query is not the longest-running one.
      session({ state: 'active', is_self: true, query_start_ms: NOW - 600_000 }),
      session({
        state: 'idle in transaction (aborted)',
        xact_start_ms: NOW - 10_000,
        state_change_ms: NOW - 8_000,
      }),
      session({ state: 'idle in transaction', xact_start_ms: NOW + 5_000, state_change_ms: NOW + 5_000 }),
    ]);
    expect(only(samples, 'pg_oldest_transaction_seconds', { datname: 'app' })).toBe(120);
    expect(only(samples, 'pg_longest_query_seconds', { datname: 'app' })).toBe(45);
    expect(only(samples, 'pg_idle_in_transaction_sessions', { datname: 'app' })).toBe(2);
    expect(only(samples, 'pg_longest_idle_in_transaction_seconds', { datname: 'app' })).toBe(8);
    for (const s of samples) expect(s.value).toBeGreaterThanOrEqual(0);
  });

  it('counts waiting sessions by wait event type, active ones only', () => {
    const { samples } = derive([
      session({ state: 'active', wait_event_type: 'Lock', wait_event: 'relation' }),
      session({ state: 'active', wait_event_type: 'Lock', wait_event: 'tuple' }),
      session({ state: 'active', wait_event_type: 'IO', wait_event: 'DataFileRead' }),
      session({ state: 'idle', wait_event_type: 'Client', wait_event: 'ClientRead' }),
    ]);
    expect(only(samples, 'pg_sessions_waiting', { wait_event_type: 'Lock' })).toBe(2);
    expect(only(samples, 'pg_sessions_waiting', { wait_event_type: 'IO' })).toBe(1);
    expect(valueOf(samples, 'pg_sessions_waiting', { wait_event_type: 'Client' })).toEqual([]);
  });

  it(`keeps the ${MAX_APPLICATION_LABELS} busiest applications by name and sums the rest as "other"`, () => {
    const rows: ActivityRow[] = [];
    for (let app = 0; app < MAX_APPLICATION_LABELS + 5; app++)
      for (let n = 0; n <= app; n++) rows.push(session({ application_name: `app-${app}` }));
    rows.push(session({ application_name: '' }));
    const { samples } = derive(rows);
    const apps = new Set(valueOf(samples, 'pg_connections_by_application').map((s) => s.labels.application));
    expect(apps.size).toBe(MAX_APPLICATION_LABELS + 1);
    expect(apps.has(`app-${MAX_APPLICATION_LABELS + 4}`)).toBe(true);
    expect(apps.has('app-0')).toBe(false);
    expect(apps.has('unnamed')).toBe(false);
    // The five least busy (1 to 5 sessions) and the unnamed one: 15 + 1.
    expect(only(samples, 'pg_connections_by_application', { application: 'other', state: 'idle' })).toBe(16);
    const total = valueOf(samples, 'pg_connections_by_application').reduce((n, s) => n + s.value, 0);
    expect(total).toBe(rows.length);
  });

  it('describes a blocking chain from its root, with redacted queries', () => {
    const root = session({
      pid: 1,
      state: 'idle in transaction',
      xact_start_ms: NOW - 300_000,
      query: "UPDATE t SET v = 'secret' WHERE id = 7",
    });
    const waiter = session({
      pid: 2,
      state: 'active',
      wait_event_type: 'Lock',
      wait_event: 'transactionid',
      state_change_ms: NOW - 12_000,
      blocking_pids: [1],
    });
    const second = session({ pid: 3, state: 'active', state_change_ms: NOW - 4_000, blocking_pids: [2] });
    const { samples, snapshots } = derive([root, waiter, second]);
    expect(only(samples, 'pg_blocked_sessions')).toBe(2);
    expect(only(samples, 'pg_blocking_root_sessions')).toBe(1);
    expect(only(samples, 'pg_blocking_chain_max_depth')).toBe(2);
    expect(only(samples, 'pg_lock_wait_longest_seconds')).toBe(12);
    const chain = snapshots?.find((s) => s.kind === 'blocking')?.rows ?? [];
    expect(chain).toHaveLength(2);
    expect(chain.find((r) => r.blocked_pid === 3)).toMatchObject({
      blocker_pid: 2,
      root_pid: 1,
      depth: 2,
      root_state: 'idle in transaction',
      root_transaction_seconds: 300,
      root_query: 'UPDATE t SET v = ? WHERE id = ?',
    });
  });

  it('snapshots every backend with its identity, and redacts queries unless told not to', () => {
    const row = session({ pid: 4242, state: 'active', query_id: '-77' });
    const redacted = derive([row]).snapshots?.find((s) => s.kind === 'sessions')?.rows[0];
    expect(redacted).toMatchObject({
      pid: 4242,
      backend_start_us: row.backend_start_us,
      query_id: '-77',
      query: 'SELECT * FROM users WHERE email = ?',
      state_seconds: 30,
      blocking_pids: null,
    });
    const plain = derive([row], false).snapshots?.find((s) => s.kind === 'sessions')?.rows[0];
    expect(plain?.query).toBe(row.query);
  });

  it('puts no user name, query text or pid in a sample label', () => {
    const { samples } = derive([
      session({ pid: 31337, usename: 'carol', blocking_pids: [31338] }),
      session({ pid: 31338, usename: 'dave', state: 'idle in transaction', xact_start_ms: NOW - 1_000 }),
    ]);
    const labelValues = samples.flatMap((s) => Object.values(s.labels));
    for (const forbidden of ['carol', 'dave', '31337', '31338', 'SELECT']) {
      expect(labelValues.filter((v) => v.includes(forbidden))).toEqual([]);
    }
  });
});
