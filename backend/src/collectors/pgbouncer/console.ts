import { Pool, PoolConfig } from 'pg';
import { parse } from 'pg-connection-string';
import { APPLICATION_NAME, createGuardedPool } from '../../db/target-pool';
import { StatementRunner } from '../context';

/** PgBouncer's virtual database for its admin console. */
export const ADMIN_DATABASE = 'pgbouncer';

export interface ConsoleLimits {
  connectTimeoutMs: number;
  /** Client-side: PgBouncer has no statement_timeout of its own to set. */
  queryTimeoutMs: number;
  idleTimeoutMs: number;
}

/**
 * Pool settings for PgBouncer's admin console: one connection, to database `pgbouncer` whatever
 * the DSN names (the console lives nowhere else). Not the target pool's settings: PgBouncer
 * refuses startup parameters it does not know (statement_timeout, lock_timeout, options), so only
 * application_name is sent, and the timeouts are client-side.
 */
export function pgBouncerConsoleConfig(dsn: string, limits: ConsoleLimits): PoolConfig {
  const parsed = parse(dsn);
  return {
    host: parsed.host ?? undefined,
    port: parsed.port ? Number(parsed.port) : 6432,
    user: parsed.user,
    password: parsed.password,
    database: ADMIN_DATABASE,
    ...(parsed.ssl !== undefined && parsed.ssl !== null ? { ssl: parsed.ssl as PoolConfig['ssl'] } : {}),
    max: 1,
    application_name: APPLICATION_NAME,
    connectionTimeoutMillis: limits.connectTimeoutMs,
    query_timeout: limits.queryTimeoutMs,
    idleTimeoutMillis: limits.idleTimeoutMs,
  };
}

/**
 * The admin console connection of one target's PgBouncer, kept open between cycles. Commands go
 * without bind parameters, so node-postgres uses the simple query protocol (the console does not
 * speak the extended one). A connection that failed a command is dropped, not reused.
 */
export class PgBouncerConsolePool implements StatementRunner {
  private readonly pool: Pool;

  constructor(config: PoolConfig, onIdleError: (error: Error) => void) {
    this.pool = createGuardedPool(config, onIdleError);
  }

  async query(text: string): Promise<{ rows: unknown[] }> {
    const client = await this.pool.connect();
    try {
      const result = await client.query(text);
      client.release();
      return result;
    } catch (error) {
      client.release(error as Error);
      throw error;
    }
  }

  async end(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}
