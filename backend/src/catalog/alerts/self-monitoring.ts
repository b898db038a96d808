import { constantLabel, Expr, filter, groupBy, maxBy, metric, or, unless } from './ast';
import { AlertDefinition, FixtureCase, FixtureContext } from './types';
import { NO_DATA, singleMetricFixture, sql, T } from './helpers';

/**
 * Families every reachable server exports whatever its major and role (primary or standby). One
 * missing while the target is up means a collector's SQL no longer fits the server: typically
 * after a major upgrade (PostgreSQL 17 moved checkpoints to pg_stat_checkpointer, 18 reshaped
 * pg_stat_wal).
 */
export const CORE_FAMILIES = [
  'pg_connections_used',
  'pg_autovacuum_max_workers',
  'pg_database_xact_commit_total',
  'pg_checkpoints_timed_total',
  'pg_wal_records_total',
  'pg_replication_is_standby',
  'pg_database_xid_age',
];

const targetUp = () => filter(maxBy(['target'], metric('pgg_target_up')), '==', 1);

/**
 * absent() per target: PromQL's absent() cannot say which target lacks a family, so each family is
 * "targets that are up, unless they have a series of it", labelled with the family.
 */
function familiesAbsent(): Expr {
  const perFamily = CORE_FAMILIES.map((family) =>
    constantLabel(unless(targetUp(), groupBy(['target'], metric(family)), ['target']), 'family', family),
  );
  return perFamily.slice(1).reduce<Expr>((all, next) => or(all, next), perFamily[0] as Expr);
}

function driftCases({ levels }: FixtureContext): FixtureCase[] {
  const forMinutes = Math.ceil((levels.warning?.for_s ?? 0) / 60);
  const minutes = forMinutes + 5;
  const present = (families: string[]) =>
    families.map((family) => ({ metric: family, labels: T, segments: [{ value: 1, count: minutes + 1 }] }));
  const up = (value: number) => ({
    metric: 'pgg_target_up',
    labels: T,
    segments: [{ value, count: minutes + 1 }],
  });
  const [missing = '', ...others] = CORE_FAMILIES;
  return [
    {
      name: `${missing} gone while the target is up`,
      instance: { ...T, family: missing },
      series: [up(1), ...present(others)],
      checks: [
        ...(forMinutes > 0 ? [{ atMinute: forMinutes - 1, firing: [] }] : []),
        { atMinute: forMinutes, firing: ['warning'] },
      ],
    },
    {
      name: 'every family present',
      instance: { ...T, family: missing },
      series: [up(1), ...present(CORE_FAMILIES)],
      checks: [{ atMinute: minutes, firing: [] }],
    },
    {
      name: 'the target down (the target-down alert speaks)',
      instance: { ...T, family: missing },
      series: [up(0)],
      checks: [{ atMinute: minutes, firing: [] }],
    },
  ];
}

export const SELF_MONITORING_ALERTS: AlertDefinition[] = [
  {
    id: 'collector_failing',
    name: 'PgGovernorCollectorFailing',
    category: 'self-monitoring',
    component: 'pg-governor',
    summary: 'Collector {{label.collector}} fails on {{label.target}}',
    description:
      'The {{label.collector}} collector has failed on {{label.target}} for a while although the target is up: its metrics, dashboards and alerts are missing.',
    runbook: {
      meaning:
        'One collector keeps failing on a target that is otherwise reachable: its metrics, dashboard panels and the alerts built on them are missing for that target.',
      checks: [
        {
          what: 'The backend log names the error ("collector failed", with the collector and the target): a privilege, a timeout, a missing extension or SQL that no longer fits the server.',
        },
        {
          what: 'On the target, as the monitor role: the roles and extensions the collectors need.',
          sql: sql`
            SELECT current_user,
                   pg_has_role(current_user, 'pg_monitor', 'member') AS has_pg_monitor,
                   pg_has_role(current_user, 'pg_read_all_stats', 'member') AS has_pg_read_all_stats,
                   (SELECT extversion FROM pg_extension WHERE extname = 'pg_stat_statements') AS pg_stat_statements,
                   current_setting('statement_timeout') AS statement_timeout;`,
        },
      ],
      remediation: [
        'Grant what is missing (sql/roles/README.md); `CREATE EXTENSION pg_stat_statements;` in the database the statements collector reads (it needs shared_preload_libraries).',
        'A timeout on a very large catalog: raise the collector budget for that loop in the configuration.',
      ],
    },
    noData: {
      state: 'OK',
      why: 'Empty only while every target is down (each collector waits on its target): PgTargetDown speaks then.',
    },
    unit: 'count',
    comparator: '<',
    levels: { warning: { threshold: 1, for_s: 300 } },
    instanceLabels: ['target', 'collector'],
    // A target that is down makes every collector wait: the target-down alert covers that.
    value: () =>
      unless(
        maxBy(['target', 'collector'], metric('pgg_collector_success')),
        filter(maxBy(['target'], metric('pgg_target_up')), '==', 0),
        ['target'],
      ),
    fixtures: {
      kind: 'value',
      instance: { ...T, collector: 'wal' },
      epsilon: 1,
      inputs: (value) => [
        { metric: 'pgg_collector_success', labels: { ...T, collector: 'wal' }, value },
        { metric: 'pgg_target_up', labels: T, value: 1 },
      ],
      quietCases: () => [
        {
          name: 'every collector waiting on a target that is down',
          series: [
            { metric: 'pgg_collector_success', labels: { ...T, collector: 'wal' }, value: 0 },
            { metric: 'pgg_target_up', labels: T, value: 0 },
          ],
        },
      ],
    },
  },
  {
    id: 'backend_degraded',
    name: 'PgGovernorDegraded',
    category: 'self-monitoring',
    component: 'pg-governor',
    summary: 'The PG Governor backend runs degraded (memory pressure)',
    description:
      'The backend process has been above 85 % of its memory ceiling (memory.limit_mb) for a while: it sheds work, and above the ceiling it exits for its supervisor to restart it.',
    runbook: {
      meaning:
        'The PG Governor backend has stayed near its memory ceiling: it sheds work to survive, and above the ceiling it exits for its supervisor to restart it (a gap in metrics and in governance).',
      checks: [
        {
          what: 'Heap and resident memory from its own /metrics: nodejs_heap_size_used_bytes, process_resident_memory_bytes and pgg_memory_limit_bytes; a steady climb after start points at a leak.',
        },
        {
          what: 'How much it watches: the number of targets per backend replica and top_n in the configuration.',
        },
      ],
      remediation: [
        'Raise memory.limit_mb if the host allows, or lower top_n or the number of targets per replica (add replicas: they share the targets).',
        'Report a steady climb with the heap figures from /metrics.',
      ],
    },
    noData: NO_DATA.blind,
    unit: 'count',
    comparator: '>=',
    levels: { warning: { threshold: 1, for_s: 300 } },
    // No panel shows the backend's memory: the fleet's "Targets up" shows what it still watches.
    shownBy: ['pgg_target_up'],
    instanceLabels: [],
    value: () => maxBy([], metric('pgg_memory_pressure')),
    fixtures: singleMetricFixture('pgg_memory_pressure', {}, 1),
  },
  {
    id: 'metric_family_absent',
    name: 'PgMetricFamilyAbsent',
    category: 'self-monitoring',
    component: 'pg-governor',
    summary: 'Metric family {{label.family}} is missing for {{label.target}}',
    description:
      '{{label.target}} is up but exports no {{label.family}}: a collector no longer matches the server, which usually follows a PostgreSQL major upgrade (version drift). Dashboards and alerts built on it are blind.',
    runbook: {
      meaning:
        'The target is up but one family every server exports is missing: a collector no longer fits the server, usually after a PostgreSQL major upgrade. The dashboards and alerts built on it are blind.',
      checks: [
        {
          what: 'The server version now (did it just change?), and whether the views the collectors read exist in it.',
          sql: sql`
            SELECT current_setting('server_version') AS version,
                   to_regclass('pg_catalog.pg_stat_checkpointer') IS NOT NULL AS has_pg_stat_checkpointer,
                   to_regclass('pg_catalog.pg_stat_wal') IS NOT NULL AS has_pg_stat_wal,
                   to_regclass('pg_catalog.pg_stat_io') IS NOT NULL AS has_pg_stat_io;`,
        },
        {
          what: 'The collector-failing alert and the backend log name the statement that fails.',
        },
      ],
      remediation: [
        'Upgrade PG Governor to a version that supports the server major; until then the other collectors keep working.',
      ],
    },
    noData: NO_DATA.onlyWhileWrong,
    unit: 'count',
    comparator: '>=',
    levels: { warning: { threshold: 1, for_s: 900 } },
    instanceLabels: ['target', 'family'],
    value: familiesAbsent,
    fixtures: { kind: 'custom', cases: driftCases },
  },
];
