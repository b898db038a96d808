import { CollectorDefinition } from '../types';
import { metric } from '../define';

const PER_STATEMENT = ['datname', 'queryid'];

/** Workload loop: the Top-N statements of pg_stat_statements, with deltas between cycles. */
export const statementsDefinition: CollectorDefinition = {
  name: 'statements',
  loop: 'workload',
  description:
    'Top-N statements of pg_stat_statements by total time, calls and shared blocks read: counters, mean and approximate p95 time per query id, calls and time in the last interval, redacted query text',
  queries: ['statements', 'statements-text'],
  metrics: [
    metric(
      'counter',
      'pg_statement_calls_total',
      'Calls of the statement (Top-N entries summed per database and query id)',
      'short',
      PER_STATEMENT,
    ),
    metric(
      'counter',
      'pg_statement_exec_time_seconds_total',
      'Execution time of the statement',
      's',
      PER_STATEMENT,
    ),
    metric(
      'counter',
      'pg_statement_rows_total',
      'Rows returned or affected by the statement',
      'short',
      PER_STATEMENT,
    ),
    metric(
      'counter',
      'pg_statement_shared_blks_read_total',
      'Shared blocks the statement read (not found in shared buffers)',
      'short',
      PER_STATEMENT,
    ),
    metric(
      'counter',
      'pg_statement_shared_blks_hit_total',
      'Shared blocks the statement found in shared buffers',
      'short',
      PER_STATEMENT,
    ),
    metric(
      'counter',
      'pg_statement_temp_blks_written_total',
      'Temporary blocks the statement wrote (sorts and hashes spilled to disk)',
      'short',
      PER_STATEMENT,
    ),
    metric(
      'gauge',
      'pg_statement_mean_time_seconds',
      'Mean execution time since the entry was last reset',
      's',
      PER_STATEMENT,
    ),
    metric(
      'gauge',
      'pg_statement_p95_time_seconds',
      'Approximate 95th percentile of execution time since the last reset (lognormal fit of mean and stddev, clamped to min and max)',
      's',
      PER_STATEMENT,
    ),
    metric(
      'gauge',
      'pg_statements_tracked',
      'Entries in pg_stat_statements (against pg_stat_statements.max)',
      'short',
      [],
    ),
    metric(
      'counter',
      'pg_statements_dealloc_total',
      'Times pg_stat_statements evicted its least-used entries because it was full',
      'short',
      [],
    ),
  ],
  snapshots: [
    {
      kind: 'top_statements',
      description:
        'Top-N pg_stat_statements entries (per user, database, query id, top-level flag), by total time, calls and blocks read',
      columns: [
        { name: 'queryid', type: 'string' },
        { name: 'datname', type: 'string' },
        { name: 'user', type: 'string' },
        { name: 'toplevel', type: 'boolean', description: 'false: run inside a function or procedure' },
        { name: 'calls', type: 'number', unit: 'short' },
        { name: 'total_time_ms', type: 'number', unit: 'ms' },
        { name: 'mean_time_ms', type: 'number', unit: 'ms' },
        {
          name: 'p95_time_ms',
          type: 'number',
          unit: 'ms',
          description: 'approximate: lognormal fit of mean and stddev, clamped to min and max',
        },
        { name: 'stddev_time_ms', type: 'number', unit: 'ms' },
        { name: 'min_time_ms', type: 'number', unit: 'ms' },
        { name: 'max_time_ms', type: 'number', unit: 'ms' },
        { name: 'rows', type: 'number', unit: 'short' },
        { name: 'shared_blks_hit', type: 'number', unit: 'short' },
        { name: 'shared_blks_read', type: 'number', unit: 'short' },
        { name: 'temp_blks_read', type: 'number', unit: 'short' },
        { name: 'temp_blks_written', type: 'number', unit: 'short' },
        { name: 'blk_read_time_ms', type: 'number', unit: 'ms', description: 'needs track_io_timing' },
        { name: 'blk_write_time_ms', type: 'number', unit: 'ms', description: 'needs track_io_timing' },
        { name: 'wal_bytes', type: 'number', unit: 'bytes' },
        {
          name: 'plans',
          type: 'number',
          unit: 'short',
          description: 'needs pg_stat_statements.track_planning',
        },
        {
          name: 'total_plan_time_ms',
          type: 'number',
          unit: 'ms',
          description: 'needs pg_stat_statements.track_planning',
        },
        {
          name: 'interval_s',
          type: 'number',
          unit: 's',
          description: 'length of the last interval (server clock)',
        },
        {
          name: 'interval_calls',
          type: 'number',
          unit: 'short',
          description: 'calls in the last interval; empty when unknown (entry new to the Top-N)',
        },
        {
          name: 'interval_time_ms',
          type: 'number',
          unit: 'ms',
          description: 'execution time in the last interval',
        },
        {
          name: 'query',
          type: 'string',
          description: 'normalised text, literals redacted unless configured otherwise',
        },
      ],
    },
  ],
};
