import { maxBy, metric, minBy } from './ast';
import { AlertDefinition } from './types';
import { STATISTICS_SINCE } from '../findings/guide-checks';
import { GIB, NO_DATA, singleMetricFixture, sql, T } from './helpers';

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
    runbook: {
      meaning:
        'A large index no query has used since the statistics were reset: it costs every insert and update, vacuum, backup and replica, and memory in shared buffers, for nothing.',
      checks: [
        {
          what: 'Never-scanned indexes by size, with their definition (keep it to re-create the index).',
          sql: sql`
            SELECT s.schemaname, s.relname, s.indexrelname, s.idx_scan,
                   pg_size_pretty(pg_relation_size(s.indexrelid)) AS size,
                   pg_get_indexdef(s.indexrelid) AS definition
            FROM pg_stat_user_indexes s
            JOIN pg_index i USING (indexrelid)
            WHERE s.idx_scan = 0 AND NOT i.indisunique AND NOT i.indisprimary
            ORDER BY pg_relation_size(s.indexrelid) DESC
            LIMIT 20;`,
        },
        {
          ...STATISTICS_SINCE,
          what: 'How long the statistics cover: an index used monthly looks unused after a reset last week.',
        },
      ],
      remediation: [
        'Index use is counted per server: check the same index on every replica that serves reads before dropping it.',
        'Unique, primary-key and exclusion indexes are never reported. If it stays unused over a full business cycle: `DROP INDEX CONCURRENTLY <schema>.<index>;` (keep the definition to re-create it).',
      ],
    },
    noData: NO_DATA.onlyWhereItExists,
    unit: 'bytes',
    comparator: '>=',
    levels: { info: { threshold: GIB, for_s: 3600 } },
    shownBy: ['unused_indexes'],
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
    runbook: {
      meaning:
        'When the next period starts, its rows have no partition: they go to the default partition (which then blocks creating the proper partition) or, without a default partition, the inserts fail.',
      checks: [
        {
          what: 'The partitions of each partitioned table and their bounds, newest first.',
          sql: sql`
            SELECT parent.oid::regclass AS parent, child.oid::regclass AS partition,
                   pg_get_expr(child.relpartbound, child.oid) AS bounds
            FROM pg_inherits i
            JOIN pg_class parent ON parent.oid = i.inhparent
            JOIN pg_class child ON child.oid = i.inhrelid
            WHERE parent.relkind = 'p'
            ORDER BY parent.oid::regclass::text, child.oid::regclass::text DESC;`,
        },
        {
          what: 'Default partitions and the rows they hold (rows without a partition of their own land there).',
          sql: sql`
            SELECT c.oid::regclass AS default_partition, c.reltuples::bigint AS estimated_rows
            FROM pg_class c
            WHERE c.relispartition AND pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT';`,
        },
        {
          what: 'The job that should create partitions ahead: pg_partman (run_maintenance, its premake setting), a cron job or the application.',
        },
      ],
      remediation: [
        'Create the next partitions now, before the period starts: `CREATE TABLE <schema>.<table>_<period> PARTITION OF <schema>.<table> FOR VALUES FROM (<start>) TO (<end>);`',
        'Then fix or schedule the job that creates them ahead.',
      ],
    },
    noData: NO_DATA.onlyWhereItExists,
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
    runbook: {
      meaning:
        'Current rows already have no partition of their own: they land in the default partition, or the inserts fail without one. Every hour makes the repair bigger.',
      checks: [
        {
          what: 'The partitions of each partitioned table and their bounds, newest first.',
          sql: sql`
            SELECT parent.oid::regclass AS parent, child.oid::regclass AS partition,
                   pg_get_expr(child.relpartbound, child.oid) AS bounds
            FROM pg_inherits i
            JOIN pg_class parent ON parent.oid = i.inhparent
            JOIN pg_class child ON child.oid = i.inhrelid
            WHERE parent.relkind = 'p'
            ORDER BY parent.oid::regclass::text, child.oid::regclass::text DESC;`,
        },
        {
          what: 'Default partitions and the rows they hold (rows without a partition of their own land there).',
          sql: sql`
            SELECT c.oid::regclass AS default_partition, c.reltuples::bigint AS estimated_rows
            FROM pg_class c
            WHERE c.relispartition AND pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT';`,
        },
      ],
      remediation: [
        'Create the missing partitions at once. If the default partition already holds rows of that range, creating the partition fails: in one transaction detach the default partition, create the partition, move the rows (`INSERT INTO <parent> SELECT * FROM <default> WHERE <range>;` then `DELETE FROM <default> WHERE <range>;`), re-attach the default partition.',
        'Then fix the job that should have created them (pg_partman premake, cron, the application).',
      ],
    },
    noData: NO_DATA.onlyWhereItExists,
    unit: 'seconds',
    comparator: '<=',
    levels: { critical: { threshold: 0, for_s: 300 } },
    instanceLabels: PARTITIONED,
    value: () => minBy(PARTITIONED, metric('pg_partition_future_coverage_seconds')),
    fixtures: singleMetricFixture('pg_partition_future_coverage_seconds', PARTITIONED_FIXTURE, 1),
  },
];
