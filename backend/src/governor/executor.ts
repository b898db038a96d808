import { Pool } from 'pg';
import { Logger } from 'pino';
import { TargetConfig } from '../config/schema';
import { createGuardedPool, governorConnections, targetPoolConfig } from '../db/target-pool';
import { sqlFile } from '../sql/sql-file';
import { ChosenAction } from './decision';
import { isConnectionLost, sqlState } from '../db/pg-errors';
import { RepeatFilter } from '../lib/repeat-filter';

/**
 * signalled: the backend was re-verified and the signal sent. refused: re-verified, but the server
 * would not signal it (pg_*_backend returned false). not_reverified: the backend is gone, is
 * another one under the same pid, or no longer qualifies: nothing was sent. error: the statement
 * failed (no privilege, timeout, connection).
 */
export type SignalOutcome = 'signalled' | 'refused' | 'not_reverified' | 'error';

export interface SignalResult {
  outcome: SignalOutcome;
  error?: string;
  /** The error says the target did not answer (timeout, connection): try nothing more this cycle. */
  unreachable?: boolean;
  ms: number;
}

export interface SignalExecutor {
  signal(action: ChosenAction, allowSuperuser: boolean): Promise<SignalResult>;
  /** Opens the connection ahead of need (when the cluster is full, a new one may be refused). */
  warm(): void;
  close(): Promise<void>;
}

const SQL = { terminate: 'governor/terminate.sql', cancel: 'governor/cancel.sql' } as const;

function unreachable(error: unknown): boolean {
  // Beyond a lost session: any other operator intervention, or our statement cut by its timeout.
  const code = sqlState(error) ?? '';
  return (
    isConnectionLost(error) || code.startsWith('57P') || code === '57014' || /timeout/i.test(String(error))
  );
}

/**
 * The server notices a governor that vanished without closing its socket (host lost, partition)
 * within about 25 s rather than the OS's 2 hours: its session, and the lease held on it, end.
 */
const KEEPALIVES = ' -c tcp_keepalives_idle=10 -c tcp_keepalives_interval=5 -c tcp_keepalives_count=3';

/**
 * The governor's hands on one target: a pool of one connection with the governor role
 * (governor_dsn), held open, whose every statement re-verifies and signals one backend (sql/governor).
 * Statements carry the target's statement_timeout and a client-side cut-off past it. With `fenced`,
 * a signal goes out only on a session that holds the target's lease (sql/governor/lease.sql).
 */
export class PoolSignalExecutor implements SignalExecutor {
  private readonly pool: Pool | undefined;
  private warming: Promise<void> | undefined;
  private readonly warmError = new RepeatFilter();

  constructor(
    private readonly target: TargetConfig,
    private readonly log: Logger,
    private readonly fenced = true,
  ) {
    if (governorConnections(target.connection) === 0) {
      log.warn(
        { target: target.name },
        'governor: connection.pool_max 1 leaves no connection to act with; the governor only observes',
      );
      return;
    }
    const base = targetPoolConfig(target.governorDsn, target.connection, 1);
    const config = {
      ...base,
      idleTimeoutMillis: 0,
      keepAlive: true,
      options: `${base.options ?? ''}${KEEPALIVES}`,
    };
    this.pool = createGuardedPool(config, (error) =>
      log.debug({ target: target.name, err: error.message }, 'governor connection closed'),
    );
  }

  /**
   * The governor's one held session, for what else must run on it: the lease (so that it fences the
   * signals) and, while the monitor cannot see the target, the governor's own snapshot. Undefined
   * with pool_max 1 (no governor connection).
   */
  get session(): Pool | undefined {
    return this.pool;
  }

  warm(): void {
    const pool = this.pool;
    if (!pool || this.warming || pool.totalCount > 0) return;
    this.warming = pool
      .connect()
      .then((client) => client.release())
      .then(() => this.warmError.ok())
      // warn, once per reason: on a full server this is the documented limit (no slot for the role).
      .catch((error: Error) => {
        if (this.warmError.first(error.message))
          this.log.warn({ target: this.target.name, err: error.message }, 'governor connection not opened');
      })
      .finally(() => (this.warming = undefined));
  }

  async signal(action: ChosenAction, allowSuperuser: boolean): Promise<SignalResult> {
    const started = Date.now();
    if (!this.pool)
      return { outcome: 'error', error: 'no governor connection (connection.pool_max is 1)', ms: 0 };
    const q = action.requalify;
    try {
      const { rows } = await this.pool.query<{ signalled: boolean }>(sqlFile(SQL[action.action]), [
        action.pid,
        action.backendStartUs,
        q.states,
        action.applicationName,
        q.stateOlderThanS ?? null,
        q.queryOlderThanS ?? null,
        q.queryStartedByMs ?? null,
        allowSuperuser,
        this.fenced ? this.target.name : null,
      ]);
      const ms = Date.now() - started;
      if (rows.length === 0) return { outcome: 'not_reverified', ms };
      return { outcome: rows[0]?.signalled === true ? 'signalled' : 'refused', ms };
    } catch (error) {
      return {
        outcome: 'error',
        error: (error as Error).message,
        unreachable: unreachable(error),
        ms: Date.now() - started,
      };
    }
  }

  async close(): Promise<void> {
    await this.warming;
    await this.pool?.end().catch(() => undefined);
  }
}
