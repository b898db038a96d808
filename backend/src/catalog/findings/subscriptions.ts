import { sql } from '../alerts/helpers';
import { RunbookCheck } from '../alerts/types';
import { FindingKind, runbookOf } from './types';

/** Every subscription with its apply worker and what it last heard (subconninfo is never read). */
const SUBSCRIPTIONS_NOW: RunbookCheck = {
  what: 'Every subscription: enabled or not, its apply worker, and when it last heard from the publisher.',
  sql: sql`
    SELECT s.subname, d.datname, s.subenabled, s.subslotname, w.pid AS apply_pid,
           w.received_lsn, w.last_msg_receipt_time,
           now() - w.last_msg_receipt_time AS since_last_message
    FROM pg_subscription s
    JOIN pg_database d ON d.oid = s.subdbid
    LEFT JOIN pg_stat_subscription w
           ON w.subid = s.oid AND w.relid IS NULL AND w.pid IS NOT NULL
    ORDER BY s.subname;`,
};

/** Apply and table sync errors (15+). */
const SUBSCRIPTION_ERRORS: RunbookCheck = {
  what: 'Apply and table sync errors per subscription since the statistics reset (PostgreSQL 15+; the error itself is in the server log, "logical replication apply worker" or "table synchronization worker").',
  sql: sql`
    SELECT subname, apply_error_count, sync_error_count, stats_reset
    FROM pg_stat_subscription_stats
    ORDER BY apply_error_count + sync_error_count DESC;`,
};

/** Conflicts by kind (18+). */
const SUBSCRIPTION_CONFLICTS_NOW: RunbookCheck = {
  what: 'Conflicts per subscription since the statistics reset (PostgreSQL 18+). Each is logged on the subscriber with its relation, key and the local and remote change: "conflict detected on relation ...: conflict=update_missing".',
  sql: sql`
    SELECT subname, confl_update_missing, confl_delete_missing, confl_update_origin_differs,
           confl_delete_origin_differs, confl_insert_exists, confl_update_exists,
           confl_multiple_unique_conflicts, stats_reset
    FROM pg_stat_subscription_stats
    ORDER BY confl_update_missing + confl_delete_missing DESC;`,
};

/** The tables of this database's subscriptions that are not ready yet. */
const TABLES_NOT_READY: RunbookCheck = {
  what: "The tables not ready, by subscription (this database's subscriptions: pg_subscription_rel is per database).",
  sql: sql`
    SELECT s.subname, sr.srrelid::regclass AS table_name, sr.srsubstate, sr.srsublsn
    FROM pg_subscription_rel sr
    JOIN pg_subscription s ON s.oid = sr.srsubid
    WHERE sr.srsubstate <> 'r'
    ORDER BY s.subname, table_name;`,
};

/** The limits on logical replication workers. */
const WORKER_SETTINGS: RunbookCheck = {
  what: 'The limits on logical replication workers (all of them come out of max_worker_processes).',
  sql: sql`
    SELECT name, setting, unit
    FROM pg_settings
    WHERE name IN ('max_logical_replication_workers', 'max_sync_workers_per_subscription',
                   'max_parallel_apply_workers_per_subscription', 'max_worker_processes',
                   'wal_retrieve_retry_interval', 'wal_receiver_timeout');`,
};

export const SUBSCRIPTION_FINDINGS: FindingKind[] = [
  {
    id: 'subscription_down',
    title: 'Logical replication subscription not replicating',
    category: 'replication',
    description:
      'An enabled subscription has had no apply worker for a while (it fails again and again, cannot reach the publisher or finds no free worker), or the subscription is disabled: nothing reaches the subscriber, and the publisher keeps WAL for its slot.',
    severity: 'warning',
    inputs: [{ collector: 'subscriptions', queries: ['subscriptions'] }],
    params: {
      warning_down_s: {
        default: 300,
        unit: 'seconds',
        description: 'Enabled subscription without its apply worker for this long: warning',
      },
      critical_down_s: {
        default: 1800,
        unit: 'seconds',
        description: 'Without its apply worker for this long: critical (a disabled subscription: info)',
      },
    },
    anchors:
      'ours: the launcher restarts a failed apply worker within wal_retrieve_retry_interval (5 s), so 5 minutes without one is no restart; pgwatch logical_subscriptions (enabled, worker) has no threshold',
    runbook: runbookOf('subscription_down'),
    guide: {
      meaning:
        "A logical replication subscription replicates only while its apply worker runs. Without one nothing reaches the subscriber: its tables fall behind, and the publisher keeps every WAL segment since the subscription's position for its slot (pg_wal grows there). The worker is missing when it fails again and again (an apply error: a conflicting row, a missing table or column, permissions; the launcher restarts it every wal_retrieve_retry_interval and it fails again), when it cannot connect to the publisher, or when no worker slot is free (max_logical_replication_workers). A disabled subscription (ALTER SUBSCRIPTION ... DISABLE, or disable_on_error after an error) replicates nothing until enabled again: an info finding, since it may be on purpose.",
      checks: [SUBSCRIPTIONS_NOW, SUBSCRIPTION_ERRORS, WORKER_SETTINGS],
      remediation: [
        "Read the error in the subscriber's server log (and, for connection errors, the publisher's). A conflicting row (duplicate key) or a missing table or column on the subscriber is fixed there: remove or change the conflicting row, add what is missing; the worker retries by itself.",
        "To skip a transaction that cannot be applied (PostgreSQL 15+, loses that transaction's changes on the subscriber): `ALTER SUBSCRIPTION <subscription> SKIP (lsn = '<finish LSN from the log>');`",
        'No free worker: raise max_logical_replication_workers (and max_worker_processes; a restart).',
        'A disabled subscription that should replicate: `ALTER SUBSCRIPTION <subscription> ENABLE;` (the finding quotes it). One that is gone for good: `DROP SUBSCRIPTION`, which also drops its slot on the publisher when it can reach it.',
      ],
    },
  },
  {
    id: 'subscription_errors',
    title: 'Logical replication apply or table sync errors',
    category: 'replication',
    description:
      "A subscription's apply worker or table synchronization workers failed in the window (PostgreSQL 15+): an apply error stops all replication of the subscription until it is fixed, a sync error keeps a table from being copied.",
    severity: 'warning',
    inputs: [{ collector: 'subscriptions', queries: ['subscriptions'] }],
    counters: ['pg_subscription_apply_errors_total', 'pg_subscription_sync_errors_total'],
    params: {
      warning_errors: {
        default: 1,
        unit: 'count',
        description: 'Apply and sync errors of a subscription in the window: warning',
      },
      critical_apply_errors: {
        default: 10,
        unit: 'count',
        description:
          'Apply errors in the window: critical (a worker retried every few seconds keeps failing on the same change)',
      },
      window_s: { default: 900, unit: 'seconds', description: 'Window the errors are counted over' },
    },
    anchors:
      'ours (any error; ten apply errors in the window is a worker failing on every retry); pgwatch subscription_stats has the counts without a threshold; the window as temp_spill',
    runbook: runbookOf('subscription_errors'),
    guide: {
      meaning:
        "The subscription's workers hit errors: the apply worker (replicating changes) or a table synchronization worker (the initial copy of a table). The apply worker stops at the failing transaction and is restarted every wal_retrieve_retry_interval, failing again until the cause is fixed, so nothing of the subscription replicates meanwhile and the publisher retains WAL. A table whose copy fails stays not ready and is retried for ever. Typical causes: a row that already exists on the subscriber (duplicate key), a table or column missing there, a permission, a trigger failing, a lost connection to the publisher.",
      checks: [
        SUBSCRIPTION_ERRORS,
        SUBSCRIPTIONS_NOW,
        {
          ...TABLES_NOT_READY,
          what: 'Tables of the subscriptions of this database that are not ready yet (i: waiting for copy, d: copying, f: copied, s: catching up).',
        },
      ],
      remediation: [
        "Read the error in the subscriber's server log: it names the table, the constraint and (15+) the transaction's finish LSN.",
        'Fix the data on the subscriber (remove or change the conflicting row, add the missing column or table, grant what is missing); the workers retry by themselves, and the error count stops rising.',
        "Only when a transaction must be given up (PostgreSQL 15+; its changes are lost on the subscriber): `ALTER SUBSCRIPTION <subscription> SKIP (lsn = '<finish LSN from the log>');`",
        'To stop retrying until someone looks (15+): `ALTER SUBSCRIPTION <subscription> SET (disable_on_error = true);`',
      ],
    },
  },
  {
    id: 'subscription_conflicts',
    title: 'Logical replication changes skipped or overwritten',
    category: 'replication',
    description:
      "A subscription's apply worker met conflicts in the window (PostgreSQL 18+): updates and deletes of rows missing on the subscriber were skipped, so its tables no longer match the publisher's; changes to rows another origin wrote last overwrote them.",
    severity: 'warning',
    inputs: [{ collector: 'subscriptions', queries: ['subscription-conflicts'] }],
    counters: ['pg_subscription_conflicts_total'],
    params: {
      warning_skipped: {
        default: 1,
        unit: 'count',
        description:
          'Changes skipped in the window (update_missing, delete_missing): warning; overwritten ones only (origin_differs): info',
      },
      window_s: { default: 3600, unit: 'seconds', description: 'Window the conflicts are counted over' },
    },
    anchors:
      'ours: PostgreSQL 18 counts conflicts (pg_stat_subscription_stats.confl_*) and any skipped change leaves the subscriber different from the publisher; the conflicts that stop the worker (insert_exists, update_exists, multiple_unique_conflicts) are subscription_errors; pgwatch subscription_stats has the counters without a threshold',
    runbook: runbookOf('subscription_conflicts'),
    guide: {
      meaning:
        "Logical replication applies each change of the publisher to the subscriber's row with the same key. When the row is not there (deleted or never copied on the subscriber), an UPDATE or DELETE is skipped: update_missing, delete_missing. PostgreSQL 18 logs and counts these conflicts; replication goes on, but the subscriber's table now differs from the publisher's, silently for the applications reading it. With track_commit_timestamp on, a change to a row last written by another origin (a local write on the subscriber, another subscription) is detected too and applied over it: update_origin_differs, delete_origin_differs. Conflicts on a unique key (insert_exists, update_exists, multiple_unique_conflicts) stop the apply worker instead: those are subscription_errors.",
      checks: [
        SUBSCRIPTION_CONFLICTS_NOW,
        SUBSCRIPTIONS_NOW,
        {
          what: 'Whether origin conflicts can be detected at all (they need commit timestamps).',
          sql: sql`SELECT name, setting FROM pg_settings WHERE name = 'track_commit_timestamp';`,
        },
      ],
      remediation: [
        'Find the rows in the subscriber\'s server log ("conflict detected on relation ..."): it names the relation, the replica identity key and the remote change.',
        'Find why they were missing: writes on the subscriber (deletes by an application or a job connected to the wrong side), a table copied after rows were removed, a replica identity that does not identify the row. Stop the writes on the subscriber (a read-only role or default_transaction_read_only for its applications).',
        'Bring the table back in line: copy the missing rows from the publisher, or resynchronize the whole table: remove it from the publication and add it back, then `ALTER SUBSCRIPTION <subscription> REFRESH PUBLICATION WITH (copy_data = true);` after emptying it on the subscriber (in a quiet moment: the copy holds a slot on the publisher).',
        'Overwritten changes (origin_differs) are expected where two origins write the same rows on purpose; otherwise make one side the only writer of those tables.',
      ],
    },
  },
  {
    id: 'subscription_sync_stuck',
    title: 'Subscription tables not ready',
    category: 'replication',
    description:
      'Tables of a subscription have not finished their initial copy for a long time: the copy fails and is retried (a conflicting row, a missing column), waits for a free sync worker, or is simply very large; until they are ready they are not replicated, and each copy in progress holds a slot on the publisher.',
    severity: 'warning',
    inputs: [{ collector: 'subscriptions', queries: ['subscriptions', 'subscription-tables'] }],
    params: {
      warning_s: {
        default: 3600,
        unit: 'seconds',
        description: 'A table not ready for this long (as PG Governor saw it): warning',
      },
    },
    anchors:
      'ours (an hour: a failing copy shows within minutes, and a very large copy may take longer: raise it for big initial syncs); pgwatch logical_subscriptions counts tables by state without a threshold',
    runbook: runbookOf('subscription_sync_stuck'),
    guide: {
      meaning:
        'A subscription copies each table once (initial synchronization: i waiting, d copying, f copied, s catching up with the apply worker) before replicating it (r ready). A table that stays not ready is not replicated: its copy fails and is retried for ever (a row that already exists on the subscriber, a column missing there), it waits for a sync worker (max_sync_workers_per_subscription at a time), or it is very large. Each copy in progress holds a replication slot and an exported snapshot on the publisher, which retain WAL and hold its transaction horizon back.',
      checks: [
        TABLES_NOT_READY,
        {
          what: 'The table synchronization workers running now.',
          sql: sql`
            SELECT subname, pid, relid::regclass AS table_name, received_lsn, last_msg_receipt_time
            FROM pg_stat_subscription
            WHERE relid IS NOT NULL;`,
        },
        SUBSCRIPTION_ERRORS,
        WORKER_SETTINGS,
      ],
      remediation: [
        'A copy that fails (sync errors, the server log: "table synchronization worker"): fix the cause on the subscriber, usually rows already present in the table (the copy expects it empty) or a missing column; the copy retries by itself.',
        'A copy waiting for a worker: raise max_sync_workers_per_subscription (and max_logical_replication_workers, max_worker_processes) or let the queue drain.',
        "A very large table still copying: let it finish (watch the publisher's WAL retention meanwhile), and raise findings.subscription_sync_stuck.warning_s if big initial syncs are normal here.",
      ],
    },
  },
];
