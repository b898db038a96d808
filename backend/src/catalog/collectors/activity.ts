import { CollectorDefinition } from '../types';
import { gauge } from '../define';

/** Hot loop: sessions, connection usage and blocking, from one pg_stat_activity snapshot. */
export const activityDefinition: CollectorDefinition = {
  name: 'activity',
  loop: 'hot',
  description:
    'Sessions by state, connection usage against the usable maximum, long transactions, lock waits and blocking chains',
  queries: ['activity'],
  metrics: [
    gauge('pg_connections', 'Client backends by database and state', 'short', ['datname', 'state']),
    gauge(
      'pg_connections_by_application',
      'Client backends by application (top 20, rest as "other") and state',
      'short',
      ['application', 'state'],
    ),
    gauge('pg_backends', 'All backends by type (client, autovacuum, walsender, ...)', 'short', [
      'backend_type',
    ]),
    gauge('pg_sessions_waiting', 'Active client backends waiting, by wait event type', 'short', [
      'wait_event_type',
    ]),
    gauge('pg_max_connections', 'max_connections', 'short'),
    gauge('pg_connections_reserved', 'Slots reserved for superusers and reserved_connections roles', 'short'),
    gauge(
      'pg_connections_usable_max',
      'Connections available to ordinary roles: max_connections minus reserved slots',
      'short',
    ),
    gauge('pg_connections_used', 'Client backends', 'short'),
    gauge('pg_connection_usage_ratio', 'Client backends / usable maximum', 'percentunit'),
    gauge('pg_oldest_transaction_seconds', 'Age of the oldest open transaction, by database', 's', [
      'datname',
    ]),
    gauge('pg_longest_query_seconds', 'Runtime of the longest running query, by database', 's', ['datname']),
    gauge('pg_idle_in_transaction_sessions', 'Sessions idle in transaction, by database', 'short', [
      'datname',
    ]),
    gauge(
      'pg_longest_idle_in_transaction_seconds',
      'Longest time a session has been idle in transaction (since state change), by database',
      's',
      ['datname'],
    ),
    gauge('pg_blocked_sessions', 'Sessions waiting on a lock held by another session', 'short'),
    gauge(
      'pg_blocking_root_sessions',
      'Sessions at the root of a blocking chain (blocking others, waiting on nobody)',
      'short',
    ),
    gauge('pg_blocking_chain_max_depth', 'Longest blocking chain (1: blocked directly by the root)', 'short'),
    gauge('pg_lock_wait_longest_seconds', 'Longest current lock wait', 's'),
  ],
  snapshots: [
    {
      kind: 'sessions',
      description: 'Every backend: who, where, state, timings, wait, query (redacted)',
      columns: [
        { name: 'pid', type: 'number' },
        { name: 'backend_start_us', type: 'string', description: 'identifies the backend with pid' },
        { name: 'backend_type', type: 'string' },
        { name: 'datname', type: 'string' },
        { name: 'usename', type: 'string' },
        { name: 'application_name', type: 'string' },
        { name: 'client_addr', type: 'string' },
        { name: 'state', type: 'string' },
        { name: 'backend_start', type: 'time' },
        { name: 'xact_start', type: 'time' },
        { name: 'query_start', type: 'time' },
        { name: 'state_change', type: 'time' },
        { name: 'transaction_seconds', type: 'number', unit: 's' },
        { name: 'query_seconds', type: 'number', unit: 's' },
        { name: 'state_seconds', type: 'number', unit: 's' },
        { name: 'wait_event_type', type: 'string' },
        { name: 'wait_event', type: 'string' },
        { name: 'query_id', type: 'string' },
        { name: 'query', type: 'string' },
        { name: 'blocking_pids', type: 'string' },
        { name: 'is_superuser', type: 'boolean' },
        { name: 'is_replication_role', type: 'boolean' },
        { name: 'is_self', type: 'boolean' },
      ],
    },
    {
      kind: 'blocking',
      description: 'Blocked sessions with their direct blocker and the root of their chain',
      columns: [
        { name: 'blocked_pid', type: 'number' },
        { name: 'blocker_pid', type: 'number' },
        { name: 'root_pid', type: 'number' },
        { name: 'depth', type: 'number' },
        { name: 'wait_seconds', type: 'number', unit: 's' },
        { name: 'datname', type: 'string' },
        { name: 'blocked_user', type: 'string' },
        { name: 'blocked_application', type: 'string' },
        { name: 'blocked_wait_event', type: 'string' },
        { name: 'blocked_query', type: 'string' },
        { name: 'root_user', type: 'string' },
        { name: 'root_application', type: 'string' },
        { name: 'root_state', type: 'string' },
        { name: 'root_transaction_seconds', type: 'number', unit: 's' },
        { name: 'root_query', type: 'string' },
      ],
    },
  ],
};
