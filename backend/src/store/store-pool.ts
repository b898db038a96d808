import { Pool } from 'pg';
import { Logger } from 'pino';
import { createGuardedPool } from '../db/target-pool';

/** Reads and writes of the store end within this; a stuck statement must not hold a connection. */
const STATEMENT_TIMEOUT_MS = 30_000;

/** The connections to the history store: the writer uses one at a time, API reads the others. */
export function createStorePool(url: string, max: number, log: Logger): Pool {
  // An idle connection that the server closes (restart, failover) is reported; the pool drops it.
  return createGuardedPool(
    {
      connectionString: url,
      max,
      application_name: 'pg-governor-store',
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: 30_000,
      statement_timeout: STATEMENT_TIMEOUT_MS,
      keepAlive: true,
    },
    (error) => log.warn({ err: error }, 'history store connection lost'),
  );
}

/**
 * The one connection of a replica's target ownership (heartbeats, claims, releases): apart from
 * the writer's, so that a long flush never delays a heartbeat. A statement waits on no other
 * replica (target-ownership.ts), so a slow one means a busy store: it may take up to half a lease,
 * as a renewal that comes late but within the lease loses nothing; a transaction left open (a
 * frozen process, holding a row another replica's renewal waits on) ends within a heartbeat.
 */
export function createOwnershipPool(
  url: string,
  timing: { heartbeatMs: number; leaseMs: number },
  log: Logger,
): Pool {
  const timeout = Math.max(1000, timing.leaseMs / 2);
  return createGuardedPool(
    {
      connectionString: url,
      max: 1,
      application_name: 'pg-governor-ownership',
      connectionTimeoutMillis: timeout,
      idleTimeoutMillis: 60_000,
      statement_timeout: timeout,
      query_timeout: timeout + 1000,
      idle_in_transaction_session_timeout: Math.max(1000, timing.heartbeatMs),
      keepAlive: true,
    },
    (error) => log.debug({ err: error.message }, 'target ownership: store connection lost'),
  );
}
