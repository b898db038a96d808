-- Governor lease (on the history store, not on a target): whether this session holds the
-- target's governor lease, taking it if it is free. The lease is a session-level advisory lock on
-- (hashtext('pg-governor lease'), hashtext(target name)): it lasts as long as this session, so
-- when the process holding it dies the server releases it and a standby takes it on its next try.
-- Checked in pg_locks first, so that a holder does not stack the lock again every cycle.
-- $1 target name. holder: application_name of the session holding it (names the instance).
WITH mine AS (
  SELECT EXISTS (
           SELECT FROM pg_locks
            WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted AND objsubid = 2
              AND classid = hashtext('pg-governor lease')::oid AND objid = hashtext($1::text)::oid
         ) AS held
), taken AS (
  SELECT CASE WHEN held THEN true ELSE pg_try_advisory_lock(hashtext('pg-governor lease'), hashtext($1::text)) END AS held
    FROM mine
)
SELECT taken.held,
       (SELECT a.application_name
          FROM pg_locks l
          JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
           AND l.classid = hashtext('pg-governor lease')::oid AND l.objid = hashtext($1::text)::oid
         LIMIT 1) AS holder
  FROM taken
