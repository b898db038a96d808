import { CollectorDefinition, MetricDefinition } from '../types';

/** Columns of sql/collectors/table-freshness rows exported as ages and as values. */
export type TimeColumn = 'last_vacuum_ms' | 'last_autovacuum_ms' | 'last_analyze_ms' | 'last_autoanalyze_ms';
export type NumberColumn =
  | 'mods_since_analyze'
  | 'inserts_since_vacuum'
  | 'vacuum_count'
  | 'autovacuum_count'
  | 'analyze_count'
  | 'autoanalyze_count';

/** Age gauges: seconds since the event; absent while it never happened. */
export const AGE_METRICS: [TimeColumn, string, string][] = [
  ['last_vacuum_ms', 'pg_table_last_vacuum_seconds', 'Seconds since the last manual VACUUM'],
  ['last_autovacuum_ms', 'pg_table_last_autovacuum_seconds', 'Seconds since the last autovacuum'],
  ['last_analyze_ms', 'pg_table_last_analyze_seconds', 'Seconds since the last manual ANALYZE'],
  ['last_autoanalyze_ms', 'pg_table_last_autoanalyze_seconds', 'Seconds since the last autoanalyze'],
];

/** Live and dead rows are in the snapshot only: the relations collector exports them as metrics. */
export const VALUE_METRICS: [NumberColumn, string, 'gauge' | 'counter', string][] = [
  ['mods_since_analyze', 'pg_table_mods_since_analyze', 'gauge', 'Rows modified since the last analyze'],
  ['inserts_since_vacuum', 'pg_table_inserts_since_vacuum', 'gauge', 'Rows inserted since the last vacuum'],
  ['vacuum_count', 'pg_table_vacuums_total', 'counter', 'Manual VACUUMs'],
  ['autovacuum_count', 'pg_table_autovacuums_total', 'counter', 'Autovacuums'],
  ['analyze_count', 'pg_table_analyzes_total', 'counter', 'Manual ANALYZEs'],
  ['autoanalyze_count', 'pg_table_autoanalyzes_total', 'counter', 'Autoanalyzes'],
];

const LABELS = ['datname', 'schemaname', 'relname'];

/**
 * Workload loop: vacuum and analyze freshness of the tables of the connected database (table
 * statistics are per database), Top-N by work pending for autovacuum.
 */
export const tableFreshnessDefinition: CollectorDefinition = {
  name: 'table_freshness',
  loop: 'workload',
  description:
    'Per table of the connected database (top N by dead tuples, modifications since analyze or inserts since vacuum): time since the last (auto)vacuum and (auto)analyze, pending changes, vacuum and analyze counts; live and dead rows in the vacuum health snapshot',
  queries: ['table-freshness'],
  metrics: [
    ...AGE_METRICS.map(([, name, help]): MetricDefinition => ({
      name,
      help,
      type: 'gauge',
      unit: 's',
      labels: LABELS,
    })),
    ...VALUE_METRICS.map(([, name, type, help]): MetricDefinition => ({
      name,
      help,
      type,
      unit: 'short',
      labels: LABELS,
    })),
  ],
  snapshots: [
    {
      kind: 'vacuum',
      description:
        'Vacuum health of the tables with the most work pending for autovacuum (connected database)',
      columns: [
        { name: 'datname', type: 'string' },
        { name: 'schemaname', type: 'string' },
        { name: 'relname', type: 'string' },
        { name: 'live_tuples', type: 'number', description: 'estimated' },
        { name: 'dead_tuples', type: 'number', description: 'estimated' },
        { name: 'dead_percent', type: 'number', unit: 'percent', description: 'dead / (live + dead)' },
        { name: 'mods_since_analyze', type: 'number' },
        { name: 'inserts_since_vacuum', type: 'number' },
        { name: 'last_vacuum', type: 'time' },
        { name: 'last_autovacuum', type: 'time' },
        { name: 'last_analyze', type: 'time' },
        { name: 'last_autoanalyze', type: 'time' },
        {
          name: 'since_vacuum_seconds',
          type: 'number',
          unit: 's',
          description: 'since the last vacuum of either kind',
        },
        {
          name: 'since_analyze_seconds',
          type: 'number',
          unit: 's',
          description: 'since the last analyze of either kind',
        },
        { name: 'vacuum_count', type: 'number' },
        { name: 'autovacuum_count', type: 'number' },
        { name: 'analyze_count', type: 'number' },
        { name: 'autoanalyze_count', type: 'number' },
      ],
    },
  ],
};
