import { MetricDefinition, Sample } from '../types';
import { CounterReading, counterIncrease, readValues, sumOf } from './counters';

/** A row of sql/collectors/database_stats.pg*.sql. */
export interface DatabaseStatsRow {
  datid: number;
  datname: string;
  xact_commit: number;
  xact_rollback: number;
  blks_read: number;
  blks_hit: number;
  tup_returned: number;
  tup_fetched: number;
  tup_inserted: number;
  tup_updated: number;
  tup_deleted: number;
  conflicts: number;
  temp_files: number;
  temp_bytes: number;
  deadlocks: number;
  /** NULL when data checksums are off. */
  checksum_failures: number | null;
  blk_read_time_seconds: number;
  blk_write_time_seconds: number;
  session_time_seconds: number;
  active_time_seconds: number;
  idle_in_transaction_time_seconds: number;
  sessions: number;
  sessions_abandoned: number;
  sessions_fatal: number;
  sessions_killed: number;
  stats_reset_ms: number | null;
  /** NULL when the role may not see it. */
  size_bytes: number | null;
  [key: string]: unknown;
}

type CounterColumn = Exclude<
  keyof DatabaseStatsRow & string,
  'datid' | 'datname' | 'stats_reset_ms' | 'size_bytes'
>;

interface CounterSpec {
  column: CounterColumn;
  metric: string;
  help: string;
  unit: string;
}

const counter = (column: CounterColumn, metric: string, help: string, unit = 'short'): CounterSpec => ({
  column,
  metric,
  help,
  unit,
});

/** Every pg_stat_database counter exported, as `pg_database_<what>_total{datname}`. */
export const DATABASE_COUNTERS: CounterSpec[] = [
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

export const DATABASE_COUNTER_METRICS: MetricDefinition[] = DATABASE_COUNTERS.map((c) => ({
  name: c.metric,
  help: c.help,
  type: 'counter',
  unit: c.unit,
  labels: ['datname'],
}));

const COUNTER_COLUMNS = DATABASE_COUNTERS.map((c) => c.column);

/** Previous readings by database name, kept in context.state. */
export type DatabaseReadings = Map<string, CounterReading>;

/**
 * Counters, size and the interval gauges of each database. TPS and the cache hit ratio come from
 * the increases since the previous cycle: absent on the first cycle, and for the cache hit ratio
 * when no block was accessed (no ratio to speak of).
 */
export function deriveDatabaseStats(
  rows: DatabaseStatsRow[],
  previous: DatabaseReadings | undefined,
  now: number,
): { samples: Sample[]; readings: DatabaseReadings } {
  const samples: Sample[] = [];
  const readings: DatabaseReadings = new Map();
  for (const row of rows) {
    const labels = { datname: row.datname };
    const reading: CounterReading = {
      at: now,
      epoch: `${row.datid}:${row.stats_reset_ms ?? ''}`,
      values: readValues(row, COUNTER_COLUMNS),
    };
    readings.set(row.datname, reading);
    for (const spec of DATABASE_COUNTERS) {
      const value = reading.values[spec.column];
      if (value !== undefined) samples.push({ metric: spec.metric, labels, value });
    }
    if (row.size_bytes !== null)
      samples.push({ metric: 'pg_database_size_bytes', labels, value: row.size_bytes });

    const delta = counterIncrease(previous?.get(row.datname), reading);
    if (!delta) continue;
    const transactions = sumOf(delta.increase, ['xact_commit', 'xact_rollback']);
    if (transactions !== undefined)
      samples.push({ metric: 'pg_tps', labels, value: transactions / delta.seconds });
    const hit = delta.increase.blks_hit;
    const read = delta.increase.blks_read;
    if (hit !== undefined && read !== undefined && hit + read > 0) {
      samples.push({ metric: 'pg_cache_hit_ratio', labels, value: hit / (hit + read) });
    }
  }
  return { samples, readings };
}
