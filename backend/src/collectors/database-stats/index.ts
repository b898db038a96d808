import { Collector } from '../types';
import { DATABASE_COUNTER_METRICS, DatabaseReadings, DatabaseStatsRow, deriveDatabaseStats } from './derive';

/** Databases exported at most, busiest first (label cardinality on clusters with thousands of them). */
export const MAX_DATABASES = 200;
const READINGS = 'readings';

/** Workload loop: per-database activity counters from pg_stat_database, sizes, TPS and cache hit ratio. */
export const databaseStatsCollector: Collector = {
  name: 'database_stats',
  loop: 'workload',
  description:
    'Per database: transactions, block reads and hits, tuples, temp files, deadlocks, conflicts, I/O and session time, sessions (pg_stat_database), size, and TPS and cache hit ratio over the interval',
  queries: ['database_stats'],
  metrics: [
    ...DATABASE_COUNTER_METRICS,
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
  async collect(context) {
    const rows = await context.query<DatabaseStatsRow>('database_stats', { params: [MAX_DATABASES] });
    const previous = context.state.get(READINGS) as DatabaseReadings | undefined;
    const { samples, readings } = deriveDatabaseStats(rows, previous, context.now);
    context.state.set(READINGS, readings);
    return { samples };
  },
};
