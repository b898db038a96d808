import { counter, gauge } from '../define';
import { CollectorDefinition } from '../types';

/**
 * A table's sync state in pg_subscription_rel (srsubstate) and the name it is exported under:
 * a table is copied (init, data_copy, finished_copy), caught up with the apply worker
 * (sync_done), then replicated by it (ready).
 */
export const SYNC_STATES: Readonly<Record<string, string>> = {
  i: 'init',
  d: 'data_copy',
  f: 'finished_copy',
  s: 'sync_done',
  r: 'ready',
};

/**
 * The conflicts PostgreSQL 18+ counts per subscription (pg_stat_subscription_stats.confl_*), under
 * the conflict label. Skipped changes (*_missing) leave the subscriber diverged; origin_differs
 * overwrites another origin's change; the others stop the apply worker with an error.
 */
export const SUBSCRIPTION_CONFLICTS = [
  'insert_exists',
  'update_origin_differs',
  'update_exists',
  'update_missing',
  'delete_origin_differs',
  'delete_missing',
  'multiple_unique_conflicts',
] as const;
export const SUBSCRIPTION_CONFLICTS_MIN_MAJOR = 18;

/**
 * Workload loop, not on a standby (a standby holds a copy of its primary's subscriptions, and no
 * worker runs there): the subscriber side of logical replication. Per subscription: whether its
 * apply worker runs, what it last heard from the publisher, its tables by sync state (the
 * connected database's subscriptions only: pg_subscription_rel is per database), its apply
 * and table sync errors (PostgreSQL 15+) and the conflicts its apply worker met (18+). Subscription names are object names, labels as slot
 * names are, with the database they replicate into (names are unique per database only); the
 * connection string (subconninfo) is never read.
 */
export const subscriptionsDefinition: CollectorDefinition = {
  name: 'subscriptions',
  loop: 'workload',
  description:
    'Logical replication subscriptions (subscriber side): enabled, apply worker running, time since the last message from the publisher, tables by sync state and the tables not ready yet (pg_subscription_rel), apply and sync errors (pg_stat_subscription_stats, 15+), conflicts by kind (18+)',
  queries: ['subscriptions', 'subscription-tables', 'subscription-conflicts'],
  primaryOnly: true,
  metrics: [
    gauge('pg_subscription_enabled', 'Whether the subscription is enabled (1) or disabled (0)', 'short', [
      'datname',
      'subscription',
    ]),
    gauge(
      'pg_subscription_worker_running',
      "Whether the subscription's apply worker runs (1); 0 while it is down, restarting after an error or disabled",
      'short',
      ['datname', 'subscription'],
    ),
    gauge(
      'pg_subscription_last_message_age_seconds',
      'Seconds since the apply worker last received a message (changes or keepalive) from the publisher; absent while no worker runs',
      's',
      ['datname', 'subscription'],
    ),
    gauge(
      'pg_subscription_tables',
      "Tables of the subscription by sync state (init, data_copy, finished_copy, sync_done, ready); only for the subscriptions of the target's database",
      'short',
      ['datname', 'subscription', 'state'],
    ),
    counter(
      'pg_subscription_apply_errors_total',
      'Errors while applying changes from the publisher (pg_stat_subscription_stats, PostgreSQL 15+)',
      'short',
      ['datname', 'subscription'],
    ),
    counter(
      'pg_subscription_sync_errors_total',
      'Errors during the initial copy of a table (pg_stat_subscription_stats, PostgreSQL 15+)',
      'short',
      ['datname', 'subscription'],
    ),
    counter(
      'pg_subscription_conflicts_total',
      `Conflicts the apply worker met, by kind (${SUBSCRIPTION_CONFLICTS.join(', ')}): *_missing changes were skipped, *_origin_differs overwrote another origin's change, the others stopped the worker with an error (pg_stat_subscription_stats, PostgreSQL 18+)`,
      'short',
      ['datname', 'subscription', 'conflict'],
    ),
  ],
  snapshots: [
    {
      kind: 'subscriptions',
      description:
        'Logical replication subscriptions of this server (subscriber side) with their apply worker, what they last heard from the publisher, their tables by sync state and their errors',
      columns: [
        { name: 'subscription', type: 'string' },
        { name: 'database', type: 'string', description: 'the database the subscription replicates into' },
        { name: 'enabled', type: 'boolean' },
        { name: 'slot_name', type: 'string', description: 'its replication slot on the publisher' },
        { name: 'worker_running', type: 'boolean', description: 'the apply worker runs' },
        {
          name: 'worker_down_seconds',
          type: 'number',
          unit: 's',
          description:
            'enabled and no apply worker for this long, as PG Governor saw it (from its first cycle without one); null while it runs or when disabled',
        },
        { name: 'sync_workers', type: 'number', description: 'table synchronization workers running' },
        {
          name: 'received_lsn',
          type: 'string',
          description: 'last WAL position received from the publisher',
        },
        {
          name: 'latest_end_lsn',
          type: 'string',
          description: "the publisher's WAL position in its last keepalive",
        },
        { name: 'last_msg_send', type: 'time', description: 'when the publisher sent the last message' },
        { name: 'last_msg_receipt', type: 'time', description: 'when the apply worker received it' },
        { name: 'last_msg_age_seconds', type: 'number', unit: 's', description: 'now - last_msg_receipt' },
        { name: 'latest_end', type: 'time', description: 'when the publisher sent its last keepalive' },
        ...Object.values(SYNC_STATES).map((state) => ({
          name: `tables_${state}`,
          type: 'number' as const,
          description: `tables in sync state ${state} (null: the subscription replicates into another database)`,
        })),
        { name: 'apply_error_count', type: 'number', description: 'since the statistics reset (15+)' },
        { name: 'sync_error_count', type: 'number', description: 'since the statistics reset (15+)' },
      ],
    },
    {
      kind: 'subscription_tables',
      description:
        "Tables of the target database's subscriptions that are not replicating yet (sync state other than ready): their initial copy waits, runs or fails",
      columns: [
        { name: 'subscription', type: 'string' },
        { name: 'schemaname', type: 'string' },
        { name: 'relname', type: 'string' },
        { name: 'state', type: 'string', description: 'init, data_copy, finished_copy or sync_done' },
        { name: 'sync_lsn', type: 'string', description: 'the WAL position the copy ended at (sync_done)' },
        {
          name: 'not_ready_seconds',
          type: 'number',
          unit: 's',
          description: 'not ready for this long, as PG Governor saw it (from its first cycle seeing it so)',
        },
      ],
    },
  ],
};
