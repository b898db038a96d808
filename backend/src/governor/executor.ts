import { Pool } from 'pg';
import { Logger } from 'pino';
import { TargetConfig } from '../config/schema';
import { createTargetPool, governorConnections, targetPoolConfig } from '../db/target-pool';
import { sqlFile } from '../sql/sql-file';
import { ChosenAction } from './decision';
import { isConnectionLost, sqlState } from '../db/pg-errors';

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
 * The governor's hands on one target: a pool of one connection with the governor role
 * (governor_dsn), held open, whose every statement re-verifies and signals one backend (sql/governor).
 * Statements carry the target's statement_timeout and a client-side cut-off past it.
 */
export class PoolSignalExecutor implements SignalExecutor {
  private readonly pool: Pool | undefined;
  private warming: Promise<void> | undefined;

  constructor(
    private readonly target: TargetConfig,
    private readonly log: Logger,
  ) {
    if (governorConnections(target.connection) === 0) {
      log.warn(
        { target: target.name },
        'governor: connection.pool_max 1 leaves no connection to act with; the governor only observes',
      );
      return;
    }
    const config = { ...targetPoolConfig(target.governorDsn, target.connection, 1), idleTimeoutMillis: 0 };
    this.pool = createTargetPool(config, (error) =>
      log.debug({ target: target.name, err: error.message }, 'governor connection closed'),
    );
  }

  warm(): void {
    const pool = this.pool;
    if (!pool || this.warming || pool.totalCount > 0) return;
    this.warming = pool
      .connect()
      .then((client) => client.release())
      .catch((error: Error) =>
        this.log.debug({ target: this.target.name, err: error.message }, 'governor connection not opened'),
      )
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
