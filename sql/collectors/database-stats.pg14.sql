-- Workload loop (PostgreSQL 14+): the cumulative activity counters of each database from
-- pg_stat_database (transactions, blocks, tuples, temp files, deadlocks, conflicts, I/O time,
-- session time and counts, all present since 14) and its size.
-- Templates and the shared-catalog row (datname NULL) are left out: nobody works there.
-- Times come in ms and leave in seconds; counters are cast to float8 so that the driver returns
-- numbers (exact up to 2^53). stats_reset as epoch ms: when it changes, the counters restarted and
-- the backend restarts its rates instead of computing negative ones.
-- Cost, and its trade-off: the counters are in-memory statistics, but pg_database_size walks the
-- database's directory with a stat() per file: ~100 ms at 10,000 tables, over a second at 100,000,
-- by far the costliest part of the loop if run every minute. Sizes are therefore read only when $2 is
-- true, which the collector asks for every database_sizes.interval_s (default 10 minutes, the storage
-- loop's interval) and when a database it has no size for shows up; in between it reports the sizes it
-- read last. What we give up: pg_database_size_bytes lags the disk by up to that interval (growth fast
-- enough to matter within it shows in the WAL and temp-file rates first); its meaning, size on disk,
-- is unchanged.
-- It is only called where the role may see it (CONNECT or pg_read_all_stats), so a missing
-- privilege gives a NULL size instead of an error.
-- $1: most databases exported, busiest (commits + rollbacks) first: bounds label cardinality on
-- clusters with thousands of databases. $2: whether to read the sizes (NULL otherwise).
SELECT s.datid,
       s.datname,
       s.xact_commit::float8 AS xact_commit,
       s.xact_rollback::float8 AS xact_rollback,
       s.blks_read::float8 AS blks_read,
       s.blks_hit::float8 AS blks_hit,
       s.tup_returned::float8 AS tup_returned,
       s.tup_fetched::float8 AS tup_fetched,
       s.tup_inserted::float8 AS tup_inserted,
       s.tup_updated::float8 AS tup_updated,
       s.tup_deleted::float8 AS tup_deleted,
       s.conflicts::float8 AS conflicts,
       s.temp_files::float8 AS temp_files,
       s.temp_bytes::float8 AS temp_bytes,
       s.deadlocks::float8 AS deadlocks,
       s.checksum_failures::float8 AS checksum_failures,
       (s.blk_read_time / 1000)::float8 AS blk_read_time_seconds,
       (s.blk_write_time / 1000)::float8 AS blk_write_time_seconds,
       (s.session_time / 1000)::float8 AS session_time_seconds,
       (s.active_time / 1000)::float8 AS active_time_seconds,
       (s.idle_in_transaction_time / 1000)::float8 AS idle_in_transaction_time_seconds,
       s.sessions::float8 AS sessions,
       s.sessions_abandoned::float8 AS sessions_abandoned,
       s.sessions_fatal::float8 AS sessions_fatal,
       s.sessions_killed::float8 AS sessions_killed,
       (extract(epoch FROM s.stats_reset) * 1000)::float8 AS stats_reset_ms,
       CASE
         WHEN $2::boolean
          AND (has_database_privilege(d.oid, 'CONNECT') OR pg_has_role('pg_read_all_stats', 'USAGE'))
           THEN pg_database_size(d.oid)::float8
       END AS size_bytes
  FROM pg_stat_database s
  JOIN pg_database d ON d.oid = s.datid
 WHERE NOT d.datistemplate
 ORDER BY s.xact_commit + s.xact_rollback DESC, s.datname
 LIMIT $1
