import { CounterReading, counterIncrease } from '../database-stats/counters';
import { WAL_COUNTERS } from '../../catalog/collectors/wal';
import { Sample } from '../types';

/** A row of sql/collectors/wal.pg*.sql (the same on every major). */
export interface WalRow {
  wal_records: number;
  wal_fpi: number;
  wal_bytes: number;
  wal_buffers_full: number;
  wal_write: number | null;
  wal_sync: number | null;
  wal_write_time_seconds: number | null;
  wal_sync_time_seconds: number | null;
  stats_reset_ms: number | null;
  /** NULL on a standby (pg_current_wal_lsn() is not available during recovery). */
  lsn_bytes: number | null;
  [key: string]: unknown;
}

/**
 * WAL counters as read, the current WAL position (primary only) and WAL bytes per second over
 * the interval. The rate is taken from wal_bytes alone: on 18 the write/sync counters come from
 * pg_stat_io, whose resets are independent and must not look like a reset of wal_bytes.
 */
export function deriveWal(
  row: WalRow,
  previous: CounterReading | undefined,
  now: number,
): { samples: Sample[]; reading: CounterReading } {
  const samples: Sample[] = [];
  for (const spec of WAL_COUNTERS) {
    const value = row[spec.column];
    if (typeof value === 'number') samples.push({ metric: spec.metric, labels: {}, value });
  }
  if (row.lsn_bytes !== null) samples.push({ metric: 'pg_wal_lsn_bytes', labels: {}, value: row.lsn_bytes });
  const reading: CounterReading = {
    at: now,
    epoch: String(row.stats_reset_ms ?? ''),
    values: { wal_bytes: row.wal_bytes },
  };
  const delta = counterIncrease(previous, reading);
  const bytes = delta?.increase.wal_bytes;
  if (delta && bytes !== undefined)
    samples.push({ metric: 'pg_wal_bytes_per_second', labels: {}, value: bytes / delta.seconds });
  return { samples, reading };
}
