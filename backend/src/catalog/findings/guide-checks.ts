import { sql } from '../alerts/helpers';
import { RunbookCheck } from '../alerts/types';

/**
 * The first checks (and remediation steps) that several runbooks share, the alerts' and the finding
 * kinds' alike: each statement is written once. A runbook that words the check its own way keeps its
 * own `what` over the shared statement (`{ ...CHECK, what: '...' }`).
 */

/** Databases by XID age: the first check of the wraparound alert and finding alike. */
export const XID_AGE_BY_DATABASE: RunbookCheck = {
  what: 'Databases by the age of their oldest unfrozen transaction ID.',
  sql: sql`
    SELECT datname, age(datfrozenxid) AS xid_age,
           round(100.0 * age(datfrozenxid) / 2147483648, 1) AS pct_of_wraparound,
           current_setting('autovacuum_freeze_max_age')::bigint AS autovacuum_freeze_max_age
    FROM pg_database
    ORDER BY xid_age DESC;`,
};

/** Databases by multixact age: the first check of the multixact wraparound alert and finding alike. */
export const MXID_AGE_BY_DATABASE: RunbookCheck = {
  what: 'Databases by the age of their oldest multixact ID.',
  sql: sql`
    SELECT datname, mxid_age(datminmxid) AS mxid_age,
           round(100.0 * mxid_age(datminmxid) / 2147483648, 1) AS pct_of_wraparound,
           current_setting('autovacuum_multixact_freeze_max_age')::bigint AS autovacuum_multixact_freeze_max_age
    FROM pg_database
    ORDER BY mxid_age DESC;`,
};

/** In the database of the finding or alert: its tables by XID age. */
export const TABLES_BY_XID_AGE: RunbookCheck = {
  what: 'In the database of the finding: its oldest tables and their size (what a freeze has to read).',
  sql: sql`
    SELECT c.oid::regclass AS relation, age(c.relfrozenxid) AS xid_age,
           pg_size_pretty(pg_total_relation_size(c.oid)) AS size
    FROM pg_class c
    WHERE c.relkind IN ('r', 'm', 't')
    ORDER BY age(c.relfrozenxid) DESC
    LIMIT 20;`,
};

/** In the database of the finding or alert: its tables by multixact age. */
export const TABLES_BY_MXID_AGE: RunbookCheck = {
  what: 'In the database of the finding: the tables with the oldest multixacts.',
  sql: sql`
    SELECT c.oid::regclass AS relation, mxid_age(c.relminmxid) AS mxid_age,
           pg_size_pretty(pg_total_relation_size(c.oid)) AS size
    FROM pg_class c
    WHERE c.relkind IN ('r', 'm', 't')
    ORDER BY mxid_age(c.relminmxid) DESC
    LIMIT 20;`,
};

/** The multixact wraparound alert's and finding's freezing step. */
export const FREEZE_OLDEST_TABLES =
  'Freeze the oldest tables: `VACUUM (FREEZE, VERBOSE) <table>;` and let running anti-wraparound vacuums finish.';

/** Everything that can hold the transaction horizon back, oldest first, with who holds it. */
export const HORIZON_HOLDERS: RunbookCheck = {
  what: 'What holds the transaction horizon back, oldest first: sessions, prepared transactions, replication slots and standbys feeding back their xmin.',
  sql: sql`
    SELECT 'session' AS holder, pid::text AS id, usename::text AS detail,
           age(backend_xmin) AS xmin_age, now() - xact_start AS held_for
    FROM pg_stat_activity WHERE backend_xmin IS NOT NULL AND backend_type = 'client backend'
    UNION ALL
    SELECT 'prepared transaction', gid, owner::text, age(transaction), now() - prepared
    FROM pg_prepared_xacts
    UNION ALL
    SELECT 'replication slot', slot_name::text, slot_type, age(xmin), NULL
    FROM pg_replication_slots WHERE xmin IS NOT NULL
    UNION ALL
    SELECT 'replication slot (catalog)', slot_name::text, slot_type, age(catalog_xmin), NULL
    FROM pg_replication_slots WHERE catalog_xmin IS NOT NULL
    UNION ALL
    SELECT 'standby feedback', application_name, client_addr::text, age(backend_xmin), now() - backend_start
    FROM pg_stat_replication WHERE backend_xmin IS NOT NULL
    ORDER BY xmin_age DESC
    LIMIT 10;`,
};

/** Vacuums running now and how far they got. */
export const VACUUMS_RUNNING: RunbookCheck = {
  what: 'Vacuums running now (anti-wraparound ones say "to prevent wraparound"), and how far they got.',
  sql: sql`
    SELECT p.pid, p.relid::regclass AS relation, p.phase, p.heap_blks_scanned, p.heap_blks_total,
           now() - a.xact_start AS running_for, left(a.query, 120) AS query
    FROM pg_stat_progress_vacuum p
    JOIN pg_stat_activity a USING (pid);`,
};

/** Blocked sessions and their blockers. */
export const SESSIONS_WAITING: RunbookCheck = {
  what: 'Who waits for whom: each waiting session with the sessions that block it.',
  sql: sql`
    SELECT blocked.pid AS blocked_pid, blocked.usename AS blocked_user,
           now() - blocked.query_start AS waiting, blocked.wait_event_type,
           blocking.pid AS blocking_pid, blocking.usename AS blocking_user, blocking.state AS blocking_state,
           now() - blocking.xact_start AS blocking_xact_age, left(blocking.query, 120) AS blocking_query
    FROM pg_stat_activity blocked
    JOIN pg_stat_activity blocking ON blocking.pid = ANY (pg_blocking_pids(blocked.pid))
    ORDER BY waiting DESC;`,
};

/** The session timeouts in force. */
export const SESSION_TIMEOUTS: RunbookCheck = {
  what: 'The timeouts in force (per role and database settings show in source and in pg_db_role_setting).',
  sql: sql`
    SELECT name, setting, unit, source
    FROM pg_settings
    WHERE name IN ('statement_timeout', 'lock_timeout', 'idle_in_transaction_session_timeout',
                   'idle_session_timeout', 'transaction_timeout');`,
};

/** The tables with the most dead rows: the dead-tuple alert's and finding's first check. */
export const DEAD_ROWS_BY_TABLE: RunbookCheck = {
  what: 'The tables with the most dead rows, and when they were last vacuumed.',
  sql: sql`
    SELECT schemaname, relname, n_live_tup, n_dead_tup,
           round(100.0 * n_dead_tup / nullif(n_live_tup + n_dead_tup, 0), 1) AS dead_pct,
           last_vacuum, last_autovacuum, autovacuum_count
    FROM pg_stat_user_tables
    ORDER BY n_dead_tup DESC
    LIMIT 20;`,
};

/** The stale-statistics alert's and finding's checks. */
export const STALE_STATISTICS_CHECKS: RunbookCheck[] = [
  {
    what: 'The tables changed most since their last analyze.',
    sql: sql`
      SELECT schemaname, relname, n_live_tup, n_mod_since_analyze,
             round(100.0 * n_mod_since_analyze / nullif(n_live_tup, 0), 1) AS changed_pct,
             last_analyze, last_autoanalyze
      FROM pg_stat_user_tables
      ORDER BY n_mod_since_analyze DESC
      LIMIT 20;`,
  },
  {
    what: 'Whether autovacuum (which runs autoanalyze) is on, and its analyze thresholds.',
    sql: sql`
      SELECT name, setting
      FROM pg_settings
      WHERE name IN ('autovacuum', 'track_counts', 'autovacuum_max_workers',
                     'autovacuum_analyze_scale_factor', 'autovacuum_analyze_threshold');`,
  },
];

/** The checkpoint-thrash alert's and the frequent-checkpoints finding's checks. */
export const CHECKPOINT_CHECKS: RunbookCheck[] = [
  {
    what: 'Timed against requested checkpoints since the statistics reset (PostgreSQL 17+; before 17: checkpoints_timed and checkpoints_req in pg_stat_bgwriter).',
    sql: sql`
      SELECT num_timed, num_requested,
             round(100.0 * num_requested / nullif(num_timed + num_requested, 0), 1) AS requested_pct,
             write_time, sync_time, stats_reset
      FROM pg_stat_checkpointer;`,
  },
  {
    what: 'The settings that decide when a checkpoint starts.',
    sql: sql`
      SELECT name, setting, unit
      FROM pg_settings
      WHERE name IN ('max_wal_size', 'min_wal_size', 'checkpoint_timeout',
                     'checkpoint_completion_target', 'wal_compression', 'full_page_writes');`,
  },
  {
    what: 'WAL volume and full-page images since the statistics reset.',
    sql: sql`
      SELECT wal_records, wal_fpi, pg_size_pretty(wal_bytes) AS wal_bytes, stats_reset
      FROM pg_stat_wal;`,
  },
];

/** Temporary files per database: the temp-file alert's and finding's check. */
export const TEMP_FILES_BY_DATABASE: RunbookCheck = {
  what: 'Temporary files written per database since the statistics reset.',
  sql: sql`
    SELECT datname, temp_files, pg_size_pretty(temp_bytes) AS temp_bytes, stats_reset
    FROM pg_stat_database
    WHERE datname IS NOT NULL
    ORDER BY temp_bytes DESC;`,
};

/** The sessions idle in a transaction: the idle-in-transaction alert's and finding's first check. */
export const IDLE_IN_TRANSACTION_SESSIONS: RunbookCheck = {
  what: 'The sessions idle in a transaction, longest first, with their last statement.',
  sql: sql`
    SELECT pid, datname, usename, application_name, client_addr,
           now() - xact_start AS xact_age, now() - state_change AS idle_for,
           left(query, 200) AS last_query
    FROM pg_stat_activity
    WHERE state IN ('idle in transaction', 'idle in transaction (aborted)')
    ORDER BY state_change
    LIMIT 20;`,
};

/** Since when the statistics of the database run: the unused-index alert's and finding's check. */
export const STATISTICS_SINCE: RunbookCheck = {
  what: 'Since when the counts run (an index used by a monthly job looks unused after a recent reset).',
  sql: sql`
    SELECT datname, stats_reset
    FROM pg_stat_database
    WHERE datname = current_database();`,
};
