import { counterMetrics } from '../define';
import { CollectorDefinition, CounterColumn } from '../types';

/** The pg_stat_wal counters exported as they read (write and sync from pg_stat_io on 18+). */
export const WAL_COUNTERS: CounterColumn[] = [
  { column: 'wal_records', metric: 'pg_wal_records_total', help: 'WAL records generated', unit: 'short' },
  { column: 'wal_fpi', metric: 'pg_wal_fpi_total', help: 'WAL full page images generated', unit: 'short' },
  { column: 'wal_bytes', metric: 'pg_wal_bytes_total', help: 'WAL bytes generated', unit: 'bytes' },
  {
    column: 'wal_buffers_full',
    metric: 'pg_wal_buffers_full_total',
    help: 'Times WAL was written to disk because the WAL buffers were full (wal_buffers too small)',
    unit: 'short',
  },
  { column: 'wal_write', metric: 'pg_wal_write_total', help: 'WAL writes to disk', unit: 'short' },
  { column: 'wal_sync', metric: 'pg_wal_sync_total', help: 'WAL syncs to disk', unit: 'short' },
  {
    column: 'wal_write_time_seconds',
    metric: 'pg_wal_write_time_seconds_total',
    help: 'Time spent writing WAL to disk (track_wal_io_timing)',
    unit: 's',
  },
  {
    column: 'wal_sync_time_seconds',
    metric: 'pg_wal_sync_time_seconds_total',
    help: 'Time spent syncing WAL to disk (track_wal_io_timing)',
    unit: 's',
  },
];

/**
 * Workload loop: WAL generation (pg_stat_wal, 14+), WAL write/sync counters (pg_stat_wal before
 * 18, pg_stat_io from 18) and the current WAL position on a primary. Runs on standbys too.
 */
export const walDefinition: CollectorDefinition = {
  name: 'wal',
  loop: 'workload',
  description:
    'WAL records, full page images, bytes, buffers-full events, writes and syncs (pg_stat_wal; pg_stat_io on 18+), WAL bytes per second, and the current WAL position on a primary',
  queries: ['wal'],
  metrics: [
    ...counterMetrics(WAL_COUNTERS, []),
    {
      name: 'pg_wal_bytes_per_second',
      help: 'WAL bytes generated per second over the last interval',
      type: 'gauge',
      unit: 'Bps',
      labels: [],
    },
    {
      name: 'pg_wal_lsn_bytes',
      help: 'Current WAL write position (pg_current_wal_lsn) in bytes; primary only',
      type: 'gauge',
      unit: 'bytes',
      labels: [],
    },
  ],
};
