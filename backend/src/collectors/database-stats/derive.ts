import { DATABASE_COUNTERS } from '../../catalog/collectors/database-stats';
import { Sample } from '../types';
import { CounterReading, counterIncrease, readValues, sumOf } from './counters';

/** A row of sql/collectors/database-stats.pg*.sql. */
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
