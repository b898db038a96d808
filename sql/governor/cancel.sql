-- Governor: re-verify a backend and cancel its query, in one statement (PostgreSQL 14+).
-- A row comes back only if the backend is still the one decided on (same pid, same backend_start
-- to the microsecond: a reused pid has another start), is a client backend other than our own
-- session, still has the application_name the safety filter judged, is not a superuser's (unless
-- allowed) nor a replication role's, and still qualifies: in one of the states, for long enough.
-- No row: nothing was signalled. signalled: what pg_cancel_backend returned.
-- $1 pid, $2 backend_start in µs since epoch, $3 states, $4 application_name as seen,
-- $5 state_change at least this many seconds ago (or NULL), $6 query_start at least this many
-- seconds ago (or NULL), $7 query_start not after this many ms since epoch (or NULL),
-- $8 superusers' sessions allowed, $9 target name whose lease this session must hold (sql/governor/
-- lease.sql), or NULL: the fence. Checked in the same statement as the signal, so a replica whose
-- governor session was replaced (and lost the lock to a standby) cannot signal on the new one.
SELECT pg_cancel_backend(a.pid) AS signalled
  FROM pg_stat_activity a
  LEFT JOIN pg_roles r ON r.oid = a.usesysid
 WHERE a.pid = $1::int
   AND (extract(epoch FROM a.backend_start) * 1000000)::bigint = $2::bigint
   AND a.backend_type = 'client backend'
   AND a.pid <> pg_backend_pid()
   AND a.state = ANY ($3::text[])
   AND a.application_name IS NOT DISTINCT FROM $4::text
   AND ($5::float8 IS NULL OR a.state_change <= statement_timestamp() - make_interval(secs => $5::float8))
   AND ($6::float8 IS NULL OR a.query_start <= statement_timestamp() - make_interval(secs => $6::float8))
   AND ($7::float8 IS NULL OR (extract(epoch FROM a.query_start) * 1000)::float8 <= $7::float8)
   AND (NOT coalesce(r.rolsuper, false) OR $8::boolean)
   AND NOT coalesce(r.rolreplication, false)
   AND ($9::text IS NULL OR EXISTS (
         SELECT FROM pg_locks l
          WHERE l.locktype = 'advisory' AND l.pid = pg_backend_pid() AND l.granted AND l.objsubid = 2
            AND l.classid = hashtext('pg-governor lease')::oid AND l.objid = hashtext($9::text)::oid))
