-- Workload loop, every server (a primary answers one row with in_recovery = false and NULLs, so
-- this never errors there): how far this standby's replay trails what it has received, and
-- whether its WAL receiver is connected.
-- No bind parameters.
-- replay_lag_seconds: now() - pg_last_xact_replay_timestamp() (commit time of the last replayed
-- transaction), but 0 when everything received has been replayed: on a quiet primary that
-- timestamp stops moving, and the naive difference would grow for ever while nothing is behind.
-- A record still arriving (WAL is shipped as the primary flushes it, often mid-record at a page
-- end) leaves receive a few bytes ahead of replay for a moment: that counts as behind.
-- The WAL receiver's own delay (received vs. what the primary has) is the primary's lag view.
-- pg_get_wal_replay_pause_state() errors outside recovery: only called inside the CASE.
-- pg_stat_wal_receiver has one row while a receiver process runs, none otherwise.
SELECT pg_is_in_recovery() AS in_recovery,
       CASE WHEN pg_is_in_recovery() THEN pg_get_wal_replay_pause_state() END AS replay_pause_state,
       pg_last_wal_receive_lsn()::text AS receive_lsn,
       pg_last_wal_replay_lsn()::text AS replay_lsn,
       pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::float8 AS receive_replay_lag_bytes,
       CASE WHEN pg_last_wal_receive_lsn() IS NOT NULL AND pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn() THEN 0
            ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8
       END AS replay_lag_seconds,
       (extract(epoch FROM pg_last_xact_replay_timestamp()) * 1000)::float8 AS last_replay_ms,
       w.status AS receiver_status,
       w.slot_name AS receiver_slot_name,
       w.sender_host,
       w.sender_port,
       w.received_tli,
       (extract(epoch FROM w.last_msg_receipt_time) * 1000)::float8 AS last_msg_receipt_ms,
       (extract(epoch FROM w.latest_end_time) * 1000)::float8 AS latest_end_ms
  FROM (SELECT 1) AS one
  LEFT JOIN pg_stat_wal_receiver w ON true
