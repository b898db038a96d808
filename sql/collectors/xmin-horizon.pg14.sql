-- Workload loop, every server: what holds the transaction horizon (the oldest xmin, below which
-- VACUUM may neither remove dead rows nor freeze) back, and how far. The "vacuum runs but removes
-- nothing" incident. Holders, $1 oldest of each kind:
--   session                    a backend's snapshot (backend_xmin) or its own transaction ID
--                              (backend_xid, e.g. idle in transaction after a write), whichever is older
--   prepared_transaction       PREPARE TRANSACTION not yet committed or rolled back
--   replication_slot           a slot's xmin: a standby with hot_standby_feedback streaming through it
--   replication_slot_catalog   a logical slot's catalog_xmin (holds back the system catalogs only)
--   standby_feedback           a standby with hot_standby_feedback and no slot (its WAL sender's xmin)
-- WAL senders are left out of the sessions: their xmin is the standby's feedback, reported as such.
-- Age in transactions is age(xid) on every kind; age in time only where a start is known (a
-- session's transaction start, a prepared transaction's PREPARE).
-- Cheap: in-memory views with a row per backend, prepared transaction, slot or WAL sender; no table
-- is read and no lock taken. Other roles' backend_xmin needs pg_read_all_stats (part of pg_monitor).
WITH sessions AS (
  SELECT 'session'::text AS holder_kind,
         a.pid::text AS holder,
         a.pid,
         a.usename::text AS usename,
         a.application_name,
         host(a.client_addr) AS client_addr,
         a.datname::text AS datname,
         a.state,
         a.backend_type,
         -- with pid, identifies the backend exactly (a remediation re-checks it)
         (extract(epoch FROM a.backend_start) * 1000000)::bigint::text AS backend_start_us,
         NULL::text AS slot_type,
         NULL::boolean AS active,
         CASE WHEN a.backend_xid IS NOT NULL
                   AND (a.backend_xmin IS NULL OR age(a.backend_xid) > age(a.backend_xmin))
              THEN a.backend_xid ELSE a.backend_xmin END::text AS xmin,
         greatest(age(a.backend_xmin), age(a.backend_xid))::float8 AS age_transactions,
         extract(epoch FROM now() - a.xact_start)::float8 AS age_seconds,
         (extract(epoch FROM a.xact_start) * 1000)::float8 AS since_ms
    FROM pg_stat_activity a
   WHERE (a.backend_xmin IS NOT NULL OR a.backend_xid IS NOT NULL)
     AND a.pid <> pg_backend_pid()
     AND a.backend_type IS DISTINCT FROM 'walsender'
   ORDER BY age_transactions DESC, a.pid
   LIMIT $1
),
prepared AS (
  SELECT 'prepared_transaction'::text,
         p.gid,
         NULL::int,
         p.owner::text,
         NULL::text,
         NULL::text,
         p.database::text,
         NULL::text,
         NULL::text,
         NULL::text,
         NULL::text,
         NULL::boolean,
         p.transaction::text,
         age(p.transaction)::float8 AS age_transactions,
         extract(epoch FROM now() - p.prepared)::float8,
         (extract(epoch FROM p.prepared) * 1000)::float8
    FROM pg_prepared_xacts p
   ORDER BY age_transactions DESC, p.gid
   LIMIT $1
),
slots AS (
  SELECT 'replication_slot'::text,
         s.slot_name::text,
         s.active_pid,
         r.usename::text,
         r.application_name,
         host(r.client_addr),
         s.database::text,
         r.state,
         NULL::text,
         NULL::text,
         s.slot_type,
         s.active,
         s.xmin::text,
         age(s.xmin)::float8 AS age_transactions,
         NULL::float8,
         NULL::float8
    FROM pg_replication_slots s
    LEFT JOIN pg_stat_replication r ON r.pid = s.active_pid
   WHERE s.xmin IS NOT NULL
   ORDER BY age_transactions DESC, s.slot_name
   LIMIT $1
),
catalog_slots AS (
  SELECT 'replication_slot_catalog'::text,
         s.slot_name::text,
         s.active_pid,
         r.usename::text,
         r.application_name,
         host(r.client_addr),
         s.database::text,
         r.state,
         NULL::text,
         NULL::text,
         s.slot_type,
         s.active,
         s.catalog_xmin::text,
         age(s.catalog_xmin)::float8 AS age_transactions,
         NULL::float8,
         NULL::float8
    FROM pg_replication_slots s
    LEFT JOIN pg_stat_replication r ON r.pid = s.active_pid
   WHERE s.catalog_xmin IS NOT NULL
   ORDER BY age_transactions DESC, s.slot_name
   LIMIT $1
),
standbys AS (
  SELECT 'standby_feedback'::text,
         coalesce(nullif(r.application_name, ''), host(r.client_addr), r.pid::text),
         r.pid,
         r.usename::text,
         r.application_name,
         host(r.client_addr),
         NULL::text,
         r.state,
         'walsender'::text,
         NULL::text,
         NULL::text,
         NULL::boolean,
         r.backend_xmin::text,
         age(r.backend_xmin)::float8 AS age_transactions,
         NULL::float8,
         NULL::float8
    FROM pg_stat_replication r
   WHERE r.backend_xmin IS NOT NULL
   ORDER BY age_transactions DESC, r.pid
   LIMIT $1
)
SELECT * FROM sessions
UNION ALL SELECT * FROM prepared
UNION ALL SELECT * FROM slots
UNION ALL SELECT * FROM catalog_slots
UNION ALL SELECT * FROM standbys
