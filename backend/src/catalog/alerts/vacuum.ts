import { and, arithmetic, filter, maxBy, metric } from './ast';
import { AlertDefinition } from './types';
import { singleMetricFixture, T } from './helpers';

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
    runbook: [
      'Is autovacuum running on it (vacuum progress), blocked by a long transaction or a replication slot holding the xmin horizon, or not triggered (autovacuum_vacuum_scale_factor too high for a big table)?',
      'Remove what holds the horizon (long transactions, idle-in-transaction sessions, stale slots), then VACUUM (VERBOSE) the table.',
      'For hot tables: lower autovacuum_vacuum_scale_factor / raise autovacuum_vacuum_cost_limit on the table.',
    ].join('\n'),
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
    runbook: [
      'List them: the vacuum health table (modifications since analyze).',
      'ANALYZE them now; check that autovacuum is on and not starved (all workers busy).',
      'For big or bulk-loaded tables: lower autovacuum_analyze_scale_factor on the table, or ANALYZE after each load.',
    ].join('\n'),
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
    runbook: [
      'Which tables are the workers on (vacuum progress) and for how long? A wraparound vacuum cannot be cancelled and takes priority.',
      'Raise autovacuum_max_workers (restart) together with autovacuum_vacuum_cost_limit (shared by the workers), or vacuum the largest tables manually off-peak.',
    ].join('\n'),
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
