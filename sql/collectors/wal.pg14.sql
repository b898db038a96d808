-- Workload loop (PostgreSQL 14-17): WAL generation counters from pg_stat_wal (new in 14), with
-- its write and sync counters, and the current WAL position.
-- pg_current_wal_lsn() raises an error during recovery: on a standby lsn_bytes is NULL instead
-- (CASE evaluates the function only on a primary), so the collector runs on both.
-- Times come in ms and leave in seconds (zero unless track_wal_io_timing is on); counters as
-- float8 so that the driver returns numbers (exact up to 2^53 bytes, 8 PiB).
-- stats_reset as epoch ms: a change means the counters restarted (pg_stat_reset_shared('wal')).
-- One row, no bind parameters; cheap.
SELECT wal_records::float8 AS wal_records,
       wal_fpi::float8 AS wal_fpi,
       wal_bytes::float8 AS wal_bytes,
       wal_buffers_full::float8 AS wal_buffers_full,
       wal_write::float8 AS wal_write,
       wal_sync::float8 AS wal_sync,
       (wal_write_time / 1000)::float8 AS wal_write_time_seconds,
       (wal_sync_time / 1000)::float8 AS wal_sync_time_seconds,
       (extract(epoch FROM stats_reset) * 1000)::float8 AS stats_reset_ms,
       CASE WHEN NOT pg_is_in_recovery() THEN (pg_current_wal_lsn() - '0/0'::pg_lsn)::float8 END AS lsn_bytes
  FROM pg_stat_wal
