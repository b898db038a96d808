import { Catalog } from '../../../catalog/catalog';
import { DashboardSpec, UIDS } from '../model';
import { PanelKit } from '../panels';
import { ANY, UP, UP_MAPPINGS } from '../steps';

export function pgbouncerDashboard(catalog: Catalog): DashboardSpec {
  const kit = new PanelKit(catalog, false);
  // PgBouncer's database names are its own (often the PostgreSQL ones): grouped, not filtered.
  const perDatabase = { legend: '{{database}}' };
  return {
    uid: UIDS.pgbouncer,
    file: 'pgbouncer.json',
    title: 'PG Governor / PgBouncer',
    description:
      'The PgBouncer in front of the target: clients active and waiting, servers, wait times, pool math',
    annotationKinds: ['alerts', 'interventions'],
    time: { from: 'now-1h', to: 'now' },
    panels: [
      kit.stat(
        {
          title: 'PgBouncer up',
          description: 'Whether the admin console answered every command of the cycle.',
          w: 4,
          h: 4,
          thresholds: UP,
          mappings: UP_MAPPINGS,
        },
        [kit.series('pgbouncer_up', { legend: 'up' })],
      ),
      kit.stat(
        {
          title: 'Waiting clients',
          description: 'Clients waiting for a server connection, all databases.',
          w: 5,
          h: 4,
          thresholds: ANY,
        },
        [kit.series('pgbouncer_clients_waiting', { groupBy: [], legend: 'waiting' })],
      ),
      kit.stat(
        {
          title: 'Pool capacity / PostgreSQL',
          description:
            'Server connections the pools may open / connections PostgreSQL accepts. Above 100 %: PgBouncer can exhaust PostgreSQL.',
          w: 5,
          h: 4,
          unit: 'percentunit',
          thresholds: ['green', [0.9, 'orange'], [1, 'red']],
        },
        [kit.series('pgbouncer_pool_capacity_ratio', { legend: 'capacity' })],
      ),
      kit.stat(
        {
          title: 'Client connections used',
          description: 'Client connections / max_client_conn.',
          w: 5,
          h: 4,
          unit: 'percentunit',
          thresholds: ['green', [0.8, 'orange'], [0.95, 'red']],
        },
        [kit.series('pgbouncer_client_usage_ratio', { legend: 'clients' })],
      ),
      kit.stat(
        { title: 'Server connections', description: 'Server connections PgBouncer holds open.', w: 5, h: 4 },
        [kit.series('pgbouncer_servers_used', { legend: 'servers' })],
      ),
      kit.timeseries(
        {
          title: 'Clients: active and waiting',
          description: 'Client connections served or idle, and waiting for a server, by database.',
          w: 12,
          h: 8,
        },
        [
          kit.series('pgbouncer_clients_active', { legend: 'active {{database}}' }),
          kit.series('pgbouncer_clients_waiting', { legend: 'waiting {{database}}' }),
        ],
      ),
      kit.timeseries(
        {
          title: 'Server connections',
          description: 'Server connections linked to a client, and idle ones, by database.',
          w: 12,
          h: 8,
          stack: true,
        },
        [
          kit.series('pgbouncer_servers_active', { legend: 'active {{database}}' }),
          kit.series('pgbouncer_servers_idle', { legend: 'idle {{database}}' }),
        ],
      ),
      kit.timeseries(
        {
          title: 'Max wait',
          description: 'How long the oldest waiting client has waited. Above 5 s the wait alert fires.',
          w: 12,
          h: 8,
          thresholds: ['green', [5, 'red']],
          showThresholds: true,
        },
        [kit.series('pgbouncer_max_wait_seconds', perDatabase)],
      ),
      kit.timeseries(
        {
          title: 'Average query and wait time',
          description: 'Average query duration and average client wait over the last stats_period.',
          w: 12,
          h: 8,
        },
        [
          kit.series('pgbouncer_avg_query_seconds', { legend: 'query {{database}}' }),
          kit.series('pgbouncer_avg_wait_seconds', { legend: 'wait {{database}}' }),
        ],
      ),
      kit.timeseries(
        {
          title: 'Pool math vs max_connections',
          description:
            'Server connections the pools may open against what PostgreSQL accepts from ordinary roles.',
          w: 12,
          h: 8,
        },
        [
          kit.series('pgbouncer_server_connections_possible', { legend: 'pools may open' }),
          kit.series('pgbouncer_postgres_usable_connections', { legend: 'PostgreSQL usable' }),
          kit.series('pgbouncer_servers_used', { legend: 'servers used' }),
        ],
      ),
      kit.timeseries(
        { title: 'Transactions and queries', description: 'Pooled per second, by database.', w: 12, h: 8 },
        [
          kit.series('pgbouncer_transactions_total', { legend: 'transactions {{database}}' }),
          kit.series('pgbouncer_queries_total', { legend: 'queries {{database}}' }),
        ],
      ),
      kit.table({
        title: 'Pools',
        description: 'Each pool (database, user): clients active and waiting, servers, max wait, mode.',
        w: 24,
        h: 8,
        table: 'pgbouncer_pools',
        orderBy: 'cl_waiting',
        columnThresholds: { cl_waiting: ANY, maxwait: ['green', [5, 'red']] },
      }),
    ],
  };
}
