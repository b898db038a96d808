import { CounterReading } from '../database-stats/counters';
import { Collector, MetricDefinition } from '../types';
import { deriveWal, WAL_COUNTERS, WalRow } from './derive';

const READING = 'reading';

/**
 * Workload loop: WAL generation (pg_stat_wal, 14+), WAL write/sync counters (pg_stat_wal before
 * 18, pg_stat_io from 18) and the current WAL position on a primary. Runs on standbys too.
 */
export const walCollector: Collector = {
  name: 'wal',
  loop: 'workload',
  description:
    'WAL records, full page images, bytes, buffers-full events, writes and syncs (pg_stat_wal; pg_stat_io on 18+), WAL bytes per second, and the current WAL position on a primary',
  queries: ['wal'],
  metrics: [
    ...WAL_COUNTERS.map((c): MetricDefinition => ({
      name: c.metric,
      help: c.help,
      type: 'counter',
      unit: c.unit,
      labels: [],
    })),
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
  async collect(context) {
    const [row] = await context.query<WalRow>('wal');
    if (!row) throw new Error('wal query returned no row');
    const { samples, reading } = deriveWal(
      row,
      context.state.get(READING) as CounterReading | undefined,
      context.now,
    );
    context.state.set(READING, reading);
    return { samples };
  },
};
