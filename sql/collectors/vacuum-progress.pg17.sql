-- Hot loop (PostgreSQL 17+): every running VACUUM (autovacuum and manual) with its progress,
-- from pg_stat_progress_vacuum (all databases).
-- 17 replaced max_dead_tuples/num_dead_tuples by max_dead_tuple_bytes/dead_tuple_bytes (the TID
-- store is sized in bytes) and num_dead_item_ids, and added indexes_total/indexes_processed; the
-- columns returned are those of vacuum-progress.pg14.sql (NULL where a major has no such number):
-- dead_tuples is num_dead_item_ids (the same count, renamed), max_dead_tuples is gone.
-- The relation is resolved by joining pg_class/pg_namespace on relid, never by a regclass cast,
-- and only for vacuums in the connected database (pg_class is per database: the same oid elsewhere
-- is another table). For autovacuum elsewhere the backend reads the name from the worker's
-- activity string ("autovacuum: VACUUM ANALYZE schema.table"), returned only for autovacuum
-- workers (it holds no user data); a manual VACUUM's text is never returned.
-- pg_stat_get_activity(pid) looks up just the vacuuming backends instead of the whole
-- pg_stat_activity view.
-- No bind parameters; rows: one per running vacuum (bounded by autovacuum_max_workers + manual).
SELECT p.pid,
       p.datname,
       p.relid,
       n.nspname AS schemaname,
       c.relname,
       p.phase,
       p.heap_blks_total::float8 AS heap_blks_total,
       p.heap_blks_scanned::float8 AS heap_blks_scanned,
       p.heap_blks_vacuumed::float8 AS heap_blks_vacuumed,
       p.index_vacuum_count::float8 AS index_vacuum_count,
       p.num_dead_item_ids::float8 AS dead_tuples,
       NULL::float8 AS max_dead_tuples,
       p.dead_tuple_bytes::float8 AS dead_tuple_bytes,
       p.max_dead_tuple_bytes::float8 AS max_dead_tuple_bytes,
       p.indexes_total::float8 AS indexes_total,
       p.indexes_processed::float8 AS indexes_processed,
       coalesce(a.backend_type = 'autovacuum worker', false) AS is_autovacuum,
       coalesce(a.backend_type = 'autovacuum worker' AND a.query LIKE '%to prevent wraparound%', false) AS is_wraparound,
       CASE WHEN a.backend_type = 'autovacuum worker' THEN left(a.query, 300) END AS autovacuum_activity,
       extract(epoch FROM statement_timestamp() - coalesce(a.xact_start, a.query_start))::float8 AS duration_seconds
  FROM pg_stat_progress_vacuum p
  LEFT JOIN LATERAL pg_stat_get_activity(p.pid) a ON true
  LEFT JOIN pg_class c
         ON c.oid = p.relid
        AND p.datid = (SELECT oid FROM pg_database WHERE datname = current_database())
  LEFT JOIN pg_namespace n ON n.oid = c.relnamespace
 ORDER BY p.pid
