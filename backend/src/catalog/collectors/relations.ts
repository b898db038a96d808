import { CollectorDefinition, CounterColumn } from '../types';
import { counterMetrics, metric } from '../define';

const RELATION = ['datname', 'schemaname', 'relname'];

const io = (column: string, part: string, what: string): CounterColumn => ({
  column,
  metric: `pg_table_${column}_total`,
  help: `${part} blocks of a Top-N table ${what} (pg_statio_user_tables)`,
  unit: 'short',
});

/**
 * Block I/O of the Top-N tables (pgwatch table_io_stats), as `pg_table_<column>_total`: blocks found
 * in shared buffers (hit) and read from outside them (read: the OS cache or disk), for the heap, the
 * indexes, and the TOAST table with its index. A partitioned table's are its partitions' sums.
 */
export const TABLE_IO_COUNTERS: CounterColumn[] = [
  io('heap_blks_read', 'Heap', 'read from outside shared buffers'),
  io('heap_blks_hit', 'Heap', 'found in shared buffers'),
  io('idx_blks_read', 'Index', 'read from outside shared buffers (all its indexes)'),
  io('idx_blks_hit', 'Index', 'found in shared buffers (all its indexes)'),
  io('toast_blks_read', 'TOAST', 'read from outside shared buffers (TOAST table and its index)'),
  io('toast_blks_hit', 'TOAST', 'found in shared buffers (TOAST table and its index)'),
];

/**
 * Storage loop: the largest relations and indexes, the tables with the most dead tuples, and how many
 * relations the database holds — ranked from catalog estimates, exact sizes for the winners only.
 */
export const relationsDefinition: CollectorDefinition = {
  name: 'relations',
  loop: 'storage',
  description:
    'Top-N relations and indexes by size (partitioned tables summed over partitions), Top-N tables by dead tuples with scans and block I/O, relation counts by kind',
  queries: ['relations', 'relation-indexes', 'relation-counts', 'relation-ranking', 'relation-index-ranking'],
  metrics: [
    metric(
      'gauge',
      'pg_relation_size_bytes',
      'Total size of a Top-N relation: table (heap, TOAST, maps) plus indexes',
      'bytes',
      RELATION,
    ),
    metric(
      'gauge',
      'pg_relation_table_bytes',
      'Table size of a Top-N relation (pg_table_size: heap, TOAST, free space and visibility maps)',
      'bytes',
      RELATION,
    ),
    metric(
      'gauge',
      'pg_relation_indexes_bytes',
      'Size of the indexes of a Top-N relation',
      'bytes',
      RELATION,
    ),
    metric('gauge', 'pg_index_size_bytes', 'Size of a Top-N index', 'bytes', [...RELATION, 'indexrelname']),
    metric(
      'gauge',
      'pg_table_live_tuples',
      'Estimated live rows of a Top-N table (by size or dead tuples)',
      'short',
      RELATION,
    ),
    metric(
      'gauge',
      'pg_table_dead_tuples',
      'Estimated dead rows of a Top-N table (by size or dead tuples)',
      'short',
      RELATION,
    ),
    metric(
      'gauge',
      'pg_table_dead_ratio',
      'Dead rows / (live + dead rows) of a Top-N table',
      'percentunit',
      RELATION,
    ),
    metric(
      'counter',
      'pg_table_seq_scan_total',
      'Sequential scans of a Top-N table since the statistics were reset',
      'short',
      RELATION,
    ),
    metric(
      'counter',
      'pg_table_idx_scan_total',
      'Index scans on a Top-N table since the statistics were reset',
      'short',
      RELATION,
    ),
    ...counterMetrics(TABLE_IO_COUNTERS, RELATION),
    metric(
      'gauge',
      'pg_relations_count',
      'Relations of the database by kind (system catalogs and TOAST excluded)',
      'short',
      ['datname', 'relkind'],
    ),
  ],
  snapshots: [
    {
      kind: 'storage',
      description: 'Top-N relations by size, partitioned tables summed over their partitions',
      columns: [
        { name: 'schemaname', type: 'string' },
        { name: 'relname', type: 'string' },
        { name: 'kind', type: 'string', description: 'table, partitioned_table or materialized_view' },
        {
          name: 'partitions',
          type: 'number',
          description: 'leaf partitions summed into a partitioned table',
        },
        { name: 'total_bytes', type: 'number', unit: 'bytes' },
        {
          name: 'table_bytes',
          type: 'number',
          unit: 'bytes',
          description: 'heap, TOAST, free space and visibility maps',
        },
        { name: 'indexes_bytes', type: 'number', unit: 'bytes' },
        {
          name: 'toast_bytes',
          type: 'number',
          unit: 'bytes',
          description: 'TOAST table and its index (part of table_bytes)',
        },
        {
          name: 'size_exact',
          type: 'boolean',
          description: 'false: estimate from pg_class.relpages (partitioned tables)',
        },
        { name: 'live_tuples', type: 'number' },
        { name: 'dead_tuples', type: 'number' },
        { name: 'dead_ratio', type: 'number', unit: 'percentunit' },
        { name: 'seq_scan', type: 'number' },
        { name: 'idx_scan', type: 'number' },
        ...TABLE_IO_COUNTERS.map((c) => ({ name: c.column, type: 'number' as const, description: c.help })),
      ],
    },
    {
      kind: 'vacuum_tuples',
      description: 'Top-N tables (partitions on their own) by dead tuples, with their last vacuums',
      columns: [
        { name: 'schemaname', type: 'string' },
        { name: 'relname', type: 'string' },
        { name: 'kind', type: 'string' },
        { name: 'live_tuples', type: 'number' },
        { name: 'dead_tuples', type: 'number' },
        { name: 'dead_ratio', type: 'number', unit: 'percentunit' },
        { name: 'table_bytes', type: 'number', unit: 'bytes' },
        {
          name: 'autovacuum_disabled',
          type: 'boolean',
          description: 'autovacuum_enabled = false on the table',
        },
        { name: 'last_vacuum', type: 'time' },
        { name: 'last_autovacuum', type: 'time' },
      ],
    },
  ],
};
