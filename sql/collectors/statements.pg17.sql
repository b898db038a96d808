-- Workload loop (PostgreSQL 17+): Top-N statements of pg_stat_statements by total execution
-- time, by calls and by shared blocks read (the union of the three lists: at most 3 * $1 rows;
-- entries that never read a block are left out of the last list), plus the number of entries and
-- the extension's own counters (pg_stat_statements_info).
-- $1: N, entries kept per list (top_n.statements).
-- Cost, and no temp files:
-- * showtext = false: the query-text file is never read.
-- * pg_stat_statements() materialises ALL its entries, every column, in a tuplestore bounded by
--   work_mem (~0.5 kB an entry: 10,000 entries spill to disk at the default 4MB). Its argument is
--   evaluated just before it runs: `raise` sets work_mem to 2 kB per pg_stat_statements.max entry
--   for this statement's transaction only (set_config is_local; autocommit reverts it when the
--   statement ends). Memory is used as rows arrive, not reserved. `v IS NULL` is false.
-- * No CTE holds the entries (a CTE's tuplestore is sized with work_mem before `raise` runs): each
--   list is a LATERAL top-N over the same function scan, which the executor rescans from its
--   tuplestore (the function's arguments do not change) instead of calling it again; a bounded
--   top-N sort keeps N rows. The count is a second call (no way to count the same scan for free).
-- * Only the selected rows are joined to pg_database and pg_roles.
-- Measured (bench/statements.bench.mjs, 10,000 entries, work_mem 4MB): 30-40 ms, 0 temp bytes;
-- track_functions shows 2 calls of pg_stat_statements() per execution.
-- Entries of other roles have a NULL queryid unless the collector role has pg_read_all_stats
-- (pg_monitor): they count in `tracked`, not in the lists. The one-row `info` side keeps the
-- totals when no entry qualifies. Counters are float8 (JS numbers); queryid is text (a bigint does
-- not fit a JS number).
-- PG17 renamed blk_read_time/blk_write_time to shared_blk_read_time/shared_blk_write_time and added
-- stats_since (when the entry started counting: a later value means it was reset or re-created).
WITH raise AS (
  SELECT set_config('work_mem',
                    greatest(pg_size_bytes(current_setting('work_mem')) / 1024,
                             2 * coalesce(current_setting('pg_stat_statements.max', true)::bigint, 5000)) || 'kB',
                    true) AS v
),
info AS (
  SELECT (SELECT count(*) FROM pg_stat_statements((SELECT v IS NULL FROM raise)))::float8 AS tracked,
         i.dealloc::float8 AS dealloc,
         (extract(epoch FROM i.stats_reset) * 1000)::float8 AS stats_reset_ms,
         (extract(epoch FROM statement_timestamp()) * 1000)::float8 AS server_now_ms
    FROM pg_stat_statements_info() i
),
top AS (
  SELECT DISTINCT ON (l.userid, l.dbid, l.queryid, l.toplevel) l.*
    FROM (VALUES (1), (2), (3)) AS lists(list)
   CROSS JOIN LATERAL (
         SELECT s.userid, s.dbid, s.toplevel, s.queryid,
                s.plans::float8 AS plans, s.total_plan_time,
                s.calls::float8 AS calls, s.total_exec_time, s.mean_exec_time, s.stddev_exec_time,
                s.min_exec_time, s.max_exec_time,
                s.rows::float8 AS rows,
                s.shared_blks_hit::float8 AS shared_blks_hit, s.shared_blks_read::float8 AS shared_blks_read,
                s.temp_blks_read::float8 AS temp_blks_read, s.temp_blks_written::float8 AS temp_blks_written,
                s.shared_blk_read_time AS blk_read_time, s.shared_blk_write_time AS blk_write_time,
                s.wal_bytes::float8 AS wal_bytes,
                (extract(epoch FROM s.stats_since) * 1000)::float8 AS stats_since_ms
           FROM pg_stat_statements((SELECT v IS NULL FROM raise)) s
          WHERE s.queryid IS NOT NULL
            AND (lists.list <> 3 OR s.shared_blks_read > 0)
          ORDER BY CASE lists.list WHEN 1 THEN s.total_exec_time
                                   WHEN 2 THEN s.calls::float8
                                   ELSE s.shared_blks_read::float8 END DESC
          LIMIT $1) l
)
SELECT info.tracked, info.dealloc, info.stats_reset_ms, info.server_now_ms,
       t.userid, t.dbid, t.toplevel, t.queryid::text AS queryid,
       coalesce(d.datname, t.dbid::text) AS datname,
       coalesce(r.rolname, t.userid::text) AS username,
       t.plans, t.total_plan_time,
       t.calls, t.total_exec_time, t.mean_exec_time, t.stddev_exec_time, t.min_exec_time, t.max_exec_time,
       t.rows, t.shared_blks_hit, t.shared_blks_read, t.temp_blks_read, t.temp_blks_written,
       t.blk_read_time, t.blk_write_time, t.wal_bytes, t.stats_since_ms
  FROM info
  LEFT JOIN top t ON true
  LEFT JOIN pg_database d ON d.oid = t.dbid
  LEFT JOIN pg_roles r ON r.oid = t.userid
