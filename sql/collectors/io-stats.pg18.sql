-- Workload loop (PostgreSQL 18+): I/O by backend type, object and context from pg_stat_io, as
-- io-stats.pg16.sql (same columns, same rules), with two changes of 18:
-- - op_bytes is gone: reads, writes and extends come with their own byte counts (an operation
--   may cover several blocks now), read_bytes, write_bytes and extend_bytes;
-- - WAL I/O has rows of its own (object 'wal'): left out here, the wal collector reads its writes
--   and syncs from them (wal.pg18.sql) and exports them as pg_wal_write_total and pg_wal_sync_total.
-- Times only while track_io_timing is on (it covers relation I/O; WAL's is track_wal_io_timing).
-- Rows that have counted nothing since the last reset are left out.
WITH io AS (
  SELECT s.*, current_setting('track_io_timing')::boolean AS timed
    FROM pg_stat_io s
   WHERE s.object <> 'wal'
)
SELECT backend_type,
       object,
       context,
       reads::float8 AS reads,
       read_bytes::float8 AS read_bytes,
       CASE WHEN timed THEN (read_time / 1000)::float8 END AS read_time_seconds,
       writes::float8 AS writes,
       write_bytes::float8 AS write_bytes,
       CASE WHEN timed THEN (write_time / 1000)::float8 END AS write_time_seconds,
       writebacks::float8 AS writebacks,
       CASE WHEN timed THEN (writeback_time / 1000)::float8 END AS writeback_time_seconds,
       extends::float8 AS extends,
       extend_bytes::float8 AS extend_bytes,
       CASE WHEN timed THEN (extend_time / 1000)::float8 END AS extend_time_seconds,
       hits::float8 AS hits,
       evictions::float8 AS evictions,
       reuses::float8 AS reuses,
       fsyncs::float8 AS fsyncs,
       CASE WHEN timed THEN (fsync_time / 1000)::float8 END AS fsync_time_seconds
  FROM io
 WHERE coalesce(reads, 0) + coalesce(writes, 0) + coalesce(writebacks, 0) + coalesce(extends, 0)
       + coalesce(hits, 0) + coalesce(evictions, 0) + coalesce(reuses, 0) + coalesce(fsyncs, 0) > 0
 ORDER BY backend_type, object, context
