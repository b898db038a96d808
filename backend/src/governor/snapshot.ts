import { Cell, Observation, SnapshotRow } from '../collectors/types';

/** The collector whose observations the governor decides on, and its snapshot of every backend. */
export const ACTIVITY_COLLECTOR = 'activity';
const SESSIONS = 'sessions';

/** pg_stat_activity.state values, grouped as the governor's rules and re-verification use them. */
export const IDLE = ['idle'];
export const IDLE_IN_TRANSACTION = ['idle in transaction', 'idle in transaction (aborted)'];
export const ACTIVE = ['active', 'fastpath function call'];

/** One backend as the activity collector's 'sessions' snapshot shows it. */
export interface GovernedSession {
  pid: number;
  /** With pid, identifies the backend exactly: a reused pid has another start. */
  backendStartUs: string;
  backendType: string | null;
  datname: string | null;
  usename: string | null;
  applicationName: string | null;
  state: string | null;
  /** Seconds in the current state (since state_change). */
  stateSeconds: number | null;
  transactionSeconds: number | null;
  querySeconds: number | null;
  /** query_start in ms on the server's clock: tells one query of a session from the next. */
  queryStartMs: number | null;
  /** Last statement, redacted as the collector presents it. */
  query: string | null;
  isSuperuser: boolean;
  isReplicationRole: boolean;
  /** The collector's own connection. */
  isSelf: boolean;
}

/** What the governor decides on: one pg_stat_activity snapshot and the usage computed from it. */
export interface ActivitySnapshot {
  target: string;
  /** ms since epoch, when the cycle that took it started. */
  time: number;
  sessions: GovernedSession[];
  /** Client backends. */
  used: number;
  /** max_connections minus the reserved slots. */
  usable: number;
  /** used / usable, as pg_connection_usage_ratio. */
  usage: number;
}

const text = (cell: Cell | undefined): string | null =>
  cell === null || cell === undefined ? null : String(cell);
const num = (cell: Cell | undefined): number | null =>
  typeof cell === 'number' && Number.isFinite(cell) ? cell : null;

function sessionOf(row: SnapshotRow): GovernedSession | undefined {
  const pid = num(row.pid);
  const backendStartUs = text(row.backend_start_us);
  // Without its exact identity a backend can never be re-verified, so it is never a candidate.
  if (pid === null || backendStartUs === null) return undefined;
  return {
    pid,
    backendStartUs,
    backendType: text(row.backend_type),
    datname: text(row.datname),
    usename: text(row.usename),
    applicationName: text(row.application_name),
    state: text(row.state),
    stateSeconds: num(row.state_seconds),
    transactionSeconds: num(row.transaction_seconds),
    querySeconds: num(row.query_seconds),
    queryStartMs: num(row.query_start),
    query: text(row.query),
    isSuperuser: row.is_superuser === true,
    isReplicationRole: row.is_replication_role === true,
    isSelf: row.is_self === true,
  };
}

function sampleValue(observation: Observation, metric: string): number | undefined {
  return observation.samples.find((s) => s.metric === metric)?.value;
}

/** The governor's view of an activity observation; undefined for any other observation. */
export function activitySnapshotOf(observation: Observation): ActivitySnapshot | undefined {
  if (observation.collector !== ACTIVITY_COLLECTOR) return undefined;
  const rows = observation.snapshots.find((s) => s.kind === SESSIONS)?.rows;
  const used = sampleValue(observation, 'pg_connections_used');
  const usable = sampleValue(observation, 'pg_connections_usable_max');
  const usage = sampleValue(observation, 'pg_connection_usage_ratio');
  if (!rows || used === undefined || usable === undefined || usage === undefined) return undefined;
  return {
    target: observation.target,
    time: observation.time,
    sessions: rows.flatMap((row) => sessionOf(row) ?? []),
    used,
    usable,
    usage,
  };
}
