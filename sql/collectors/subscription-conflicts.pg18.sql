-- Workload loop, PostgreSQL 18+, asked only when the server has subscriptions: the conflicts each
-- subscription's apply worker met since the statistics reset (pg_stat_subscription_stats; 18 logs
-- and counts them). *_missing: the row to update or delete is not on the subscriber, and the change
-- is skipped (the subscriber has diverged); *_origin_differs: the row was last changed by another
-- origin and is overwritten (only with track_commit_timestamp on); *_exists and
-- multiple_unique_conflicts: a unique key already holds the row, and the apply worker stops with
-- an error (also counted in apply_error_count).
-- $1: most subscriptions returned (Top-N by name, as subscriptions.pg*.sql).
SELECT s.subname AS subscription,
       d.datname AS database,
       e.confl_insert_exists::float8 AS insert_exists,
       e.confl_update_origin_differs::float8 AS update_origin_differs,
       e.confl_update_exists::float8 AS update_exists,
       e.confl_update_missing::float8 AS update_missing,
       e.confl_delete_origin_differs::float8 AS delete_origin_differs,
       e.confl_delete_missing::float8 AS delete_missing,
       e.confl_multiple_unique_conflicts::float8 AS multiple_unique_conflicts
  FROM pg_subscription s
  LEFT JOIN pg_database d ON d.oid = s.subdbid
  JOIN pg_stat_subscription_stats e ON e.subid = s.oid
 ORDER BY s.subname
 LIMIT $1
