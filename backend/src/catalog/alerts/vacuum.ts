import { and, arithmetic, filter, maxBy, metric } from './ast';
import { AlertDefinition } from './types';
import { DEAD_ROWS_BY_TABLE, STALE_STATISTICS_CHECKS } from '../findings/guide-checks';
import { NO_DATA, singleMetricFixture, sql, T } from './helpers';

const TABLE = ['target', 'datname', 'schemaname', 'relname'];
const TABLE_FIXTURE = { ...T, datname: 'app', schemaname: 'public', relname: 'orders' };

export const VACUUM_ALERTS: AlertDefinition[] = [
  {
    id: 'dead_tuples',
    name: 'PgDeadTupleBacklog',
    category: 'vacuum',
    component: 'postgresql',
    summary:
      '{{label.schemaname}}.{{label.relname}} in {{label.datname}} on {{label.target}} is {{value}} dead rows',
    description:
      'Dead rows make up {{value}} of {{label.schemaname}}.{{label.relname}} (threshold {{threshold}}, and at least the configured number of dead rows): autovacuum is not keeping up with this table.',
    runbook: {
      meaning:
        'Autovacuum is not keeping up with this table: dead rows take space, slow down scans and index lookups, and the table and its indexes grow.',
      checks: [
        {
          ...DEAD_ROWS_BY_TABLE,
          what: 'The tables with the most dead rows and when they were last vacuumed.',
        },
        {
          what: 'Whether a vacuum is running on it, and how far it got.',
          sql: sql`
            SELECT p.pid, p.relid::regclass AS relation, p.phase, p.heap_blks_scanned, p.heap_blks_total,
                   now() - a.xact_start AS running_for
            FROM pg_stat_progress_vacuum p
            JOIN pg_stat_activity a USING (pid);`,
        },
        {
          what: 'What holds the xmin horizon back (vacuum cannot remove rows newer than it).',
          sql: sql`
            SELECT 'session' AS holder, pid::text AS id, age(backend_xmin) AS xmin_age
            FROM pg_stat_activity WHERE backend_xmin IS NOT NULL
            UNION ALL
            SELECT 'replication slot', slot_name, age(xmin) FROM pg_replication_slots WHERE xmin IS NOT NULL
            UNION ALL
            SELECT 'replication slot (catalog)', slot_name, age(catalog_xmin)
            FROM pg_replication_slots WHERE catalog_xmin IS NOT NULL
            UNION ALL
            SELECT 'prepared transaction', gid, age(transaction) FROM pg_prepared_xacts
            ORDER BY xmin_age DESC
            LIMIT 10;`,
        },
      ],
      remediation: [
        'Remove what holds the horizon (a long transaction, a session idle in transaction, a stale slot), then vacuum the table: `VACUUM (VERBOSE) <schema>.<table>;`',
        'For a big, busy table let autovacuum start earlier and work faster: `ALTER TABLE <schema>.<table> SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_cost_limit = 2000);`',
      ],
    },
    noData: NO_DATA.onlyWhileWrong,
    unit: 'ratio',
    comparator: '>=',
    levels: { warning: { threshold: 0.2, for_s: 600 } },
    params: { min_dead_rows: 100_000 },
    instanceLabels: TABLE,
    value: (p) =>
      and(
        maxBy(TABLE, metric('pg_table_dead_ratio')),
        filter(maxBy(TABLE, metric('pg_table_dead_tuples')), '>=', p.min_dead_rows as number),
        TABLE,
      ),
    fixtures: {
      kind: 'value',
      instance: TABLE_FIXTURE,
      epsilon: 0.01,
      inputs: (value, { params }) => [
        { metric: 'pg_table_dead_ratio', labels: TABLE_FIXTURE, value },
        { metric: 'pg_table_dead_tuples', labels: TABLE_FIXTURE, value: params.min_dead_rows as number },
      ],
      quietCases: ({ params }) => [
        {
          name: 'a high share of a small table',
          series: [
            { metric: 'pg_table_dead_ratio', labels: TABLE_FIXTURE, value: 0.9 },
            {
              metric: 'pg_table_dead_tuples',
              labels: TABLE_FIXTURE,
              value: (params.min_dead_rows as number) - 1,
            },
          ],
        },
      ],
    },
  },
  {
    id: 'stale_statistics',
    name: 'PgStaleStatistics',
    category: 'vacuum',
    component: 'postgresql',
    summary: '{{value}} tables in {{label.datname}} on {{label.target}} have stale planner statistics',
    description:
      '{{value}} tables in {{label.datname}} changed by more than 20 % since their last ANALYZE (or were never analyzed), and it has stayed so for hours: autoanalyze is not keeping up and plans may go wrong.',
    runbook: {
      meaning:
        'The planner works from statistics that no longer describe the tables: row estimates go wrong, and with them join orders and index choices. Queries that were fast can turn slow without any change of their own.',
      checks: STALE_STATISTICS_CHECKS,
      remediation: [
        'Analyze them now (cheap, reads a sample): `ANALYZE <schema>.<table>;`',
        'For big or bulk-loaded tables: `ALTER TABLE <schema>.<table> SET (autovacuum_analyze_scale_factor = 0.02);` or `ANALYZE` right after each load.',
      ],
    },
    noData: NO_DATA.onlyWhereItExists,
    unit: 'count',
    comparator: '>=',
    levels: { warning: { threshold: 1, for_s: 7200 } },
    instanceLabels: ['target', 'datname'],
    value: () => maxBy(['target', 'datname'], metric('pg_tables_stale_statistics')),
    fixtures: singleMetricFixture('pg_tables_stale_statistics', { ...T, datname: 'app' }, 1),
  },
  {
    id: 'autovacuum_starvation',
    name: 'PgAutovacuumStarvation',
    category: 'vacuum',
    component: 'postgresql',
    summary: 'Every autovacuum worker on {{label.target}} has been busy for a long time',
    description:
      'Autovacuum workers running / autovacuum_max_workers is {{value}} (threshold {{threshold}}) and has stayed there: tables are queueing for vacuum while big ones hold every worker.',
    runbook: {
      meaning:
        'Every autovacuum worker has been busy for a long time: other tables queue for vacuum and analyze, dead rows and stale statistics build up, and freezing falls behind.',
      checks: [
        {
          what: 'What the workers are on, for how long, and whether it is an anti-wraparound vacuum (it cannot be cancelled and comes first).',
          sql: sql`
            SELECT a.pid, p.relid::regclass AS relation, p.phase, now() - a.xact_start AS running_for,
                   a.query LIKE '%to prevent wraparound%' AS wraparound,
                   p.heap_blks_scanned, p.heap_blks_total
            FROM pg_stat_progress_vacuum p
            JOIN pg_stat_activity a USING (pid)
            ORDER BY running_for DESC;`,
        },
        {
          what: 'The tables waiting: past their vacuum threshold with the global settings.',
          sql: sql`
            SELECT schemaname, relname, n_dead_tup, n_live_tup, last_autovacuum
            FROM pg_stat_user_tables
            WHERE n_dead_tup > current_setting('autovacuum_vacuum_threshold')::bigint
                             + current_setting('autovacuum_vacuum_scale_factor')::float8 * n_live_tup
            ORDER BY n_dead_tup DESC
            LIMIT 20;`,
        },
        {
          what: 'The workers and their cost budget (shared by all workers).',
          sql: sql`
            SELECT name, setting, unit
            FROM pg_settings
            WHERE name LIKE 'autovacuum%' OR name LIKE 'vacuum_cost%'
            ORDER BY name;`,
        },
      ],
      remediation: [
        'Let an anti-wraparound vacuum finish; do not cancel it.',
        'Give the workers more budget first (no restart): `ALTER SYSTEM SET autovacuum_vacuum_cost_limit = 2000; SELECT pg_reload_conf();` then more workers if needed (autovacuum_max_workers, a restart before PostgreSQL 18).',
        'Vacuum the largest tables by hand off-peak (`VACUUM (VERBOSE) <table>;`) so that the workers get to the others.',
      ],
    },
    noData: NO_DATA.blind,
    unit: 'ratio',
    comparator: '>=',
    levels: { warning: { threshold: 1, for_s: 1800 } },
    instanceLabels: ['target'],
    value: () =>
      arithmetic(
        '/',
        maxBy(['target'], metric('pg_autovacuum_workers_running')),
        maxBy(['target'], metric('pg_autovacuum_max_workers')),
        ['target'],
      ),
    fixtures: {
      kind: 'value',
      instance: T,
      epsilon: 0.01,
      inputs: (value) => [
        { metric: 'pg_autovacuum_workers_running', labels: T, value: value * 3 },
        { metric: 'pg_autovacuum_max_workers', labels: T, value: 3 },
      ],
    },
  },
];
