import { maxBy, metric } from './ast';
import { AlertDefinition } from './types';
import { NO_DATA, singleMetricFixture, sql, T } from './helpers';

export const CONNECTION_ALERTS: AlertDefinition[] = [
  {
    id: 'connection_saturation',
    name: 'PgConnectionSaturation',
    category: 'connections',
    component: 'postgresql',
    summary: 'Connections on {{label.target}} at {{value}} of the usable maximum',
    description:
      'Client backends use {{value}} of the connections ordinary roles may open (max_connections minus reserved slots; threshold {{threshold}}). At 100 % new connections fail with "too many clients".',
    runbook: {
      meaning:
        'Once client backends reach the usable maximum, every new connection fails with "sorry, too many clients already"; only roles with reserved slots still get in. Applications see errors, not slowness.',
      checks: [
        {
          what: 'Who holds the connections: client backends by application, role, client and state.',
          sql: sql`
            SELECT application_name, usename, client_addr, state, count(*) AS sessions,
                   max(now() - state_change) AS longest_in_state
            FROM pg_stat_activity
            WHERE backend_type = 'client backend'
            GROUP BY 1, 2, 3, 4
            ORDER BY sessions DESC
            LIMIT 20;`,
        },
        {
          what: 'The limits in force: max_connections and the slots reserved for superusers and pg_use_reserved_connections.',
          sql: sql`
            SELECT current_setting('max_connections')::int AS max_connections,
                   current_setting('superuser_reserved_connections')::int AS superuser_reserved,
                   coalesce(current_setting('reserved_connections', true)::int, 0) AS reserved,
                   (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend') AS client_backends;`,
        },
        {
          what: 'Sessions idle the longest: the first candidates to end.',
          sql: sql`
            SELECT pid, usename, application_name, client_addr, state, now() - state_change AS idle_for
            FROM pg_stat_activity
            WHERE backend_type = 'client backend' AND state IN ('idle', 'idle in transaction')
            ORDER BY state_change
            LIMIT 20;`,
        },
      ],
      remediation: [
        'With the governor in mode enforce, it terminates idle sessions at its optimize level and sheds load at its critical level; in dry-run its journal lists what it would have done.',
        "By hand, end idle sessions of the application that holds too many, never active ones: `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '<app>' AND state = 'idle' AND state_change < now() - interval '10 minutes';`",
        'Lasting fix: PgBouncer in transaction mode in front of the application, smaller application pools, or a higher max_connections (a restart, and memory per connection).',
      ],
    },
    noData: NO_DATA.blind,
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
    runbook: {
      meaning:
        'PG Governor cannot watch the target: no metrics, no history, no governor and no alerts from its metrics until it is back. The server itself may be down, unreachable, or refusing the monitor role.',
      checks: [
        {
          what: 'The reason the backend gives: GET /readyz names each target and its state; the backend log says "connection refused", "password authentication failed" or which privilege check failed. From the backend host, `pg_isready -h <host> -p <port>` tells whether the server accepts connections at all.',
        },
        {
          what: 'On the server (as a superuser): the monitor role can log in and has pg_monitor.',
          sql: sql`
            SELECT rolname, rolcanlogin, rolconnlimit,
                   pg_has_role(rolname, 'pg_monitor', 'member') AS has_pg_monitor
            FROM pg_roles
            WHERE rolname = 'pgg_monitor';`,
        },
        {
          what: 'Connection slots left for it (a full server refuses the monitor role too).',
          sql: sql`
            SELECT count(*) AS client_backends, current_setting('max_connections')::int AS max_connections
            FROM pg_stat_activity
            WHERE backend_type = 'client backend';`,
        },
      ],
      remediation: [
        'Bring the server or the network path back (service manager, host, security groups, pg_hba.conf for the backend host).',
        'A refused target stays refused until its role is fixed: grant what sql/roles/README.md lists, then the backend retries on its own.',
      ],
    },
    noData: NO_DATA.blind,
    unit: 'count',
    comparator: '<',
    levels: { critical: { threshold: 1, for_s: 60 } },
    instanceLabels: ['target'],
    value: () => maxBy(['target'], metric('pgg_target_up')),
    fixtures: singleMetricFixture('pgg_target_up', T, 1),
  },
];
