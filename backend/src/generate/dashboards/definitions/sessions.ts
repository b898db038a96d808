import { Catalog } from '../../../catalog/catalog';
import { dashboardLink, DashboardSpec, UIDS } from '../model';
import { PanelKit } from '../panels';
import {
  CANARY_LATENCY,
  CONNECTION_USAGE,
  IDLE_IN_TRANSACTION_AGE,
  LOCK_WAIT,
  TRANSACTION_AGE,
} from '../steps';

export function sessionsDashboard(catalog: Catalog): DashboardSpec {
  const kit = new PanelKit(catalog, false);
  const db = { datname: '$database' };
  return {
    uid: UIDS.sessions,
    file: 'sessions-and-locks.json',
    title: 'PG Governor / Sessions & locks',
    description:
      'Who is connected and doing what: states, long transactions, idle in transaction, blocking chains',
    annotationKinds: ['interventions', 'alerts'],
    time: { from: 'now-1h', to: 'now' },
    panels: [
      kit.timeseries(
        {
          title: 'Sessions by state',
          description: 'Client backends by state (active, idle, idle in transaction, ...).',
          w: 12,
          h: 8,
          stack: true,
        },
        [kit.series('pg_connections', { filters: db, groupBy: ['state'], legend: '{{state}}' })],
      ),
      kit.timeseries(
        {
          title: 'Connection usage',
          description:
            'Client backends / usable maximum. The lines are the governor levels (warn, optimize, critical).',
          w: 12,
          h: 8,
          unit: 'percentunit',
          min: 0,
          max: 1,
          thresholds: CONNECTION_USAGE,
          showThresholds: true,
          links: [dashboardLink(UIDS.governor, 'Governor')],
        },
        [kit.series('pg_connection_usage_ratio', { legend: 'usage' })],
      ),
      kit.timeseries(
        {
          title: 'Oldest transaction and longest query',
          description:
            'How long the oldest transaction has been open and the longest query has been running.',
          w: 8,
          h: 8,
          thresholds: TRANSACTION_AGE,
          showThresholds: true,
        },
        [
          kit.series('pg_oldest_transaction_seconds', { filters: db, legend: 'transaction {{datname}}' }),
          kit.series('pg_longest_query_seconds', { filters: db, legend: 'query {{datname}}' }),
        ],
      ),
      kit.timeseries(
        {
          title: 'Sessions idle in transaction',
          description: 'Sessions inside a transaction that run nothing: they hold locks and stop vacuum.',
          w: 8,
          h: 8,
        },
        [kit.series('pg_idle_in_transaction_sessions', { filters: db, legend: '{{datname}}' })],
      ),
      kit.timeseries(
        {
          title: 'Longest idle in transaction',
          description: 'Time the longest idle-in-transaction session has been waiting for its client.',
          w: 8,
          h: 8,
          thresholds: IDLE_IN_TRANSACTION_AGE,
          showThresholds: true,
        },
        [kit.series('pg_longest_idle_in_transaction_seconds', { filters: db, legend: '{{datname}}' })],
      ),
      kit.timeseries(
        {
          title: 'Blocking',
          description: 'Sessions waiting on a lock, the roots of blocking chains, and the longest chain.',
          w: 12,
          h: 8,
        },
        [
          kit.series('pg_blocked_sessions', { legend: 'blocked' }),
          kit.series('pg_blocking_root_sessions', { legend: 'root blockers' }),
          kit.series('pg_blocking_chain_max_depth', { legend: 'max chain depth' }),
        ],
      ),
      kit.timeseries(
        {
          title: 'Longest lock wait',
          description: 'The longest current wait for a lock.',
          w: 12,
          h: 8,
          thresholds: LOCK_WAIT,
          showThresholds: true,
        },
        [kit.series('pg_lock_wait_longest_seconds', { legend: 'longest wait' })],
      ),
      kit.timeseries(
        {
          title: 'Waiting sessions by wait event type',
          description: 'Active sessions waiting, by wait event type (Lock, LWLock, IO, Client, ...).',
          w: 12,
          h: 8,
          stack: true,
        },
        [kit.series('pg_sessions_waiting', { groupBy: ['wait_event_type'], legend: '{{wait_event_type}}' })],
      ),
      kit.timeseries(
        {
          title: 'Backends by type',
          description: 'Every backend: client, autovacuum, walsender, background workers.',
          w: 12,
          h: 8,
          stack: true,
        },
        [kit.series('pg_backends', { groupBy: ['backend_type'], legend: '{{backend_type}}' })],
      ),
      kit.table({
        title: 'Blocking chains',
        description:
          'Each blocked session with its root blocker (the session to look at first), deepest first.',
        w: 24,
        h: 8,
        table: 'blocking',
        filters: db,
        orderBy: 'wait_seconds',
        columnThresholds: { wait_seconds: LOCK_WAIT, root_transaction_seconds: TRANSACTION_AGE },
      }),
      kit.table({
        title: 'Sessions',
        description: 'Client sessions now, longest transaction first (query text redacted).',
        w: 24,
        h: 10,
        table: 'sessions',
        filters: db,
        orderBy: 'transaction_seconds',
        limit: 200,
        hide: ['backend_start_us', 'is_self', 'is_replication_role'],
        columnThresholds: { transaction_seconds: TRANSACTION_AGE },
      }),
      kit.timeseries(
        {
          title: 'Client round trip (canary)',
          description:
            'What a client feels: SELECT 1 and a tiny EXPLAIN ANALYZE on pg_class, timed by PG Governor on its connection every hot cycle. The lines are the alert levels (on the SELECT 1 average).',
          w: 12,
          h: 8,
          thresholds: CANARY_LATENCY,
          showThresholds: true,
        },
        [
          kit.series('pg_canary_roundtrip_seconds', { legend: 'SELECT 1' }),
          kit.series('pg_canary_explain_seconds', { legend: 'EXPLAIN ANALYZE' }),
        ],
      ),
      kit.timeseries(
        {
          title: 'Canary plan: planning and execution',
          description:
            'Planning and execution time the canary EXPLAIN reports. Small here with a slow round trip: the time goes to the network, a pooler or the client host; large here: the server itself is slow.',
          w: 12,
          h: 8,
        },
        [
          kit.series('pg_canary_planning_seconds', { legend: 'planning' }),
          kit.series('pg_canary_execution_seconds', { legend: 'execution' }),
        ],
      ),
    ],
  };
}
