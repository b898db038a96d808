import { counterMetrics } from '../define';
import { CollectorDefinition, CounterColumn } from '../types';

const io = (column: string, help: string, unit = 'short'): CounterColumn => ({
  column,
  metric: `pg_io_${column}_total`,
  help,
  unit,
});

/** The pg_stat_io counters exported as they read, as `pg_io_<what>_total{backend_type, object, context}`. */
export const IO_COUNTERS: CounterColumn[] = [
  io('reads', 'Read operations (one block each before 18; 18 may read several blocks at once)'),
  io('read_bytes', 'Bytes read', 'bytes'),
  io('read_time_seconds', 'Time spent in read operations (track_io_timing)', 's'),
  io('writes', 'Write operations'),
  io('write_bytes', 'Bytes written', 'bytes'),
  io('write_time_seconds', 'Time spent in write operations (track_io_timing)', 's'),
  io('writebacks', 'Blocks the process asked the kernel to write out to storage'),
  io('writeback_time_seconds', 'Time spent in writeback operations (track_io_timing)', 's'),
  io('extends', 'Relation extend operations (one block each before 18)'),
  io('extend_bytes', 'Bytes added by relation extends', 'bytes'),
  io('extend_time_seconds', 'Time spent in extend operations (track_io_timing)', 's'),
  io('hits', 'Times a wanted block was found in a buffer (shared; local for temp relations)'),
  io('evictions', 'Times a block was evicted from a buffer to make room for another'),
  io('reuses', 'Times a buffer of a ring (bulk read, bulk write, vacuum) was reused'),
  io(
    'fsyncs',
    "fsync calls (normally the checkpointer's; a client backend's mean the sync request queue was full)",
  ),
  io('fsync_time_seconds', 'Time spent in fsync calls (track_io_timing)', 's'),
];

/**
 * Workload loop (PostgreSQL 16+): I/O by backend type, object and context from pg_stat_io. WAL I/O
 * (object 'wal', 18+) is the wal collector's. Skipped on 14 and 15, which have no pg_stat_io.
 */
export const ioStatsDefinition: CollectorDefinition = {
  name: 'io_stats',
  loop: 'workload',
  description:
    'I/O by backend type, object (relation, temp relation) and context (normal, bulk read, bulk write, vacuum, init): reads, writes, extends and their bytes, buffer hits, evictions, ring reuses, writebacks and fsyncs, and their time with track_io_timing (pg_stat_io, PostgreSQL 16+)',
  queries: ['io-stats'],
  metrics: counterMetrics(IO_COUNTERS, ['backend_type', 'object', 'context']),
};
