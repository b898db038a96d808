import { CollectorDefinition } from '../types';
import { gauge as defineGauge } from '../define';

const PARENT_LABELS = ['datname', 'schemaname', 'relname'];
const gauge = (name: string, help: string, unit: string) => defineGauge(name, help, unit, PARENT_LABELS);

/**
 * Storage loop: partitioned tables — how many partitions, rows landing in the default partition, and
 * whether time-range partitioning still has partitions ahead of now.
 */
export const partitionsDefinition: CollectorDefinition = {
  name: 'partitions',
  loop: 'storage',
  description:
    'Partitioned tables: partition counts, default partition rows, oldest/newest RANGE bounds and missing future partitions for date/timestamp keys',
  queries: ['partitions', 'partition-bound-epochs'],
  metrics: [
    gauge('pg_partition_count', 'Leaf partitions of a partitioned table (sub-partitions included)', 'short'),
    gauge(
      'pg_partition_default_rows',
      'Estimated rows (pg_class.reltuples) in the default partition; absent until it is analysed',
      'short',
    ),
    gauge(
      'pg_partition_newest_bound_seconds',
      'Upper bound of the newest partition of a time RANGE key, as Unix time (date/timestamp keys: their nominal value read as UTC)',
      's',
    ),
    gauge(
      'pg_partition_future_coverage_seconds',
      'Newest upper bound minus now; negative or small: future partitions are missing',
      's',
    ),
    gauge(
      'pg_partitions_missing_future',
      '1 when no partition holds the start of the next period after now (period inferred from the newest bounds)',
      'short',
    ),
  ],
  snapshots: [
    {
      kind: 'partitions',
      description:
        'Partitioned tables with their key, partition counts, bounds, default partition and future coverage',
      columns: [
        { name: 'schemaname', type: 'string' },
        { name: 'relname', type: 'string', description: 'partitioned table' },
        { name: 'strategy', type: 'string', description: 'range, list or hash' },
        { name: 'partition_key', type: 'string' },
        { name: 'key_type', type: 'string', description: 'type of a single-column key' },
        { name: 'partitions', type: 'number', description: 'direct partitions' },
        {
          name: 'leaf_partitions',
          type: 'number',
          description: 'partitions holding data, sub-partitions included',
        },
        { name: 'oldest_bound', type: 'string', description: 'lower bound of the oldest partition' },
        {
          name: 'newest_bound',
          type: 'string',
          description: 'upper bound (exclusive) of the newest partition',
        },
        { name: 'newest_bound_time', type: 'time' },
        { name: 'period_seconds', type: 'number', unit: 's', description: 'spacing of the newest bounds' },
        { name: 'default_partition', type: 'string' },
        { name: 'default_rows', type: 'number', description: 'estimate (reltuples); empty until analysed' },
        { name: 'future_coverage_seconds', type: 'number', unit: 's' },
        { name: 'missing_next', type: 'boolean', description: 'the next period after now has no partition' },
      ],
    },
  ],
};
