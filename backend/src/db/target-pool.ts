import { readFileSync } from 'node:fs';
import { ConnectionOptions } from 'node:tls';
import { Pool, PoolClient, PoolConfig } from 'pg';
import { parse } from 'pg-connection-string';
import { MAX_CONNECTIONS_PER_TARGET, MIN_STATEMENT_TIMEOUT_MS } from '../config/safety-caps';
import { ConnectionSettings, TlsSettings } from '../config/schema';

/** Every session the product opens on a target says who it is, so DBAs and the governor can tell. */
export const APPLICATION_NAME = 'pg-governor';

/** Our own sessions never sit in an open transaction for long, whatever happens to the process. */
const IDLE_IN_TRANSACTION_TIMEOUT_MS = 10_000;
/** Client-side cut-off past statement_timeout, for a server or network that stops answering. */
const QUERY_TIMEOUT_GRACE_MS = 2000;

function tlsOptions(tls: TlsSettings): boolean | ConnectionOptions {
  const files: ConnectionOptions = {
    ...(tls.ca_file ? { ca: readFileSync(tls.ca_file, 'utf8') } : {}),
    ...(tls.cert_file ? { cert: readFileSync(tls.cert_file, 'utf8') } : {}),
    ...(tls.key_file ? { key: readFileSync(tls.key_file, 'utf8') } : {}),
  };
  switch (tls.mode) {
    case 'disable':
      return false;
    case 'require':
      return { ...files, rejectUnauthorized: false };
    case 'verify-ca':
      // The chain is verified; the host name is not (libpq's verify-ca).
      return { ...files, rejectUnauthorized: true, checkServerIdentity: () => undefined };
    default:
      return { ...files, rejectUnauthorized: true };
  }
}

/**
 * Pool settings for a target, with the safety limits applied here too so that no caller can
 * open a pool past them, whatever configuration object it was handed.
 */
export function targetPoolConfig(
  dsn: string,
  connection: ConnectionSettings,
  max = connection.pool_max,
): PoolConfig {
  const parsed = parse(dsn);
  const statementTimeout = Math.max(connection.statement_timeout_ms, MIN_STATEMENT_TIMEOUT_MS);
  const ssl = connection.tls.mode ? tlsOptions(connection.tls) : parsed.ssl;
  return {
    host: parsed.host ?? undefined,
    port: parsed.port ? Number(parsed.port) : 5432,
    user: parsed.user,
    password: parsed.password,
    database: parsed.database ?? undefined,
    ...(ssl !== undefined && ssl !== null ? { ssl: ssl as PoolConfig['ssl'] } : {}),
    max: Math.min(max, MAX_CONNECTIONS_PER_TARGET),
    application_name: APPLICATION_NAME,
    statement_timeout: statementTimeout,
    lock_timeout: Math.min(connection.lock_timeout_ms, statementTimeout),
    idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_TIMEOUT_MS,
    query_timeout: statementTimeout + QUERY_TIMEOUT_GRACE_MS,
    connectionTimeoutMillis: connection.connect_timeout_ms,
    idleTimeoutMillis: connection.idle_timeout_ms,
    // No parallel workers: a monitoring query must not take worker slots from the application.
    // Read-only: belt and braces next to the privilege check.
    options: `-c max_parallel_workers_per_gather=0${connection.read_only ? ' -c default_transaction_read_only=on' : ''}`,
  };
}

/**
 * pool_max counts every connection to a target. The governor keeps one of them for its own pool
 * (governor_dsn, held open so that it is there when the cluster is full); the collectors get the
 * rest. With pool_max 1 the collectors keep it and the governor can only observe.
 */
export function governorConnections(connection: ConnectionSettings): 0 | 1 {
  return Math.min(connection.pool_max, MAX_CONNECTIONS_PER_TARGET) >= 2 ? 1 : 0;
}

export function collectorConnections(connection: ConnectionSettings): number {
  return Math.min(connection.pool_max, MAX_CONNECTIONS_PER_TARGET) - governorConnections(connection);
}

/**
 * A pool whose connection errors (server restart, terminated session) are reported, never thrown.
 * pg-pool listens for errors only on idle clients: a checked-out client whose server goes away
 * between two statements emits 'error' with no listener, which would crash the process. Every
 * client therefore gets a listener of its own; its next statement fails and the pool drops it.
 * Idle clients' errors still reach onError through the pool.
 */
export function createGuardedPool(config: PoolConfig, onError: (error: Error) => void): Pool {
  const pool = new Pool(config);
  pool.on('error', onError);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

type ConnectCallback = (
  error: Error | undefined,
  client: PoolClient | undefined,
  done: (release?: Error | boolean) => void,
) => void;

/**
 * Keeps at most one idle connection in the pool: a connection released while another one is idle
 * is closed at once instead of idling until idle_timeout_ms. Loops that overlap (the hot loop
 * ticking during a storage cycle) open a second connection for the overlap only, so in steady state
 * one connection serves every loop of a target; the last one still closes after idle_timeout_ms.
 */
export function keepOneIdle(pool: Pool): Pool {
  const connect = pool.connect.bind(pool) as {
    (): Promise<PoolClient>;
    (callback: ConnectCallback): void;
  };
  const wrap = (client: PoolClient): PoolClient => {
    const release = client.release;
    client.release = (error?: Error | boolean) => release(error ?? (pool.idleCount > 0 ? true : undefined));
    return client;
  };
  function keeping(): Promise<PoolClient>;
  function keeping(callback: ConnectCallback): void;
  function keeping(callback?: ConnectCallback): Promise<PoolClient> | void {
    if (!callback) return connect().then(wrap);
    connect((error, client, done) => {
      if (client) callback(error, wrap(client), (release) => client.release(release));
      else callback(error, client, done);
    });
  }
  pool.connect = keeping as Pool['connect'];
  return pool;
}
