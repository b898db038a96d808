-- Workload loop, primary only (pg_current_wal_lsn() errors during recovery): every replication
-- slot with the WAL it holds back. An inactive slot keeps WAL forever (until max_slot_wal_keep_size
-- invalidates it): the classic way a forgotten standby fills the primary's disk.
-- $1: most slots returned (Top-N by retained WAL; max_replication_slots bounds it anyway).
-- retained: from the slot's restart_lsn to the current WAL write position.
-- safe_wal_size (13+): WAL that can still be written before the slot is invalidated; NULL when
-- max_slot_wal_keep_size = -1 (no limit) or the slot is already lost.
-- Logical decoding statistics (pg_stat_replication_slots, 14+, cumulative since its stats_reset):
-- transactions and bytes spilled to disk (pg_replslot) because a transaction's changes outgrew
-- logical_decoding_work_mem, streamed to the consumer before commit instead, and decoded in all.
-- Physical slots have no such row (NULLs).
-- PostgreSQL 17 added inactive_since and invalidation_reason: see the .pg17 variant.
SELECT s.slot_name,
       s.slot_type,
       s.database,
       s.plugin,
       s.temporary,
       s.active,
       s.wal_status,
       s.safe_wal_size::float8 AS safe_wal_bytes,
       pg_wal_lsn_diff(pg_current_wal_lsn(), s.restart_lsn)::float8 AS retained_wal_bytes,
       NULL::float8 AS inactive_since_ms,
       NULL::text AS invalidation_reason,
       d.spill_txns::float8 AS spill_txns,
       d.spill_count::float8 AS spill_count,
       d.spill_bytes::float8 AS spill_bytes,
       d.stream_txns::float8 AS stream_txns,
       d.stream_count::float8 AS stream_count,
       d.stream_bytes::float8 AS stream_bytes,
       d.total_txns::float8 AS total_txns,
       d.total_bytes::float8 AS total_bytes
  FROM pg_replication_slots s
  LEFT JOIN pg_stat_replication_slots d ON d.slot_name = s.slot_name
 ORDER BY retained_wal_bytes DESC NULLS LAST, s.slot_name
 LIMIT $1
