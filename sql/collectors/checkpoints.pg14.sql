-- Workload loop (PostgreSQL 14-16): checkpointer and background writer counters, all in
-- pg_stat_bgwriter before 17. Same columns as checkpoints.pg17.sql, so one metric schema serves
-- every major. Restartpoints (on a standby) are counted as checkpoints here, as 17+ is made to.
-- Times come in ms and leave in seconds; counters as float8 so that the driver returns numbers.
-- stats_reset as epoch ms: a change means the counters restarted (pg_stat_reset_shared).
-- One row, no bind parameters; cheap.
SELECT checkpoints_timed::float8 AS checkpoints_timed,
       checkpoints_req::float8 AS checkpoints_requested,
       (checkpoint_write_time / 1000)::float8 AS write_time_seconds,
       (checkpoint_sync_time / 1000)::float8 AS sync_time_seconds,
       buffers_checkpoint::float8 AS buffers_written,
       buffers_clean::float8 AS buffers_clean,
       maxwritten_clean::float8 AS maxwritten_clean,
       buffers_alloc::float8 AS buffers_alloc,
       (extract(epoch FROM stats_reset) * 1000)::float8 AS stats_reset_ms
  FROM pg_stat_bgwriter
