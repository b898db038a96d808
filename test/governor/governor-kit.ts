import { Client } from 'pg';
import { substitutePsqlVariables } from '../../backend/src/demo/role-script';
import { sqlFile } from '../../backend/src/sql/sql-file';
import { eventually } from '../support/backend-process';
import { TestPostgres } from '../support/postgres';

/**
 * A saturated target for the governor's integration tests: the roles from sql/roles, ordinary
 * application roles, and a population of real sessions (idle, idle in transaction, running
 * pg_sleep) opened by the test, some of them protected by configuration or by nature.
 */

export const MAX_CONNECTIONS = 30;
/** max_connections minus superuser_reserved_connections (3; reserved_connections is 0). */
export const USABLE = MAX_CONNECTIONS - 3;
export const PASSWORD = 'governor-test-pw';

/** What a target's governor settings protect in these tests (exact names and /regex/). */
export const PROTECTED = {
  users: ['vip', '/^svc_/'],
  applications: ['psql', '/^etl-/'],
  databases: ['billing'],
};

export async function prepareTarget(pg: TestPostgres): Promise<void> {
  const variables = { monitor_password: PASSWORD, governor_password: PASSWORD };
  await pg.query(
    substitutePsqlVariables(sqlFile('roles/monitor-role.sql'), variables) +
      substitutePsqlVariables(sqlFile('roles/governor-role.sql'), variables),
  );
  for (const user of ['app_user', 'vip', 'svc_billing', 'replicator'])
    await pg.createRole(user, { password: PASSWORD });
  // A replication role's ordinary session is a client backend, yet never the governor's to end.
  await pg.query('ALTER ROLE replicator REPLICATION');
  // Sees every session (to re-verify) but may not signal them: every termination fails.
  await pg.createRole('weak_governor', { password: PASSWORD, grants: ['pg_read_all_stats'] });
  await pg.query('CREATE DATABASE billing');
  if (pg.major < 15) await pg.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
}

export const monitorUrl = (pg: TestPostgres): string => pg.url('postgres', 'pgg_monitor', PASSWORD);
export const governorUrl = (pg: TestPostgres, role = 'pgg_governor'): string =>
  pg.url('postgres', role, PASSWORD);

export type SessionKind = 'idle' | 'idle in transaction' | 'active';

export interface SessionSpec {
  label: string;
  kind: SessionKind;
  user?: string;
  database?: string;
  application?: string;
  /** A statement run before settling in its state (e.g. LISTEN). */
  first?: string;
}

export interface TestSession extends SessionSpec {
  client: Client;
  pid: number;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function openSession(pg: TestPostgres, spec: SessionSpec): Promise<TestSession> {
  const user = spec.user ?? 'app_user';
  const url = user === 'postgres' ? pg.url(spec.database) : pg.url(spec.database, user, PASSWORD);
  const client = new Client({ connectionString: url, application_name: spec.application ?? 'web' });
  // A terminated session's client emits 'error': expected here.
  client.on('error', () => undefined);
  await client.connect();
  const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  if (spec.first) await client.query(spec.first);
  if (spec.kind === 'idle in transaction') {
    await client.query('BEGIN');
    await client.query('SELECT 1');
  }
  if (spec.kind === 'active') client.query('SELECT pg_sleep(600)').catch(() => undefined);
  return { ...spec, client, pid: (rows[0] as { pid: number }).pid };
}

/**
 * The population every governor test starts from, oldest first: 9 protected sessions (which a
 * governor that ignored protection would pick first: they are the oldest idle ones), then 2 idle,
 * 2 idle in transaction and `active` sessions running pg_sleep. Opened one by one, a little apart,
 * so that "longest first" has one answer.
 */
export function standardPopulation(active: number): SessionSpec[] {
  return [
    { label: 'superuser', kind: 'idle', user: 'postgres', application: 'ops-console' },
    { label: 'protected user (exact)', kind: 'idle', user: 'vip' },
    { label: 'protected user (regex)', kind: 'idle', user: 'svc_billing' },
    { label: 'protected application (exact)', kind: 'idle', application: 'psql' },
    { label: 'protected application (regex)', kind: 'idle in transaction', application: 'etl-nightly' },
    { label: 'protected database', kind: 'idle', database: 'billing' },
    { label: 'own application name', kind: 'idle', application: 'pg-governor-sidecar' },
    { label: 'listener', kind: 'idle', first: 'LISTEN jobs' },
    { label: 'replication role', kind: 'idle', user: 'replicator' },
    { label: 'idle 1', kind: 'idle' },
    { label: 'idle 2', kind: 'idle' },
    { label: 'idle in transaction 1', kind: 'idle in transaction' },
    { label: 'idle in transaction 2', kind: 'idle in transaction' },
    ...Array.from({ length: active }, (_, i): SessionSpec => ({ label: `active ${i + 1}`, kind: 'active' })),
  ];
}

export const PROTECTED_COUNT = 9;

/** The sessions the governor must take, in order, to bring a full server below the optimize threshold. */
export const EXPECTED_VICTIMS = [
  'idle 1',
  'idle 2',
  'idle in transaction 1',
  'idle in transaction 2',
  'active 1',
];

export class Population {
  readonly sessions: TestSession[] = [];

  static async open(pg: TestPostgres, specs: SessionSpec[], gapMs = 40): Promise<Population> {
    const population = new Population();
    for (const spec of specs) {
      population.sessions.push(await openSession(pg, spec));
      await pause(gapMs);
    }
    return population;
  }

  byLabel(label: string): TestSession {
    const session = this.sessions.find((s) => s.label === label);
    if (!session) throw new Error(`no session ${label}`);
    return session;
  }

  labelOf(pid: number): string | undefined {
    return this.sessions.find((s) => s.pid === pid)?.label;
  }

  /** Ends every session; those still in pg_sleep would not notice their client leaving: terminated. */
  async close(pg: TestPostgres): Promise<void> {
    const pids = this.sessions.map((s) => s.pid);
    await pg.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [pids]);
    await Promise.all(this.sessions.map((s) => s.client.end().catch(() => undefined)));
    await waitUntilGone(pg, pids);
  }
}

/** Pids of every backend on the server (client or not), as a superuser sees them. */
export async function livePids(pg: TestPostgres): Promise<Set<number>> {
  const rows = await pg.query<{ pid: number }>('SELECT pid FROM pg_stat_activity');
  return new Set(rows.map((r) => r.pid));
}

/** Backends that are not client backends (checkpointer, autovacuum launcher, ...). */
export async function nonClientPids(pg: TestPostgres): Promise<number[]> {
  const rows = await pg.query<{ pid: number }>(
    "SELECT pid FROM pg_stat_activity WHERE backend_type <> 'client backend'",
  );
  return rows.map((r) => r.pid);
}

/** Client backends, as the collectors count them (the caller's own connection excluded). */
export async function clientBackends(pg: TestPostgres): Promise<number> {
  const rows = await pg.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()",
  );
  return rows[0]?.n ?? 0;
}

/** Waits until the given role has a session on the server (the governor's connection, opened ahead of need). */
export async function waitForSessionOf(pg: TestPostgres, role: string): Promise<void> {
  await eventually(
    async () => {
      const rows = await pg.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = $1',
        [role],
      );
      return (rows[0]?.n ?? 0) > 0 ? true : undefined;
    },
    10_000,
    `a session of ${role}`,
  );
}

/** Waits until none of the pids is on the server any more. */
export async function waitUntilGone(pg: TestPostgres, pids: number[]): Promise<void> {
  await eventually(
    async () => {
      const live = await livePids(pg);
      return pids.every((pid) => !live.has(pid)) ? true : undefined;
    },
    10_000,
    `pids ${pids.join(', ')} to exit`,
  );
}
