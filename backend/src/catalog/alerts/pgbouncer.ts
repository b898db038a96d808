import { arithmetic, maxBy, metric } from './ast';
import { AlertDefinition } from './types';
import { singleMetricFixture, T } from './helpers';

const POOL = ['target', 'database'];
const POOL_FIXTURE = { ...T, database: 'app' };

export const PGBOUNCER_ALERTS: AlertDefinition[] = [
  {
    id: 'pgbouncer_down',
    name: 'PgBouncerDown',
    category: 'pgbouncer',
    component: 'pgbouncer',
    summary: 'The PgBouncer of {{label.target}} does not answer',
    description:
      'The admin console of the PgBouncer in front of {{label.target}} did not answer every command of the last cycle: clients going through it may be failing.',
    runbook: [
      'Is the process up, and does the admin console accept the monitor user (admin_users or stats_users)?',
      'Check its log for "no more connections allowed" (max_client_conn) and for server login failures.',
    ].join('\n'),
    unit: 'count',
    comparator: '<',
    levels: { critical: { threshold: 1, for_s: 60 } },
    instanceLabels: ['target'],
    value: () => maxBy(['target'], metric('pgbouncer_up')),
    fixtures: singleMetricFixture('pgbouncer_up', T, 1),
  },
  {
    id: 'pgbouncer_clients_waiting',
    name: 'PgBouncerClientsWaiting',
    category: 'pgbouncer',
    component: 'pgbouncer',
    summary: '{{value}} clients wait for a server connection to {{label.database}} on {{label.target}}',
    description:
      '{{value}} clients of database {{label.database}} have been waiting for a server connection (threshold: more than {{threshold}}) for a while: the pool is too small for the load, or server connections are held too long.',
    runbook: [
      'SHOW POOLS: cl_waiting and maxwait per pool; SHOW SERVERS: what the server connections are doing (long transactions in transaction mode hold them).',
      'Raise pool_size (within what PostgreSQL allows: see the pool capacity ratio) or fix slow transactions.',
    ].join('\n'),
    unit: 'count',
    comparator: '>',
    levels: { warning: { threshold: 0, for_s: 300 } },
    instanceLabels: POOL,
    value: () => maxBy(POOL, metric('pgbouncer_clients_waiting')),
    fixtures: singleMetricFixture('pgbouncer_clients_waiting', POOL_FIXTURE, 1),
  },
  {
    id: 'pgbouncer_pool_exhaustion',
    name: 'PgBouncerPoolExhaustion',
    category: 'pgbouncer',
    component: 'pgbouncer',
    summary: 'The pool of {{label.database}} on {{label.target}} uses {{value}} of its server connections',
    description:
      'Active server connections of database {{label.database}} are {{value}} of its pool size (threshold {{threshold}}): the next clients will wait.',
    runbook: [
      'SHOW POOLS and SHOW SERVERS: which users hold the server connections, and for how long.',
      'Raise pool_size for the database (keeping the sum of pools under what PostgreSQL accepts), or shorten transactions.',
    ].join('\n'),
    unit: 'ratio',
    comparator: '>=',
    levels: { warning: { threshold: 0.9, for_s: 300 } },
    instanceLabels: POOL,
    value: () =>
      arithmetic(
        '/',
        maxBy(POOL, metric('pgbouncer_servers_active')),
        maxBy(POOL, metric('pgbouncer_pool_size')),
        POOL,
      ),
    fixtures: {
      kind: 'value',
      instance: POOL_FIXTURE,
      epsilon: 0.01,
      inputs: (value) => [
        { metric: 'pgbouncer_servers_active', labels: POOL_FIXTURE, value: value * 10 },
        { metric: 'pgbouncer_pool_size', labels: POOL_FIXTURE, value: 10 },
      ],
    },
  },
  {
    id: 'pgbouncer_wait_time',
    name: 'PgBouncerWaitTime',
    category: 'pgbouncer',
    component: 'pgbouncer',
    summary:
      'A client of {{label.database}} on {{label.target}} has waited {{value}} for a server connection',
    description:
      'The oldest waiting client of database {{label.database}} has waited {{value}} (threshold: more than {{threshold}}). Applications see it as slow queries or connection timeouts.',
    runbook: [
      'Same causes as clients waiting: a pool too small or server connections held by slow transactions.',
      'Check query_wait_timeout: clients past it are disconnected with an error.',
    ].join('\n'),
    unit: 'seconds',
    comparator: '>',
    levels: { warning: { threshold: 5, for_s: 60 }, critical: { threshold: 30, for_s: 60 } },
    instanceLabels: POOL,
    value: () => maxBy(POOL, metric('pgbouncer_max_wait_seconds')),
    fixtures: singleMetricFixture('pgbouncer_max_wait_seconds', POOL_FIXTURE, 1),
  },
  {
    id: 'pgbouncer_client_saturation',
    name: 'PgBouncerClientSaturation',
    category: 'pgbouncer',
    component: 'pgbouncer',
    summary: 'PgBouncer of {{label.target}} holds {{value}} of max_client_conn',
    description:
      'Client connections are {{value}} of max_client_conn (threshold {{threshold}}); past it PgBouncer refuses new clients.',
    runbook: [
      'Which applications hold the client connections (SHOW CLIENTS); a leak shows as many idle clients from one host.',
      'Raise max_client_conn (and the file descriptor limit) or shrink application pools.',
    ].join('\n'),
    unit: 'ratio',
    comparator: '>=',
    levels: { warning: { threshold: 0.8, for_s: 120 }, critical: { threshold: 0.95, for_s: 120 } },
    instanceLabels: ['target'],
    value: () => maxBy(['target'], metric('pgbouncer_client_usage_ratio')),
    fixtures: singleMetricFixture('pgbouncer_client_usage_ratio', T, 0.01),
  },
];
