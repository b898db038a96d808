-- Workload loop (PostgreSQL 18+): WAL generation counters from pg_stat_wal and the current WAL
-- position. 18 moved the WAL write and sync counters out of pg_stat_wal into pg_stat_io
-- (object 'wal'); they are summed from there over all backend types, context 'normal' only
-- ('init' is the writing of new segment files, which pg_stat_wal never counted), so that the
-- columns and the metric schema stay those of wal.pg14.sql.
-- pg_current_wal_lsn() raises an error during recovery: on a standby lsn_bytes is NULL instead
-- (CASE evaluates the function only on a primary), so the collector runs on both.
-- Times come in ms and leave in seconds (zero unless track_wal_io_timing is on); counters as
-- float8 so that the driver returns numbers (exact up to 2^53 bytes, 8 PiB).
-- stats_reset (of pg_stat_wal) as epoch ms: a change means the counters restarted.
-- One row, no bind parameters; pg_stat_io is a few dozen rows: cheap.
SELECT w.wal_records::float8 AS wal_records,
       w.wal_fpi::float8 AS wal_fpi,
       w.wal_bytes::float8 AS wal_bytes,
       w.wal_buffers_full::float8 AS wal_buffers_full,
       io.writes AS wal_write,
       io.fsyncs AS wal_sync,
       io.write_time_seconds AS wal_write_time_seconds,
       io.fsync_time_seconds AS wal_sync_time_seconds,
       (extract(epoch FROM w.stats_reset) * 1000)::float8 AS stats_reset_ms,
       CASE WHEN NOT pg_is_in_recovery() THEN (pg_current_wal_lsn() - '0/0'::pg_lsn)::float8 END AS lsn_bytes
  FROM pg_stat_wal w
 CROSS JOIN (SELECT coalesce(sum(writes), 0)::float8 AS writes,
                    coalesce(sum(fsyncs), 0)::float8 AS fsyncs,
                    (coalesce(sum(write_time), 0) / 1000)::float8 AS write_time_seconds,
                    (coalesce(sum(fsync_time), 0) / 1000)::float8 AS fsync_time_seconds
               FROM pg_stat_io
              WHERE object = 'wal' AND context = 'normal') io
