-- Workload loop (PostgreSQL 16 and 17): I/O by backend type, object and context from pg_stat_io,
-- the cumulative counters as they read (a server before 16 has no pg_stat_io: the collector is
-- skipped there). One row per (backend_type, object, context), a small fixed set.
-- Bytes: 16 and 17 count reads, writes and extends in op_bytes units (block_size on every row), so
-- count x op_bytes is their byte count exactly, the columns 18 reports itself (io-stats.pg18.sql).
-- Times come in ms and leave in seconds, and only while track_io_timing is on: otherwise the
-- server reports zeros, which would read as "no time spent" (NULL instead, no sample).
-- A NULL counter is an operation that cannot happen in that row (no sample). Rows that have
-- counted nothing since the last reset are left out: most backend types do no I/O on a given
-- server (a startup process on a primary, idle background workers), and a series starts when its
-- row first counts.
-- Counters as float8 so that the driver returns numbers (exact up to 2^53). No bind parameters;
-- pg_stat_io is a few dozen rows read from shared memory: cheap.
WITH io AS (
  SELECT s.*, current_setting('track_io_timing')::boolean AS timed
    FROM pg_stat_io s
)
SELECT backend_type,
       object,
       context,
       reads::float8 AS reads,
       (reads * op_bytes)::float8 AS read_bytes,
       CASE WHEN timed THEN (read_time / 1000)::float8 END AS read_time_seconds,
       writes::float8 AS writes,
       (writes * op_bytes)::float8 AS write_bytes,
       CASE WHEN timed THEN (write_time / 1000)::float8 END AS write_time_seconds,
       writebacks::float8 AS writebacks,
       CASE WHEN timed THEN (writeback_time / 1000)::float8 END AS writeback_time_seconds,
       extends::float8 AS extends,
       (extends * op_bytes)::float8 AS extend_bytes,
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
