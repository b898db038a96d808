import { DATABASE_SIZES_INTERVAL_S, SIZE_RANKING_INTERVAL_S } from '../config/schema';
import { ServerInfo } from '../db/server-info';
import { sqlFile } from '../sql/sql-file';
import { inTransaction } from '../sql/transaction';
import { consoleCommand } from './pgbouncer/console-command';
import { queryFileFor } from '../sql/collector-variants';
import { CollectContext, CollectorState } from './types';

/** Anything that runs a statement: a pg Client or PoolClient. */
export interface StatementRunner {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/**
 * The context a collector runs in: its queries resolve to the SQL file for the server's major and
 * refuse to start once the loop's budget is spent. Shared by the scheduler and the tests.
 */
export function collectContext(options: {
  client: StatementRunner;
  target: string;
  server: ServerInfo;
  state: CollectorState;
  topN: CollectContext['topN'];
  queryText: CollectContext['queryText'];
  /** database_sizes.interval_s in ms; the configuration's default when not given. */
  databaseSizesIntervalMs?: number;
  /** size_ranking.interval_s in ms; the configuration's default when not given. */
  sizeRankingIntervalMs?: number;
  now: number;
  /** ms since epoch after which no new statement starts. */
  deadline: number;
  clock?: () => number;
  budgetLabel?: string;
  /** The target's PgBouncer admin console connection, for collectors whose source is 'pgbouncer'. */
  pgbouncer?: StatementRunner;
}): CollectContext {
  const clock = options.clock ?? Date.now;
  const checkBudget = () => {
    if (clock() > options.deadline) throw new Error(`${options.budgetLabel ?? 'loop'} budget spent`);
  };
  const bouncer = options.pgbouncer;
  return {
    target: options.target,
    server: options.server,
    topN: options.topN,
    queryText: options.queryText,
    databaseSizesIntervalMs: options.databaseSizesIntervalMs ?? DATABASE_SIZES_INTERVAL_S * 1000,
    sizeRankingIntervalMs: options.sizeRankingIntervalMs ?? SIZE_RANKING_INTERVAL_S * 1000,
    state: options.state,
    now: options.now,
    async query<Row extends Record<string, unknown>>(
      name: string,
      queryOptions: { params?: unknown[] } = {},
    ) {
      checkBudget();
      const file = queryFileFor(name, options.server.major);
      if (!file) throw new Error(`no ${name} query for PostgreSQL ${options.server.major}`);
      const result = await options.client.query(sqlFile(file), queryOptions.params);
      return result.rows as Row[];
    },
    async queryConfigured<Row extends Record<string, unknown>>(
      sql: string,
      queryOptions: { params?: unknown[]; timeoutMs: number },
    ) {
      checkBudget();
      const { client } = options;
      return inTransaction(
        client,
        async () => {
          await client.query(sqlFile('collectors/custom/lower-statement-timeout.sql'), [
            Math.max(1, Math.floor(queryOptions.timeoutMs)),
          ]);
          return (await client.query(sql, queryOptions.params)).rows as Row[];
        },
        { readOnly: true },
      );
    },
    budgetLeftMs: () => Math.max(0, options.deadline - clock()),
    ...(bouncer
      ? {
          pgbouncer: {
            async show<Row extends Record<string, unknown>>(name: string) {
              checkBudget();
              return (await bouncer.query(consoleCommand(name))).rows as Row[];
            },
          },
        }
      : {}),
  };
}
