-- Hot loop (PostgreSQL 14+): one pg_stat_activity snapshot per cycle; every session signal
-- (states, oldest transaction, idle in transaction, lock waits, blocking chains, connection usage)
-- is derived from it, and the governor decides on it.
-- $1: longest query text kept, in characters (redacted by the backend before anyone sees it).
-- pg_blocking_pids only for sessions waiting on a heavyweight lock: it takes the lock manager's
-- partition locks, too costly to call for every one of thousands of sessions.
-- backend_start_us identifies a backend exactly (pid + start), to re-verify before any signal.
SELECT a.pid,
       (extract(epoch FROM a.backend_start) * 1000000)::bigint::text AS backend_start_us,
       a.backend_type,
       a.datname,
       a.usename,
       a.application_name,
       host(a.client_addr) AS client_addr,
       a.state,
       (extract(epoch FROM a.backend_start) * 1000)::float8 AS backend_start_ms,
       (extract(epoch FROM a.xact_start) * 1000)::float8 AS xact_start_ms,
       (extract(epoch FROM a.query_start) * 1000)::float8 AS query_start_ms,
       (extract(epoch FROM a.state_change) * 1000)::float8 AS state_change_ms,
       (extract(epoch FROM statement_timestamp()) * 1000)::float8 AS server_now_ms,
       a.wait_event_type,
       a.wait_event,
       a.query_id::text AS query_id,
       left(a.query, $1) AS query,
       CASE WHEN a.wait_event_type = 'Lock' THEN pg_blocking_pids(a.pid) END AS blocking_pids,
       coalesce(r.rolsuper, false) AS is_superuser,
       coalesce(r.rolreplication, false) AS is_replication_role,
       a.pid = pg_backend_pid() AS is_self
  FROM pg_stat_activity a
  LEFT JOIN pg_roles r ON r.oid = a.usesysid
