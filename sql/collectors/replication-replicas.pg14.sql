-- Workload loop, primary only (pg_current_wal_lsn() errors during recovery): one row per WAL
-- sender in pg_stat_replication (physical standbys, logical subscribers, base backups), with how
-- far behind the primary's WAL it has written, flushed and replayed, in bytes and in seconds.
-- $1: most WAL senders returned (Top-N by replay lag in bytes; max_wal_senders bounds it anyway).
-- Bytes are exact (pg_wal_lsn_diff against the current WAL write position). Seconds are the
-- walsender's own lag tracking (write_lag etc.): NULL until measured and again after a while of
-- no WAL traffic; the backend reads NULL as 0 only when the matching byte lag is 0.
-- One pass over a view of at most max_wal_senders rows; the slot join is by active_pid.
SELECT r.application_name,
       r.state,
       r.sync_state,
       r.sync_priority,
       host(r.client_addr) AS client_addr,
       s.slot_name,
       (extract(epoch FROM r.backend_start) * 1000)::float8 AS backend_start_ms,
       (extract(epoch FROM r.reply_time) * 1000)::float8 AS reply_time_ms,
       pg_wal_lsn_diff(pg_current_wal_lsn(), r.sent_lsn)::float8 AS sent_lag_bytes,
       pg_wal_lsn_diff(pg_current_wal_lsn(), r.write_lsn)::float8 AS write_lag_bytes,
       pg_wal_lsn_diff(pg_current_wal_lsn(), r.flush_lsn)::float8 AS flush_lag_bytes,
       pg_wal_lsn_diff(pg_current_wal_lsn(), r.replay_lsn)::float8 AS replay_lag_bytes,
       extract(epoch FROM r.write_lag)::float8 AS write_lag_seconds,
       extract(epoch FROM r.flush_lag)::float8 AS flush_lag_seconds,
       extract(epoch FROM r.replay_lag)::float8 AS replay_lag_seconds
  FROM pg_stat_replication r
  LEFT JOIN pg_replication_slots s ON s.active_pid = r.pid
 ORDER BY replay_lag_bytes DESC NULLS FIRST, r.application_name
 LIMIT $1
