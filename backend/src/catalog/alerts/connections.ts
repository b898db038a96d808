import { maxBy, metric } from './ast';
import { AlertDefinition } from './types';
import { singleMetricFixture, T } from './helpers';

export const CONNECTION_ALERTS: AlertDefinition[] = [
  {
    id: 'connection_saturation',
    name: 'PgConnectionSaturation',
    category: 'connections',
    component: 'postgresql',
    summary: 'Connections on {{label.target}} at {{value}} of the usable maximum',
    description:
      'Client backends use {{value}} of the connections ordinary roles may open (max_connections minus reserved slots; threshold {{threshold}}). At 100 % new connections fail with "too many clients".',
    runbook: [
      'Who holds the connections: the sessions table by application and state (idle and idle-in-transaction sessions are the usual culprits).',
      'The governor (mode enforce) terminates idle sessions at the optimize level and sheds load at the critical level; in dry-run its journal shows what it would do.',
      'Lasting fix: a pooler (PgBouncer, transaction mode) in front of the application, smaller application pools, or a higher max_connections (needs a restart and memory).',
    ].join('\n'),
    unit: 'ratio',
    comparator: '>=',
    levels: { warning: { threshold: 0.8, for_s: 120 }, critical: { threshold: 0.95, for_s: 120 } },
    instanceLabels: ['target'],
    value: () => maxBy(['target'], metric('pg_connection_usage_ratio')),
    fixtures: singleMetricFixture('pg_connection_usage_ratio', T, 0.01),
  },
  {
    id: 'target_down',
    name: 'PgTargetDown',
    category: 'availability',
    component: 'postgresql',
    summary: 'PostgreSQL target {{label.target}} is unreachable',
    description:
      'PG Governor cannot connect to {{label.target}} or refuses it (failed privilege check): no collection, no governor, no alerts from its metrics.',
    runbook: [
      'Is the server up (pg_isready, the service manager, the host)? Is the network path open?',
      'The backend log and /readyz name the reason: connection refused, authentication failed, or a privilege check (sql/roles).',
      'A refused target stays refused until its role is fixed; see sql/roles/README.md.',
    ].join('\n'),
    unit: 'count',
    comparator: '<',
    levels: { critical: { threshold: 1, for_s: 60 } },
    instanceLabels: ['target'],
    value: () => maxBy(['target'], metric('pgg_target_up')),
    fixtures: singleMetricFixture('pgg_target_up', T, 1),
  },
];
