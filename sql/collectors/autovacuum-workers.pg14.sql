-- Hot loop (PostgreSQL 14+): autovacuum workers running against the setting that caps them.
-- Workers busy with ANALYZE only are not in pg_stat_progress_vacuum, hence a count of their own.
-- pg_stat_get_activity(NULL) is what pg_stat_activity reads, without the view's catalog joins.
-- One row, no bind parameters.
SELECT count(*) FILTER (WHERE a.backend_type = 'autovacuum worker')::int AS autovacuum_workers,
       current_setting('autovacuum_max_workers')::int AS autovacuum_max_workers
  FROM pg_stat_get_activity(NULL) a
