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
