import { counterMetrics } from '../define';
import { CollectorDefinition, CounterColumn } from '../types';

const counter = (column: string, metric: string, help: string, unit = 'short'): CounterColumn => ({
  column,
  metric,
  help,
  unit,
});

/** Every pg_stat_database counter exported, as `pg_database_<what>_total{datname}`. */
export const DATABASE_COUNTERS: CounterColumn[] = [
  counter('xact_commit', 'pg_database_xact_commit_total', 'Transactions committed'),
  counter('xact_rollback', 'pg_database_xact_rollback_total', 'Transactions rolled back'),
  counter(
    'blks_read',
    'pg_database_blks_read_total',
    'Blocks read from the OS (not found in shared buffers)',
  ),
  counter('blks_hit', 'pg_database_blks_hit_total', 'Blocks found in shared buffers'),
  counter(
    'tup_returned',
    'pg_database_tup_returned_total',
    'Live rows returned by sequential and index scans',
  ),
  counter('tup_fetched', 'pg_database_tup_fetched_total', 'Live rows fetched by index scans'),
  counter('tup_inserted', 'pg_database_tup_inserted_total', 'Rows inserted'),
  counter('tup_updated', 'pg_database_tup_updated_total', 'Rows updated'),
  counter('tup_deleted', 'pg_database_tup_deleted_total', 'Rows deleted'),
  counter('conflicts', 'pg_database_conflicts_total', 'Queries cancelled by recovery conflicts (standby)'),
  counter('temp_files', 'pg_database_temp_files_total', 'Temporary files created by queries'),
  counter(
    'temp_bytes',
    'pg_database_temp_bytes_total',
    'Bytes written to temporary files by queries',
    'bytes',
  ),
  counter('deadlocks', 'pg_database_deadlocks_total', 'Deadlocks detected'),
  counter(
    'checksum_failures',
    'pg_database_checksum_failures_total',
    'Data page checksum failures (only with data checksums on)',
  ),
  counter(
    'blk_read_time_seconds',
    'pg_database_blk_read_time_seconds_total',
    'Time spent reading data file blocks (track_io_timing)',
    's',
  ),
  counter(
    'blk_write_time_seconds',
    'pg_database_blk_write_time_seconds_total',
    'Time spent writing data file blocks (track_io_timing)',
    's',
  ),
  counter('session_time_seconds', 'pg_database_session_time_seconds_total', 'Time spent by sessions', 's'),
  counter(
    'active_time_seconds',
    'pg_database_active_time_seconds_total',
    'Time spent executing statements',
    's',
  ),
  counter(
    'idle_in_transaction_time_seconds',
    'pg_database_idle_in_transaction_time_seconds_total',
    'Time spent idle in transaction',
    's',
  ),
  counter('sessions', 'pg_database_sessions_total', 'Sessions established'),
  counter(
    'sessions_abandoned',
    'pg_database_sessions_abandoned_total',
    'Sessions ended because the client disconnected without saying so',
  ),
  counter('sessions_fatal', 'pg_database_sessions_fatal_total', 'Sessions ended by a fatal error'),
  counter('sessions_killed', 'pg_database_sessions_killed_total', 'Sessions terminated by an operator'),
];

/** Workload loop: per-database activity counters from pg_stat_database, sizes, TPS and cache hit ratio. */
export const databaseStatsDefinition: CollectorDefinition = {
  name: 'database_stats',
  loop: 'workload',
  description:
    'Per database: transactions, block reads and hits, tuples, temp files, deadlocks, conflicts, I/O and session time, sessions (pg_stat_database), size, and TPS and cache hit ratio over the interval',
  queries: ['database-stats'],
  metrics: [
    ...counterMetrics(DATABASE_COUNTERS, ['datname']),
    {
      name: 'pg_database_size_bytes',
      help: 'Database size on disk',
      type: 'gauge',
      unit: 'bytes',
      labels: ['datname'],
    },
    {
      name: 'pg_tps',
      help: 'Transactions (commits + rollbacks) per second over the last interval',
      type: 'gauge',
      unit: 'ops',
      labels: ['datname'],
    },
    {
      name: 'pg_cache_hit_ratio',
      help: 'Share of block accesses found in shared buffers over the last interval (absent when no block was accessed)',
      type: 'gauge',
      unit: 'percentunit',
      labels: ['datname'],
    },
  ],
};
