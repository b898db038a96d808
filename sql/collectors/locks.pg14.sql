-- Workload loop, every server: locks held and awaited, by lock mode (pg_locks, all databases).
-- Reading pg_locks briefly takes every lock-manager partition lock: fine once a minute, not on the
-- hot loop. The blocking chains themselves are the activity collector's (pg_blocking_pids).
SELECT l.mode, l.granted, count(*)::float8 AS locks
  FROM pg_locks l
 GROUP BY l.mode, l.granted
 ORDER BY l.mode, l.granted
