-- Workload loop (PostgreSQL 17+): checkpointer and background writer counters. 17 moved the
-- checkpoint counters out of pg_stat_bgwriter into pg_stat_checkpointer (num_timed, num_requested,
-- write_time, sync_time, buffers_written) and split restartpoints out of them; pg_stat_bgwriter
-- keeps buffers_clean, maxwritten_clean and buffers_alloc. Same columns as checkpoints.pg14.sql:
-- restartpoints are added back to the checkpoint counts, as 14-16 counted them, so that the
-- requested share (the "checkpoint thrash" alert) means the same on a standby of any major.
-- 18's num_done (completed, not skipped, checkpoints) is not used: 14-17 have nothing like it.
-- Times come in ms and leave in seconds; counters as float8 so that the driver returns numbers.
-- stats_reset (of the checkpointer) as epoch ms: a change means the counters restarted.
-- One row, no bind parameters; cheap.
SELECT (c.num_timed + c.restartpoints_timed)::float8 AS checkpoints_timed,
       (c.num_requested + c.restartpoints_req)::float8 AS checkpoints_requested,
       (c.write_time / 1000)::float8 AS write_time_seconds,
       (c.sync_time / 1000)::float8 AS sync_time_seconds,
       c.buffers_written::float8 AS buffers_written,
       b.buffers_clean::float8 AS buffers_clean,
       b.maxwritten_clean::float8 AS maxwritten_clean,
       b.buffers_alloc::float8 AS buffers_alloc,
       (extract(epoch FROM c.stats_reset) * 1000)::float8 AS stats_reset_ms
  FROM pg_stat_checkpointer c
 CROSS JOIN pg_stat_bgwriter b
