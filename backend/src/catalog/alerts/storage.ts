import { maxBy, metric, minBy } from './ast';
import { AlertDefinition } from './types';
import { GIB, singleMetricFixture, T } from './helpers';

const INDEX = ['target', 'datname', 'schemaname', 'relname', 'indexrelname'];
const PARTITIONED = ['target', 'datname', 'schemaname', 'relname'];
const PARTITIONED_FIXTURE = { ...T, datname: 'app', schemaname: 'public', relname: 'events' };

export const STORAGE_ALERTS: AlertDefinition[] = [
  {
    id: 'unused_large_index',
    name: 'PgUnusedLargeIndex',
    category: 'storage',
    component: 'postgresql',
    summary:
      'Index {{label.schemaname}}.{{label.indexrelname}} ({{value}}B) in {{label.datname}} on {{label.target}} is never used',
    description:
      'Index {{label.indexrelname}} on {{label.schemaname}}.{{label.relname}} has not been scanned since the statistics were reset and takes {{value}}B (threshold {{threshold}}B). It still costs every write, vacuum and backup.',
    runbook: [
      'Check how long the statistics cover (pg_stat_database.stats_reset) and whether standbys use it (index use is counted per server).',
      'It is not a constraint (unique, primary key, exclusion) - those are never reported. If it stays unused over a full business cycle: DROP INDEX CONCURRENTLY.',
    ].join('\n'),
    unit: 'bytes',
    comparator: '>=',
    levels: { info: { threshold: GIB, for_s: 3600 } },
    instanceLabels: INDEX,
    value: () => maxBy(INDEX, metric('pg_index_unused')),
    fixtures: singleMetricFixture(
      'pg_index_unused',
      { ...T, datname: 'app', schemaname: 'public', relname: 'orders', indexrelname: 'orders_note_idx' },
      1,
    ),
  },
  {
    id: 'partitions_missing_future',
    name: 'PgPartitionsMissingFuture',
    category: 'partitions',
    component: 'postgresql',
    summary:
      '{{label.schemaname}}.{{label.relname}} in {{label.datname}} on {{label.target}} has no partition for the next period',
    description:
      'No partition of {{label.schemaname}}.{{label.relname}} holds the start of the next period after now (period inferred from its newest bounds): rows for it will land in the default partition, or fail without one.',
    runbook: [
      'Check the job that creates partitions ahead (pg_partman run_maintenance, cron, the application).',
      'Create the next partitions now: CREATE TABLE ... PARTITION OF ... FOR VALUES FROM (...) TO (...).',
    ].join('\n'),
    unit: 'count',
    comparator: '>=',
    levels: { warning: { threshold: 1, for_s: 900 } },
    instanceLabels: PARTITIONED,
    value: () => maxBy(PARTITIONED, metric('pg_partitions_missing_future')),
    fixtures: singleMetricFixture('pg_partitions_missing_future', PARTITIONED_FIXTURE, 1),
  },
  {
    id: 'partition_coverage_exhausted',
    name: 'PgPartitionCoverageExhausted',
    category: 'partitions',
    component: 'postgresql',
    summary:
      'The partitions of {{label.schemaname}}.{{label.relname}} on {{label.target}} end {{value}} from now',
    description:
      'The newest partition bound of {{label.schemaname}}.{{label.relname}} in {{label.datname}} is {{value}} from now (threshold {{threshold}}): current rows already have no partition of their own.',
    runbook: [
      'Create the missing partitions at once; then move rows that landed in the default partition (detach it, create the partition, re-insert, re-attach).',
      'Fix the job that should have created them.',
    ].join('\n'),
    unit: 'seconds',
    comparator: '<=',
    levels: { critical: { threshold: 0, for_s: 300 } },
    instanceLabels: PARTITIONED,
    value: () => minBy(PARTITIONED, metric('pg_partition_future_coverage_seconds')),
    fixtures: singleMetricFixture('pg_partition_future_coverage_seconds', PARTITIONED_FIXTURE, 1),
  },
];
