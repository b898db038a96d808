-- Storage loop (PostgreSQL 14+): indexes never scanned since the statistics were last reset, that
-- could be dropped: the count and estimated total of all of them, and the Top-N by size in detail.
-- $1: Top-N (indexes).
--
-- Left out: unique, primary-key and exclusion indexes (they enforce constraints whether scanned or
-- not), system catalogs, TOAST and temporary objects.
-- Partitions: an index on a partition cannot be dropped on its own, so the indexes of a partitioned
-- index are rolled up into it (pg_partition_root): it is unused when none of its partitions' indexes
-- was scanned, and its size is their sum. It is reported once, under the partitioned table, so no
-- byte is counted twice (the partitioned index itself has no storage).
--
-- Cost: pg_stat_get_numscans (in-memory statistics) for each candidate index and relpages from the
-- same pass; pg_relation_size (a stat() per segment) and pg_get_indexdef only for the $1 winners.
-- The totals (unused_count, unused_estimated_bytes) use relpages * block_size: fresh as of the last
-- VACUUM/ANALYZE/CREATE INDEX, with no per-index file system calls. A rolled-up index's size is
-- that estimate too (size_exact = false): exact sizes would stat() every partition's index.
--
-- Memory and passes: one catalog pass, nothing spills to temp files at the default work_mem,
-- whatever the number of indexes, and no row of every candidate is held at once (only their oids,
-- in one array: 4 bytes each, 400 kB at 100,000 indexes, never written out). The pass is over
-- pg_index, then one index scan of pg_class over the oids of the indexes never scanned (PostgreSQL
-- walks a sorted array of keys down the index; 17+ without going back to the root for each
-- neighbouring one); the totals ride along it
-- as running sums (a window framed from the first row to the current one keeps no row behind it),
-- so the last row carries them, and `lead` marks that row; the Top-N is ORDER BY ... LIMIT over the
-- same pass (a bounded heap of $1 + 1 rows: the last row first, then the largest). Only
-- partitions' indexes are grouped, by their root (found from pg_inherits), so the grouping holds
-- one entry per partitioned index. (Reading the candidates twice, once for the totals and once for
-- the Top-N, cost a third more; keeping them in memory spilled 10 MB a cycle at 100,000 tables.)
--
-- Lock-free: pg_relation_size (the index) and pg_get_indexdef (the index and its table) take ACCESS
-- SHARE, which queues behind a session holding or awaiting ACCESS EXCLUSIVE (DROP INDEX, REINDEX,
-- LOCK TABLE, VACUUM FULL) until lock_timeout fails the whole statement: one lock cost every row.
-- Locked ones (from pg_locks, which takes no relation lock) get their size from relpages and no
-- definition; only a lock taken while this statement runs can still fail it, for that cycle.
WITH locked AS MATERIALIZED (
  SELECT DISTINCT l.relation AS oid
    FROM pg_locks l
   WHERE l.locktype = 'relation'
     AND l.mode = 'AccessExclusiveLock'
     AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
),
unused AS (
  -- The candidates' pg_class rows in one index scan over their oids (an array: 4 bytes an index),
  -- rather than a lookup per candidate: a tenth less time at 10,000 of them (PostgreSQL 16).
  SELECT ic.oid AS root, ic.relpages::bigint AS pages, 0 AS partitions
    FROM pg_class ic
    JOIN pg_namespace n ON n.oid = ic.relnamespace
   WHERE ic.oid = ANY ((SELECT array_agg(i.indexrelid)
                          FROM pg_index i
                         WHERE NOT i.indisunique
                           AND NOT i.indisprimary
                           AND NOT i.indisexclusion
                           AND pg_stat_get_numscans(i.indexrelid) = 0)::oid[])
     AND ic.relkind = 'i'
     AND NOT ic.relispartition
     AND n.nspname NOT IN ('pg_catalog', 'information_schema')
     AND n.nspname !~ '^pg_(toast|temp_)'
  UNION ALL
  SELECT p.root, sum(p.pages)::bigint, count(*)::int
    FROM (SELECT pg_partition_root(ic.oid) AS root, ic.relpages::bigint AS pages, pg_stat_get_numscans(ic.oid) AS scans
            FROM pg_inherits h
            JOIN pg_class ic ON ic.oid = h.inhrelid
            JOIN pg_index i ON i.indexrelid = ic.oid
            JOIN pg_namespace n ON n.oid = ic.relnamespace
           WHERE ic.relkind = 'i'
             AND ic.relispartition
             AND NOT i.indisunique
             AND NOT i.indisprimary
             AND NOT i.indisexclusion
             AND n.nspname NOT IN ('pg_catalog', 'information_schema')
             AND n.nspname !~ '^pg_(toast|temp_)') p
   GROUP BY p.root
  HAVING sum(p.scans) = 0
),
-- One pass: running totals, the last row marked, and the Top-N, all over the same scan.
top AS (
  SELECT r.*
    FROM (SELECT u.*,
                 count(*) OVER running AS running_count,
                 sum(u.pages) OVER running AS running_pages,
                 lead(false, 1, true) OVER running AS is_last
            FROM unused u
          WINDOW running AS (ROWS UNBOUNDED PRECEDING)) r
   ORDER BY r.is_last DESC, r.pages DESC, r.root
   LIMIT $1 + 1
),
totals AS (
  SELECT coalesce(max(running_count), 0)::int AS unused_count,
         coalesce(max(running_pages), 0)::float8 * current_setting('block_size')::float8 AS unused_estimated_bytes
    FROM top
   WHERE is_last
)
SELECT t.unused_count,
       t.unused_estimated_bytes,
       n.nspname AS schemaname,
       c.relname,
       ic.relname AS indexrelname,
       CASE WHEN ic.relkind = 'I' OR u.root IN (SELECT oid FROM locked)
            THEN u.pages::float8 * current_setting('block_size')::float8
            ELSE pg_relation_size(u.root)::float8 END AS size_bytes,
       ic.relkind <> 'I' AND u.root NOT IN (SELECT oid FROM locked) AS size_exact,
       u.partitions,
       0::float8 AS idx_scan,
       i.indisvalid AS is_valid,
       -- pg_get_indexdef locks the index and its table: no definition while either is locked
       CASE WHEN u.root NOT IN (SELECT oid FROM locked) AND i.indrelid NOT IN (SELECT oid FROM locked)
            THEN pg_get_indexdef(u.root) END AS definition,
       (extract(epoch FROM d.stats_reset) * 1000)::float8 AS stats_reset_ms
  FROM totals t
  -- the last row is among the Top-N + 1 only for its totals
  LEFT JOIN (SELECT * FROM top ORDER BY pages DESC, root LIMIT $1) u ON true
  LEFT JOIN pg_index i ON i.indexrelid = u.root
  LEFT JOIN pg_class ic ON ic.oid = u.root
  LEFT JOIN pg_class c ON c.oid = i.indrelid
  LEFT JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_stat_database d ON d.datname = current_database()
 ORDER BY size_bytes DESC NULLS LAST, indexrelname
