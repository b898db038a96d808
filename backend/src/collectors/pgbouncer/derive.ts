import { CollectResult, Sample, SnapshotRow } from '../types';
import { ADMIN_DATABASE } from './console';
import { possibleServerConnections } from './capacity';

/**
 * Rows of PgBouncer's SHOW commands. Integer columns arrive as numbers (int4) or strings
 * (int8/numeric); columns come and go between PgBouncer versions, so every one is optional.
 */
type Value = string | number | null | undefined;
export interface PoolRow {
  database?: Value;
  user?: Value;
  cl_active?: Value;
  cl_waiting?: Value;
  sv_active?: Value;
  sv_idle?: Value;
  sv_used?: Value;
  maxwait?: Value;
  maxwait_us?: Value;
  pool_mode?: Value;
  [column: string]: unknown;
}
export interface StatsRow {
  database?: Value;
  total_xact_count?: Value;
  total_query_count?: Value;
  avg_query_time?: Value;
  avg_wait_time?: Value;
  [column: string]: unknown;
}
export interface ClientRow {
  state?: Value;
  [column: string]: unknown;
}
export interface DatabaseRow {
  name?: Value;
  pool_size?: Value;
  /** reserve_pool_size in some versions. */
  reserve_pool?: Value;
  reserve_pool_size?: Value;
  /** max_db_connections; 0: unlimited. */
  max_connections?: Value;
  max_db_connections?: Value;
  force_user?: Value;
  [column: string]: unknown;
}
export interface KeyValueRow {
  key?: Value;
  value?: Value;
  [column: string]: unknown;
}
export interface ListRow {
  list?: Value;
  items?: Value;
  [column: string]: unknown;
}

export interface ConsoleRows {
  pools: PoolRow[];
  stats: StatsRow[];
  clients: ClientRow[];
  databases: DatabaseRow[];
  config: KeyValueRow[];
  lists: ListRow[];
}

const MICROSECONDS = 1_000_000;

export function num(value: unknown): number {
  const n =
    typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : 0;
}

const text = (value: unknown): string => (value === null || value === undefined ? '' : String(value));

/** The admin console is a pseudo-database: it has no server connections and is our own session. */
const isPool = (database: unknown) => text(database) !== ADMIN_DATABASE;

interface DatabaseTotals {
  clientsActive: number;
  clientsWaiting: number;
  serversActive: number;
  serversIdle: number;
  maxWaitSeconds: number;
}

/**
 * Everything the hot loop says about a PgBouncer from one round of SHOW commands. Pools are per
 * (database, user): metrics are summed per database (user names are never labels); the per-pool
 * detail is the pgbouncer_pools snapshot. `usableConnections`: what PostgreSQL accepts from
 * ordinary roles (max_connections minus the reserved slots).
 */
export function derivePgBouncer(rows: ConsoleRows, postgres: { usableConnections: number }): CollectResult {
  const samples: Sample[] = [{ metric: 'pgbouncer_up', labels: {}, value: 1 }];
  const push = (metric: string, value: number, labels: Record<string, string> = {}) =>
    samples.push({ metric, labels, value });

  const databases = rows.databases.filter((d) => isPool(d.name));
  const pools = rows.pools.filter((p) => isPool(p.database));
  const totals = new Map<string, DatabaseTotals>();
  const totalsOf = (database: string) => {
    let t = totals.get(database);
    if (!t)
      totals.set(
        database,
        (t = { clientsActive: 0, clientsWaiting: 0, serversActive: 0, serversIdle: 0, maxWaitSeconds: 0 }),
      );
    return t;
  };
  // Configured databases without a pool yet are reported as zeros, so their series do not come and go.
  for (const d of databases) totalsOf(text(d.name));
  for (const p of pools) {
    const t = totalsOf(text(p.database));
    t.clientsActive += num(p.cl_active);
    t.clientsWaiting += num(p.cl_waiting);
    t.serversActive += num(p.sv_active);
    t.serversIdle += num(p.sv_idle);
    t.maxWaitSeconds = Math.max(t.maxWaitSeconds, maxWaitSeconds(p));
  }
  for (const [database, t] of totals) {
    const labels = { database };
    push('pgbouncer_clients_active', t.clientsActive, labels);
    push('pgbouncer_clients_waiting', t.clientsWaiting, labels);
    push('pgbouncer_servers_active', t.serversActive, labels);
    push('pgbouncer_servers_idle', t.serversIdle, labels);
    push('pgbouncer_max_wait_seconds', t.maxWaitSeconds, labels);
  }

  for (const s of rows.stats.filter((row) => isPool(row.database))) {
    const labels = { database: text(s.database) };
    push('pgbouncer_queries_total', num(s.total_query_count), labels);
    push('pgbouncer_transactions_total', num(s.total_xact_count), labels);
    push('pgbouncer_avg_query_seconds', num(s.avg_query_time) / MICROSECONDS, labels);
    push('pgbouncer_avg_wait_seconds', num(s.avg_wait_time) / MICROSECONDS, labels);
  }

  for (const d of databases) push('pgbouncer_pool_size', num(d.pool_size), { database: text(d.name) });

  // Every client connection, the admin console's included: they all count against max_client_conn.
  const byState = new Map<string, number>();
  for (const c of rows.clients)
    byState.set(text(c.state) || 'unknown', (byState.get(text(c.state) || 'unknown') ?? 0) + 1);
  for (const [state, value] of byState) push('pgbouncer_clients', value, { state });

  const config = new Map(rows.config.map((r) => [text(r.key), r.value]));
  const maxClientConn = num(config.get('max_client_conn'));
  push('pgbouncer_max_client_conn', maxClientConn);
  push('pgbouncer_default_pool_size', num(config.get('default_pool_size')));
  if (maxClientConn > 0) push('pgbouncer_client_usage_ratio', rows.clients.length / maxClientConn);

  const lists = new Map(rows.lists.map((r) => [text(r.list), num(r.items)]));
  push('pgbouncer_servers_used', lists.get('used_servers') ?? 0);

  const possible = possibleServerConnections(
    databases.map((d) => ({
      name: text(d.name),
      poolSize: num(d.pool_size),
      reservePool: num(d.reserve_pool ?? d.reserve_pool_size),
      maxDbConnections: num(d.max_connections ?? d.max_db_connections),
      forceUser: text(d.force_user) !== '',
    })),
    pools.map((p) => text(p.database)),
  );
  push('pgbouncer_server_connections_possible', possible);
  push('pgbouncer_postgres_usable_connections', postgres.usableConnections);
  if (postgres.usableConnections > 0)
    push('pgbouncer_pool_capacity_ratio', possible / postgres.usableConnections);

  return { samples, snapshots: [{ kind: 'pgbouncer_pools', rows: pools.map(poolRow) }] };
}

/** maxwait is whole seconds and maxwait_us the microseconds on top of them. */
function maxWaitSeconds(p: PoolRow): number {
  return num(p.maxwait) + num(p.maxwait_us) / MICROSECONDS;
}

function poolRow(p: PoolRow): SnapshotRow {
  return {
    database: text(p.database),
    user: text(p.user),
    cl_active: num(p.cl_active),
    cl_waiting: num(p.cl_waiting),
    sv_active: num(p.sv_active),
    sv_idle: num(p.sv_idle),
    sv_used: num(p.sv_used),
    maxwait: maxWaitSeconds(p),
    pool_mode: p.pool_mode === null || p.pool_mode === undefined ? null : String(p.pool_mode),
  };
}
