import { CollectorDefinition } from '../types';
import { counter, gauge } from '../define';

const QUERIES = ['pools', 'stats', 'clients', 'databases', 'config', 'lists'] as const;

/**
 * Hot loop, on the target's PgBouncer admin console (only where `pgbouncer.dsn` is configured):
 * pools, waiting clients, the connection math between PgBouncer and PostgreSQL, and settings drift. It runs beside
 * the PostgreSQL collectors on its own connection; while PostgreSQL is down it keeps reporting,
 * against the server as last identified.
 */
export const pgbouncerDefinition: CollectorDefinition = {
  name: 'pgbouncer',
  loop: 'hot',
  source: 'pgbouncer',
  description:
    'PgBouncer pools (clients active and waiting, server connections, longest wait), traffic, limits, how many server connections its pools may open against what PostgreSQL allows, and settings changes (SHOW CONFIG between cycles)',
  queries: QUERIES.map((q) => `pgbouncer/${q}`),
  metrics: [
    gauge(
      'pgbouncer_up',
      'Whether the admin console answered every command of the cycle (1) or not (0)',
      'short',
    ),
    gauge(
      'pgbouncer_clients_active',
      "Client connections linked to a server connection or idle, summed over the database's pools",
      'short',
      ['database'],
    ),
    gauge(
      'pgbouncer_clients_waiting',
      "Client connections waiting for a server connection, summed over the database's pools",
      'short',
      ['database'],
    ),
    gauge(
      'pgbouncer_servers_active',
      "Server connections linked to a client, summed over the database's pools",
      'short',
      ['database'],
    ),
    gauge(
      'pgbouncer_servers_idle',
      "Server connections unused and ready, summed over the database's pools",
      'short',
      ['database'],
    ),
    gauge(
      'pgbouncer_servers_used',
      'Server connections PgBouncer holds open, all pools (SHOW LISTS used_servers)',
      'short',
    ),
    gauge(
      'pgbouncer_max_wait_seconds',
      'How long the oldest waiting client of the database has waited',
      's',
      ['database'],
    ),
    gauge('pgbouncer_avg_query_seconds', 'Average query duration over the last stats_period', 's', [
      'database',
    ]),
    gauge(
      'pgbouncer_avg_wait_seconds',
      'Average time clients waited for a server connection over the last stats_period',
      's',
      ['database'],
    ),
    counter('pgbouncer_queries_total', 'Queries PgBouncer has pooled since it started', 'short', [
      'database',
    ]),
    counter('pgbouncer_transactions_total', 'Transactions PgBouncer has pooled since it started', 'short', [
      'database',
    ]),
    gauge(
      'pgbouncer_pool_size',
      'Server connections a pool of the database may open (pool_size, or default_pool_size)',
      'short',
      ['database'],
    ),
    gauge('pgbouncer_default_pool_size', 'default_pool_size', 'short'),
    counter(
      'pgbouncer_settings_changed_total',
      'PgBouncer setting value changes (SHOW CONFIG) seen between cycles since PG Governor started; each is a settings_drift event',
    ),
    gauge('pgbouncer_clients', "Client connections by state, the admin console's included", 'short', [
      'state',
    ]),
    gauge('pgbouncer_max_client_conn', 'max_client_conn: client connections PgBouncer accepts', 'short'),
    gauge('pgbouncer_client_usage_ratio', 'Client connections / max_client_conn', 'percentunit'),
    gauge(
      'pgbouncer_server_connections_possible',
      'Server connections the pools may open: sum over databases of min(max_db_connections, (pool_size + reserve_pool) x pools of the database, one pool per user)',
      'short',
    ),
    gauge(
      'pgbouncer_postgres_usable_connections',
      'Connections PostgreSQL accepts from ordinary roles (max_connections minus reserved slots)',
      'short',
    ),
    gauge(
      'pgbouncer_pool_capacity_ratio',
      'pgbouncer_server_connections_possible / PostgreSQL usable connections; above 1 PgBouncer may open more server connections than PostgreSQL allows (sum over PgBouncers in front of one server for a fleet)',
      'percentunit',
    ),
  ],
  snapshots: [
    {
      kind: 'pgbouncer_pools',
      description:
        'Every PgBouncer pool (database, user): clients active and waiting, server connections by state, longest wait, pool mode',
      columns: [
        { name: 'database', type: 'string' },
        { name: 'user', type: 'string' },
        { name: 'cl_active', type: 'number', description: 'clients linked to a server connection or idle' },
        { name: 'cl_waiting', type: 'number', description: 'clients waiting for a server connection' },
        { name: 'sv_active', type: 'number', description: 'server connections linked to a client' },
        { name: 'sv_idle', type: 'number', description: 'server connections unused and ready' },
        {
          name: 'sv_used',
          type: 'number',
          description: 'server connections idle past server_check_delay, to be checked before use',
        },
        { name: 'maxwait', type: 'number', unit: 's', description: 'wait of the oldest waiting client' },
        { name: 'pool_mode', type: 'string' },
      ],
    },
  ],
};
