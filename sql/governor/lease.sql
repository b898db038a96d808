-- Governor lease, on the target itself, on the governor's own session (the one it signals on):
-- whether this session holds the target's lease, taking it if it is free. The lease is a
-- session-level advisory lock on (hashtext('pg-governor lease'), hashtext(target name)) in the
-- governor_dsn's database: one session on the server can hold it, so one replica acts, whether the
-- history store answers or not; it goes with the session, so when the holder dies (or loses the
-- target) the server releases it and a standby takes it on its next try.
-- Checked in pg_locks first, so that a holder does not stack the lock again every cycle.
-- $1 target name. $2 whether to take it if free: not while this replica cannot renew its ownership
-- of the target in the history store (it goes on only while it still holds the lock, and must not
-- take it back). holder_pid: the session holding it (ours or another replica's), if any.
WITH mine AS (
  SELECT EXISTS (
           SELECT FROM pg_locks
            WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted AND objsubid = 2
              AND classid = hashtext('pg-governor lease')::oid AND objid = hashtext($1::text)::oid
         ) AS held
), taken AS (
  SELECT CASE WHEN held THEN true
              WHEN $2::boolean THEN pg_try_advisory_lock(hashtext('pg-governor lease'), hashtext($1::text))
              ELSE false END AS held
    FROM mine
)
SELECT taken.held,
       (SELECT l.pid
          FROM pg_locks l
         WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
           AND l.classid = hashtext('pg-governor lease')::oid AND l.objid = hashtext($1::text)::oid
         LIMIT 1) AS holder_pid
  FROM taken
