import { sql } from '../alerts/helpers';
import { RunbookCheck } from '../alerts/types';

/** First checks several finding kinds' runbooks share. */

/** Everything that can hold the transaction horizon back, oldest first, with who holds it. */
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
