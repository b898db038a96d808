import { queryPresenter } from '../query-text';
import { CollectResult, Sample, SnapshotRow } from '../types';
import { analyseBlocking } from './blocking-chains';

/** A row of sql/collectors/activity.pg*.sql. */
export interface ActivityRow {
  pid: number;
  backend_start_us: string;
  backend_type: string | null;
  datname: string | null;
  usename: string | null;
  application_name: string | null;
  client_addr: string | null;
  state: string | null;
  backend_start_ms: number | null;
  xact_start_ms: number | null;
  query_start_ms: number | null;
  state_change_ms: number | null;
  server_now_ms: number;
  wait_event_type: string | null;
  wait_event: string | null;
  query_id: string | null;
  query: string | null;
  blocking_pids: number[] | null;
  is_superuser: boolean;
  is_replication_role: boolean;
  is_self: boolean;
  [key: string]: unknown;
}

export interface ConnectionLimits {
  maxConnections: number;
  /** superuser_reserved_connections + reserved_connections (16+). */
  reserved: number;
  usable: number;
}

/** Applications exported by name; the rest are summed as "other" (label cardinality). */
export const MAX_APPLICATION_LABELS = 20;

const CLIENT = 'client backend';
const seconds = (fromMs: number | null, nowMs: number) =>
  fromMs === null ? null : Math.max(0, (nowMs - fromMs) / 1000);

function count(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** count() in the map of `outer` (created on first use): two keys without building a joined one. */
function countIn(maps: Map<string, Map<string, number>>, outer: string, key: string): void {
  let map = maps.get(outer);
  if (map === undefined) maps.set(outer, (map = new Map()));
  count(map, key);
}

function maxBy(map: Map<string, number>, key: string, value: number | null): void {
  if (value !== null) map.set(key, Math.max(map.get(key) ?? 0, value));
}

/** Everything the hot loop says about sessions, from one pg_stat_activity snapshot. */
export function deriveActivity(
  rows: ActivityRow[],
  limits: ConnectionLimits,
  queryText: { redact: boolean },
): CollectResult {
  const samples: Sample[] = [];
  const byDbState = new Map<string, Map<string, number>>();
  const byApp = new Map<string, Map<string, number>>();
  const byBackendType = new Map<string, number>();
  const waitingByType = new Map<string, number>();
  const oldestXact = new Map<string, number>();
  const longestQuery = new Map<string, number>();
  const longestIdleInXact = new Map<string, number>();
  const idleInXact = new Map<string, number>();
  let clients = 0;

  for (const r of rows) {
    count(byBackendType, r.backend_type ?? 'unknown');
    if (r.backend_type !== CLIENT) continue;
    clients += 1;
    const db = r.datname ?? '';
    const state = r.state ?? 'unknown';
    countIn(byDbState, db, state);
    countIn(byApp, r.application_name || 'unnamed', state);
    if (r.wait_event_type && state === 'active') count(waitingByType, r.wait_event_type);
    maxBy(oldestXact, db, seconds(r.xact_start_ms, r.server_now_ms));
    if (state === 'active' && !r.is_self) maxBy(longestQuery, db, seconds(r.query_start_ms, r.server_now_ms));
    if (state === 'idle in transaction' || state === 'idle in transaction (aborted)') {
      count(idleInXact, db);
      maxBy(longestIdleInXact, db, seconds(r.state_change_ms, r.server_now_ms));
    }
  }

  for (const [datname, states] of byDbState)
    for (const [state, value] of states)
      samples.push({ metric: 'pg_connections', labels: { datname, state }, value });
  const apps = [...byApp.entries()].sort((a, b) => total(b[1]) - total(a[1]));
  const other = new Map<string, number>();
  apps.forEach(([application, states], i) => {
    if (i < MAX_APPLICATION_LABELS) {
      for (const [state, value] of states)
        samples.push({ metric: 'pg_connections_by_application', labels: { application, state }, value });
    } else for (const [state, value] of states) other.set(state, (other.get(state) ?? 0) + value);
  });
  for (const [state, value] of other)
    samples.push({ metric: 'pg_connections_by_application', labels: { application: 'other', state }, value });
  for (const [backend_type, value] of byBackendType)
    samples.push({ metric: 'pg_backends', labels: { backend_type }, value });
  for (const [wait_event_type, value] of waitingByType)
    samples.push({ metric: 'pg_sessions_waiting', labels: { wait_event_type }, value });
  for (const [datname, value] of oldestXact)
    samples.push({ metric: 'pg_oldest_transaction_seconds', labels: { datname }, value });
  for (const [datname, value] of longestQuery)
    samples.push({ metric: 'pg_longest_query_seconds', labels: { datname }, value });
  for (const [datname, value] of idleInXact)
    samples.push({ metric: 'pg_idle_in_transaction_sessions', labels: { datname }, value });
  for (const [datname, value] of longestIdleInXact)
    samples.push({ metric: 'pg_longest_idle_in_transaction_seconds', labels: { datname }, value });

  samples.push(
    { metric: 'pg_max_connections', labels: {}, value: limits.maxConnections },
    { metric: 'pg_connections_reserved', labels: {}, value: limits.reserved },
    { metric: 'pg_connections_usable_max', labels: {}, value: limits.usable },
    { metric: 'pg_connections_used', labels: {}, value: clients },
    {
      metric: 'pg_connection_usage_ratio',
      labels: {},
      value: limits.usable > 0 ? clients / limits.usable : 1,
    },
  );

  const present = queryPresenter(queryText.redact);
  const blocking = blockingResult(rows, queryText.redact ? present : queryPresenter(true));
  samples.push(...blocking.samples);
  return {
    samples,
    snapshots: [
      { kind: 'sessions', rows: rows.map((r) => sessionRow(r, present)) },
      { kind: 'blocking', rows: blocking.rows },
    ],
  };
}

function total(states: Map<string, number>): number {
  let n = 0;
  for (const v of states.values()) n += v;
  return n;
}

/** Blocking chains; query texts always redacted (`present` redacts). */
function blockingResult(
  rows: ActivityRow[],
  present: (sql: string | null) => string | null,
): { samples: Sample[]; rows: SnapshotRow[] } {
  const analysis = analyseBlocking(
    rows
      .filter((r) => r.blocking_pids && r.blocking_pids.length > 0)
      .map((r) => ({ pid: r.pid, blockedBy: r.blocking_pids as number[] })),
  );
  // Sessions by pid only when some wait: the common cycle has no chain to describe.
  const byPid =
    analysis.links.length > 0 ? new Map(rows.map((r) => [r.pid, r])) : new Map<number, ActivityRow>();
  let longestWait = 0;
  const snapshotRows: SnapshotRow[] = analysis.links.map((link) => {
    const blocked = byPid.get(link.blockedPid);
    const root = byPid.get(link.rootPid);
    const wait = blocked ? (seconds(blocked.state_change_ms, blocked.server_now_ms) ?? 0) : 0;
    longestWait = Math.max(longestWait, wait);
    return {
      blocked_pid: link.blockedPid,
      blocker_pid: link.blockerPid,
      root_pid: link.rootPid,
      depth: link.depth,
      wait_seconds: wait,
      datname: blocked?.datname ?? null,
      blocked_user: blocked?.usename ?? null,
      blocked_application: blocked?.application_name ?? null,
      blocked_wait_event: blocked?.wait_event ?? null,
      blocked_query: present(blocked?.query ?? null),
      root_user: root?.usename ?? null,
      root_application: root?.application_name ?? null,
      root_state: root?.state ?? null,
      root_transaction_seconds: root ? seconds(root.xact_start_ms, root.server_now_ms) : null,
      root_query: present(root?.query ?? null),
    };
  });
  return {
    samples: [
      { metric: 'pg_blocked_sessions', labels: {}, value: analysis.links.length },
      { metric: 'pg_blocking_root_sessions', labels: {}, value: analysis.roots.length },
      { metric: 'pg_blocking_chain_max_depth', labels: {}, value: analysis.maxDepth },
      { metric: 'pg_lock_wait_longest_seconds', labels: {}, value: longestWait },
    ],
    rows: snapshotRows,
  };
}

function sessionRow(r: ActivityRow, present: (sql: string | null) => string | null): SnapshotRow {
  return {
    pid: r.pid,
    backend_start_us: r.backend_start_us,
    backend_type: r.backend_type,
    datname: r.datname,
    usename: r.usename,
    application_name: r.application_name,
    client_addr: r.client_addr,
    state: r.state,
    backend_start: r.backend_start_ms,
    xact_start: r.xact_start_ms,
    query_start: r.query_start_ms,
    state_change: r.state_change_ms,
    transaction_seconds: seconds(r.xact_start_ms, r.server_now_ms),
    query_seconds: seconds(r.query_start_ms, r.server_now_ms),
    state_seconds: seconds(r.state_change_ms, r.server_now_ms),
    wait_event_type: r.wait_event_type,
    wait_event: r.wait_event,
    query_id: r.query_id,
    query: present(r.query),
    blocking_pids: r.blocking_pids && r.blocking_pids.length > 0 ? r.blocking_pids.join(',') : null,
    is_superuser: r.is_superuser,
    is_replication_role: r.is_replication_role,
    is_self: r.is_self,
  };
}
