import { Client } from 'pg';
import { collectContext } from '../../backend/src/collectors/context';
import { PgBouncerConsolePool, pgBouncerConsoleConfig } from '../../backend/src/collectors/pgbouncer/console';
import { CollectResult, Collector, CollectorState, Sample } from '../../backend/src/collectors/types';
import { inspectServer } from '../../backend/src/db/server-info';

/**
 * Runs one collector cycle against a real server, as the scheduler would (same context, same SQL
 * file selection), without the rest of the service. Pass the same `state` to a second call to
 * test deltas between cycles. With `pgbouncerAdminUrl`, the context's PgBouncer is that admin
 * console (for the PgBouncer collector). `onQuery` sees the statements it runs, so a test counts them
 * from outside rather than through counters kept in production code.
 */
export async function collectOnce(
  url: string,
  collector: Collector,
  options: {
    state?: CollectorState;
    topN?: Partial<{ statements: number; relations: number; indexes: number }>;
    redact?: boolean;
    budgetMs?: number;
    /** size_ranking.interval_s in ms (the relations collector's ranking by size); the default when not given. */
    sizeRankingIntervalMs?: number;
    target?: string;
    pgbouncerAdminUrl?: string;
    /** Called with each sql/collectors file the collector runs and its bind parameters. */
    onQuery?: (name: string, params: unknown[] | undefined) => void;
  } = {},
): Promise<CollectResult> {
  const client = new Client({ connectionString: url, application_name: 'pg-governor' });
  await client.connect();
  const pgbouncer = options.pgbouncerAdminUrl
    ? new PgBouncerConsolePool(
        pgBouncerConsoleConfig(options.pgbouncerAdminUrl, {
          connectTimeoutMs: 2000,
          queryTimeoutMs: 2000,
          idleTimeoutMs: 1000,
        }),
        () => undefined,
      )
    : undefined;
  try {
    const server = await inspectServer(client);
    const now = Date.now();
    const context = collectContext({
      client,
      ...(pgbouncer ? { pgbouncer } : {}),
      target: options.target ?? 'test',
      server,
      state: options.state ?? new Map(),
      topN: { statements: 50, relations: 50, indexes: 50, ...options.topN },
      queryText: { maxLength: 1024, redact: options.redact ?? true },
      now,
      deadline: now + (options.budgetMs ?? 60_000),
      ...(options.sizeRankingIntervalMs === undefined
        ? {}
        : { sizeRankingIntervalMs: options.sizeRankingIntervalMs }),
    });
    const { onQuery } = options;
    if (onQuery) {
      const query = context.query.bind(context);
      context.query = (name, queryOptions) => {
        onQuery(name, queryOptions?.params);
        return query(name, queryOptions);
      };
    }
    return await collector.collect(context);
  } finally {
    await pgbouncer?.end();
    await client.end();
  }
}

/** The samples of one metric, for assertions. */
export function samplesOf(result: CollectResult, metric: string): Sample[] {
  return result.samples.filter((s) => s.metric === metric);
}

/** The value of the one sample of a metric whose labels include the given ones. */
export function valueOf(
  result: CollectResult,
  metric: string,
  labels: Record<string, string> = {},
): number | undefined {
  return samplesOf(result, metric).find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    ?.value;
}
