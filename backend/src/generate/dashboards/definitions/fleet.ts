import { Catalog } from '../../../catalog/catalog';
import { dashboardLink, DashboardSpec, UIDS } from '../model';
import { PanelKit } from '../panels';
import { ANY, CONNECTION_USAGE, TRANSACTION_AGE, UP, UP_MAPPINGS } from '../steps';

const LEVEL_MAPPINGS = [
  { value: 0, text: 'normal', color: 'green' },
  { value: 1, text: 'warn', color: 'yellow' },
  { value: 2, text: 'optimize', color: 'orange' },
  { value: 3, text: 'critical', color: 'red' },
];
export { LEVEL_MAPPINGS };

export function fleetDashboard(catalog: Catalog): DashboardSpec {
  // Every target's series on one panel: steps of at least a minute, read from the store's rollups.
  const kit = new PanelKit(catalog, true, { minInterval: '1m' });
  const byTarget = { legend: '{{target}}' };
  return {
    uid: UIDS.fleet,
    file: 'fleet-overview.json',
    title: 'PG Governor / Fleet overview',
    description:
      'Every watched PostgreSQL target at a glance: up, connection usage, throughput, latency, alerts',
    multiTarget: true,
    usesPrometheus: true,
    annotationKinds: ['alerts', 'interventions', 'target_state'],
    panels: [
      kit.promStat(
        {
          title: 'Targets up',
          description: 'Whether the backend reaches each target (down: unreachable or refused).',
          w: 4,
          h: 4,
          thresholds: UP,
          mappings: UP_MAPPINGS,
        },
        [{ expr: 'pgg_target_up{target=~"$target"}', legend: '{{target}}' }],
      ),
      kit.stat(
        {
          title: 'Connection usage',
          description: 'Client backends / usable maximum, now. The governor acts from 85 %.',
          w: 5,
          h: 4,
          unit: 'percentunit',
          max: 1,
          thresholds: CONNECTION_USAGE,
          links: [dashboardLink(UIDS.sessions, 'Sessions & locks'), dashboardLink(UIDS.governor, 'Governor')],
        },
        [kit.series('pg_connection_usage_ratio', byTarget)],
      ),
      kit.stat(
        {
          title: 'Transactions / s',
          description: 'Commits and rollbacks per second, all databases of the target.',
          w: 5,
          h: 4,
        },
        [kit.series('pg_tps', { ...byTarget, groupBy: [] })],
      ),
      kit.promStat(
        {
          title: 'Open alerts',
          description: 'Alert instances firing in the backend evaluation, by severity.',
          w: 5,
          h: 4,
          thresholds: ANY,
        },
        [{ expr: 'sum by (severity) (pgg_alerts_firing)', legend: '{{severity}}' }],
      ),
      kit.promStat(
        {
          title: 'Governor level',
          description:
            'Connection pressure the governor sees: normal, warn, optimize (ends idle sessions), critical (sheds load).',
          w: 5,
          h: 4,
          thresholds: ['green', [1, 'yellow'], [2, 'orange'], [3, 'red']],
          mappings: LEVEL_MAPPINGS,
          links: [dashboardLink(UIDS.governor, 'Governor')],
        },
        [{ expr: 'pgg_governor_level{target=~"$target"}', legend: '{{target}}' }],
      ),
      kit.timeseries(
        {
          title: 'Connection usage',
          description: 'Client backends / usable maximum (max_connections minus reserved slots) per target.',
          w: 12,
          h: 8,
          unit: 'percentunit',
          min: 0,
          max: 1,
          thresholds: CONNECTION_USAGE,
          showThresholds: true,
          links: [dashboardLink(UIDS.sessions, 'Sessions & locks')],
        },
        [kit.series('pg_connection_usage_ratio', byTarget)],
      ),
      kit.timeseries(
        {
          title: 'Transactions per second',
          description: 'Commits and rollbacks per second per target ($database).',
          w: 12,
          h: 8,
        },
        [kit.series('pg_tps', { ...byTarget, groupBy: [], filters: { datname: '$database' } })],
      ),
      kit.promTimeseries(
        {
          title: 'Mean statement latency',
          description:
            'Execution time / calls of the Top-N statements over the last interval, per target (weighted by calls).',
          w: 12,
          h: 8,
          unit: 's',
          links: [dashboardLink(UIDS.queries, 'Query performance')],
        },
        [
          {
            expr: 'sum by (target) (rate(pg_statement_exec_time_seconds_total{target=~"$target"}[$__rate_interval])) / sum by (target) (rate(pg_statement_calls_total{target=~"$target"}[$__rate_interval]))',
            legend: '{{target}}',
          },
        ],
      ),
      kit.timeseries(
        {
          title: 'Oldest transaction',
          description:
            'Age of the oldest open transaction per target and database: vacuum cannot clean behind it.',
          w: 12,
          h: 8,
          thresholds: TRANSACTION_AGE,
          showThresholds: true,
          links: [dashboardLink(UIDS.sessions, 'Sessions & locks')],
        },
        [
          kit.series('pg_oldest_transaction_seconds', {
            legend: '{{target}} {{datname}}',
            filters: { datname: '$database' },
          }),
        ],
      ),
      kit.table({
        title: 'Alert transitions',
        description:
          'Alerts that fired or resolved in the time range (backend evaluation and Grafana webhooks).',
        w: 12,
        h: 8,
        table: 'alerts',
        limit: 100,
        orderBy: 'time',
        hide: ['data'],
      }),
      kit.timeseries(
        {
          title: 'Sessions idle in transaction',
          description:
            'Sessions holding a transaction open without running anything, per target and database.',
          w: 12,
          h: 8,
          links: [dashboardLink(UIDS.sessions, 'Sessions & locks')],
        },
        [
          kit.series('pg_idle_in_transaction_sessions', {
            legend: '{{target}} {{datname}}',
            filters: { datname: '$database' },
          }),
        ],
      ),
      kit.promStat(
        {
          title: 'Open findings',
          description:
            'Diagnosed problems open now on the selected targets, by severity: the Findings dashboard names each one and its fix.',
          w: 24,
          h: 4,
          thresholds: ANY,
          links: [dashboardLink(UIDS.findings, 'Findings')],
        },
        [{ expr: 'sum by (severity) (pgg_findings_open{target=~"$target"})', legend: '{{severity}}' }],
      ),
    ],
  };
}
