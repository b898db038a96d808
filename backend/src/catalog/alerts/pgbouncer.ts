import { arithmetic, maxBy, metric } from './ast';
import { AlertDefinition } from './types';
import { NO_DATA, singleMetricFixture, sql, T } from './helpers';

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
    runbook: {
      meaning:
        'PgBouncer does not answer its admin console: if the process is down, every client that connects through it fails; if only the console refuses the monitor user, clients may be fine but PG Governor is blind to the pools.',
      checks: [
        {
          what: 'Whether it answers at all (`psql -h <pgbouncer> -p 6432 -U <monitor user> pgbouncer`).',
          on: 'pgbouncer',
          sql: sql`
            SHOW VERSION;`,
        },
        {
          what: 'How many clients and servers it holds against its limits.',
          on: 'pgbouncer',
          sql: sql`
            SHOW LISTS;`,
        },
        {
          what: 'Its log: "no more connections allowed" (max_client_conn), server login failures, the process restarting. The monitor user must be in admin_users or stats_users.',
        },
      ],
      remediation: [
        'Restart PgBouncer if it is down (clients reconnect; in-flight transactions through it are lost).',
        'If only the console refuses: add the monitor user to stats_users and reload PgBouncer (`RELOAD;` on the console, or SIGHUP).',
      ],
    },
    noData: NO_DATA.onlyWhereItExists,
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
    runbook: {
      meaning:
        'Clients wait in PgBouncer for a server connection: every statement they send is delayed by the wait, and past query_wait_timeout they are disconnected with an error.',
      checks: [
        {
          what: 'Per pool: clients active and waiting, servers active and idle, and how long the oldest client has waited (maxwait).',
          on: 'pgbouncer',
          sql: sql`
            SHOW POOLS;`,
        },
        {
          what: 'What the server connections are doing (a long transaction in transaction mode holds its server connection).',
          on: 'pgbouncer',
          sql: sql`
            SHOW SERVERS;`,
        },
        {
          what: 'On PostgreSQL: the longest transactions of the sessions PgBouncer opened.',
          sql: sql`
            SELECT pid, usename, application_name, state, now() - xact_start AS xact_age, left(query, 200) AS query
            FROM pg_stat_activity
            WHERE backend_type = 'client backend' AND xact_start IS NOT NULL
            ORDER BY xact_start
            LIMIT 20;`,
        },
      ],
      remediation: [
        'Slow transactions hold the server connections: fix or cancel them first (on PostgreSQL, `SELECT pg_cancel_backend(<pid>);`).',
        'Otherwise the pool is too small for the load: raise pool_size for the database in pgbouncer.ini and RELOAD, keeping the sum of all pools under what PostgreSQL accepts (max_connections minus reserved slots).',
      ],
    },
    noData: NO_DATA.onlyWhereItExists,
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
    runbook: {
      meaning: 'Almost every server connection of the pool is busy: the next clients will wait in PgBouncer.',
      checks: [
        {
          what: 'Per pool: clients active and waiting, servers active and idle, and how long the oldest client has waited (maxwait).',
          on: 'pgbouncer',
          sql: sql`
            SHOW POOLS;`,
        },
        {
          what: 'What the server connections are doing (a long transaction in transaction mode holds its server connection).',
          on: 'pgbouncer',
          sql: sql`
            SHOW SERVERS;`,
        },
        {
          what: 'The pool size in force per database.',
          on: 'pgbouncer',
          sql: sql`
            SHOW DATABASES;`,
        },
        {
          what: 'On PostgreSQL: the longest transactions of the sessions PgBouncer opened.',
          sql: sql`
            SELECT pid, usename, application_name, state, now() - xact_start AS xact_age, left(query, 200) AS query
            FROM pg_stat_activity
            WHERE backend_type = 'client backend' AND xact_start IS NOT NULL
            ORDER BY xact_start
            LIMIT 20;`,
        },
      ],
      remediation: [
        'Shorten what holds the server connections (long transactions, sessions idle in transaction).',
        'Raise pool_size for the database and RELOAD, keeping the sum of pools under what PostgreSQL accepts.',
      ],
    },
    noData: NO_DATA.onlyWhereItExists,
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
    runbook: {
      meaning:
        'A client has waited that long for a server connection: applications see slow queries or connection timeouts, and past query_wait_timeout PgBouncer disconnects them with an error.',
      checks: [
        {
          what: 'Per pool: clients active and waiting, servers active and idle, and how long the oldest client has waited (maxwait).',
          on: 'pgbouncer',
          sql: sql`
            SHOW POOLS;`,
        },
        {
          what: 'What the server connections are doing (a long transaction in transaction mode holds its server connection).',
          on: 'pgbouncer',
          sql: sql`
            SHOW SERVERS;`,
        },
        {
          what: 'The timeouts and pool settings in force (query_wait_timeout, pool_size, reserve_pool_size).',
          on: 'pgbouncer',
          sql: sql`
            SHOW CONFIG;`,
        },
        {
          what: 'On PostgreSQL: the longest transactions of the sessions PgBouncer opened.',
          sql: sql`
            SELECT pid, usename, application_name, state, now() - xact_start AS xact_age, left(query, 200) AS query
            FROM pg_stat_activity
            WHERE backend_type = 'client backend' AND xact_start IS NOT NULL
            ORDER BY xact_start
            LIMIT 20;`,
        },
      ],
      remediation: [
        'Same causes as clients waiting: server connections held by slow transactions, or a pool too small for the load.',
        'A reserve pool (reserve_pool_size, reserve_pool_timeout) absorbs short bursts while the cause is fixed.',
      ],
    },
    noData: NO_DATA.onlyWhereItExists,
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
    runbook: {
      meaning:
        'PgBouncer holds nearly max_client_conn client connections: past it, it refuses new clients ("no more connections allowed").',
      checks: [
        {
          what: 'Which applications hold the client connections: many idle clients from one host point at a leak or an oversized application pool.',
          on: 'pgbouncer',
          sql: sql`
            SHOW CLIENTS;`,
        },
        {
          what: 'Client and server counts against the limits.',
          on: 'pgbouncer',
          sql: sql`
            SHOW LISTS;`,
        },
      ],
      remediation: [
        'Shrink the application pools that hold idle client connections, or fix the leak.',
        'Raise max_client_conn (and the process file descriptor limit, ulimit -n) and restart PgBouncer; client connections are cheap, server connections are not.',
      ],
    },
    noData: NO_DATA.onlyWhereItExists,
    unit: 'ratio',
    comparator: '>=',
    levels: { warning: { threshold: 0.8, for_s: 120 }, critical: { threshold: 0.95, for_s: 120 } },
    instanceLabels: ['target'],
    value: () => maxBy(['target'], metric('pgbouncer_client_usage_ratio')),
    fixtures: singleMetricFixture('pgbouncer_client_usage_ratio', T, 0.01),
  },
];
