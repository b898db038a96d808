import { Catalog } from '../../../catalog/catalog';
import { DashboardSpec, UIDS } from '../model';
import { PanelKit } from '../panels';

export function queriesDashboard(catalog: Catalog): DashboardSpec {
  const kit = new PanelKit(catalog, false);
  const db = { datname: '$database' };
  // The busiest over the range, not the first 10 by query id.
  const perStatement = { filters: db, legend: '{{datname}} {{queryid}}', limit: 10, top: 'avg' } as const;
  const perBackendType = {
    groupBy: ['backend_type'],
    aggregation: 'sum' as const,
    legend: '{{backend_type}}',
  };
  const hidden = ['toplevel', 'stddev_time_ms', 'min_time_ms', 'plans', 'total_plan_time_ms', 'interval_s'];
  return {
    uid: UIDS.queries,
    file: 'query-performance.json',
    title: 'PG Governor / Query performance',
    description:
      'Top statements (pg_stat_statements) by time, calls and I/O, their latency and temp spill; I/O by backend type (pg_stat_io)',
    annotationKinds: ['alerts', 'settings_drift'],
    panels: [
      kit.table({
        title: 'Top statements by total time',
        description: 'Statements that used the most execution time since the statistics reset.',
        w: 24,
        h: 10,
        table: 'top_statements',
        filters: db,
        orderBy: 'total_time_ms',
        limit: 25,
        hide: hidden,
      }),
      kit.timeseries(
        {
          title: 'Execution time by statement',
          description: 'Execution time per second of wall time: 1 = one backend busy all the time.',
          w: 12,
          h: 8,
          stack: true,
        },
        [kit.series('pg_statement_exec_time_seconds_total', perStatement)],
      ),
      kit.timeseries(
        {
          title: 'Calls by statement',
          description: 'Calls per second of the busiest statements.',
          w: 12,
          h: 8,
        },
        [kit.series('pg_statement_calls_total', perStatement)],
      ),
      kit.timeseries(
        {
          title: 'Latency: mean and p95',
          description: 'Mean and approximate 95th percentile of execution time per statement.',
          w: 12,
          h: 8,
          thresholds: ['green', [1, 'orange'], [5, 'red']],
        },
        [
          kit.series('pg_statement_mean_time_seconds', { ...perStatement, legend: 'mean {{queryid}}' }),
          kit.series('pg_statement_p95_time_seconds', { ...perStatement, legend: 'p95 {{queryid}}' }),
        ],
      ),
      kit.timeseries(
        {
          title: 'Temp spill by statement',
          description: 'Temporary blocks written per second: sorts and hashes that did not fit in work_mem.',
          w: 12,
          h: 8,
        },
        [kit.series('pg_statement_temp_blks_written_total', perStatement)],
      ),
      kit.table({
        title: 'Top statements by calls',
        description: 'The most frequently called statements.',
        w: 12,
        h: 9,
        table: 'top_statements',
        filters: db,
        orderBy: 'calls',
        limit: 15,
        hide: hidden,
      }),
      kit.table({
        title: 'Top statements by blocks read',
        description: 'Statements that read the most blocks from outside shared buffers (I/O).',
        w: 12,
        h: 9,
        table: 'top_statements',
        filters: db,
        orderBy: 'shared_blks_read',
        limit: 15,
        hide: hidden,
      }),
      kit.timeseries(
        {
          title: 'Temporary files written',
          description: 'Bytes written to temporary files per second, by database.',
          w: 8,
          h: 8,
        },
        [kit.series('pg_database_temp_bytes_total', { filters: db, legend: '{{datname}}' })],
      ),
      kit.timeseries(
        {
          title: 'Cache hit ratio',
          description: 'Share of block accesses found in shared buffers over the last interval.',
          w: 8,
          h: 8,
          unit: 'percentunit',
          max: 1,
          thresholds: ['red', [0.9, 'orange'], [0.99, 'green']],
        },
        [kit.series('pg_cache_hit_ratio', { filters: db, legend: '{{datname}}' })],
      ),
      kit.stat(
        {
          title: 'pg_stat_statements entries',
          description: 'Tracked entries and evictions per second (evictions: raise pg_stat_statements.max).',
          w: 8,
          h: 8,
          thresholds: ['green'],
        },
        [
          kit.series('pg_statements_tracked', { legend: 'entries' }),
          kit.series('pg_statements_dealloc_total', { legend: 'evictions/s' }),
        ],
      ),
      kit.timeseries(
        {
          title: 'Reads by backend type',
          description:
            'Bytes read per second by process type, from the OS or disk (not found in shared buffers), relations and temp relations in every context. PostgreSQL 16+ (pg_stat_io); empty on older servers.',
          w: 12,
          h: 8,
          stack: true,
        },
        [kit.series('pg_io_read_bytes_total', perBackendType)],
      ),
      kit.timeseries(
        {
          title: 'Writes by backend type',
          description:
            'Bytes written per second by process type. The checkpointer and the background writer should do most of it; client backends writing in the normal context had to clean buffers themselves (raise shared_buffers, or bgwriter_lru_maxpages). PostgreSQL 16+.',
          w: 12,
          h: 8,
          stack: true,
        },
        [kit.series('pg_io_write_bytes_total', perBackendType)],
      ),
      kit.timeseries(
        {
          title: 'Buffer evictions by context',
          description:
            'Buffers evicted per second to make room for another block. Steady evictions in the normal context: the working set does not fit in shared_buffers. Bulk reads, bulk writes and vacuum use small buffer rings and evict by design. PostgreSQL 16+.',
          w: 12,
          h: 8,
        },
        [
          kit.series('pg_io_evictions_total', {
            groupBy: ['context'],
            aggregation: 'sum',
            legend: '{{context}}',
          }),
        ],
      ),
      kit.timeseries(
        {
          title: 'I/O time by backend type',
          description:
            'Time spent reading and writing per second of wall time (1 = one process waiting on I/O all the time). Needs track_io_timing; PostgreSQL 16+.',
          w: 12,
          h: 8,
        },
        [
          kit.series('pg_io_read_time_seconds_total', { ...perBackendType, legend: 'read {{backend_type}}' }),
          kit.series('pg_io_write_time_seconds_total', {
            ...perBackendType,
            legend: 'write {{backend_type}}',
          }),
        ],
      ),
    ],
  };
}
