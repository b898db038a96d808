import { sqlFile } from '../sql/sql-file';
import type { Queryable } from './privileges';
import { PgStatStatementsStatus, probePgStatStatements } from './server-info-pg-stat-statements';

export interface ServerInfo {
  /** server_version_num, e.g. 160004. */
  versionNum: number;
  major: number;
  /** Short server_version, e.g. '16.4' (distributions append their own text). */
  version: string;
  inRecovery: boolean;
  currentUser: string;
  database: string;
  maxConnections: number;
  superuserReservedConnections: number;
  /** Slots kept for pg_use_reserved_connections members; 0 before PostgreSQL 16. */
  reservedConnections: number;
  /** Connections ordinary roles can open: max_connections minus both reserves. */
  usableConnections: number;
  isSuperuser: boolean;
  /** Member of pg_signal_backend (or superuser): can cancel and terminate other roles' sessions. */
  canSignalBackends: boolean;
  /** Member of pg_read_all_stats, pg_monitor included (or superuser): sees every session in full. */
  canReadAllStats: boolean;
  pgStatStatements: PgStatStatementsStatus;
}

type Row = Record<string, unknown>;

/** A column of server-info.sql, checked: a wrong type means the SQL and this code disagree. */
function read<T>(row: Row, name: string, check: (value: unknown) => value is T): T {
  const value = row[name];
  if (!check(value)) throw new Error(`server-info.sql: unexpected ${typeof value} in column ${name}`);
  return value;
}
const isText = (value: unknown): value is string => typeof value === 'string';
const isInt = (value: unknown): value is number => Number.isInteger(value);
const isBool = (value: unknown): value is boolean => typeof value === 'boolean';

/**
 * What the target is and what the connected role may do there. Call it on a client that is not
 * in a transaction: the pg_stat_statements probe may fail, by design.
 */
export async function inspectServer(client: Queryable): Promise<ServerInfo> {
  const { rows } = await client.query(sqlFile('target/server-info.sql'));
  const row = rows[0];
  if (!row) throw new Error('server-info.sql returned no row (is the connected role in pg_roles?)');
  const versionNum = read(row, 'version_num', isInt);
  const database = read(row, 'database', isText);
  const maxConnections = read(row, 'max_connections', isInt);
  const superuserReservedConnections = read(row, 'superuser_reserved_connections', isInt);
  const reservedConnections = read(row, 'reserved_connections', isInt);
  return {
    versionNum,
    major: Math.floor(versionNum / 10_000),
    version: read(row, 'version', isText),
    inRecovery: read(row, 'in_recovery', isBool),
    currentUser: read(row, 'role_name', isText),
    database,
    maxConnections,
    superuserReservedConnections,
    reservedConnections,
    usableConnections: Math.max(0, maxConnections - superuserReservedConnections - reservedConnections),
    isSuperuser: read(row, 'is_superuser', isBool),
    canSignalBackends: read(row, 'can_signal_backends', isBool),
    canReadAllStats: read(row, 'can_read_all_stats', isBool),
    pgStatStatements: await probePgStatStatements(client, database),
  };
}
