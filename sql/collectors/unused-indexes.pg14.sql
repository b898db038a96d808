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
WITH candidate AS MATERIALIZED (
  SELECT i.indexrelid,
         CASE WHEN ic.relispartition THEN pg_partition_root(i.indexrelid) ELSE i.indexrelid END AS root,
         ic.relpages::bigint AS pages,
         pg_stat_get_numscans(i.indexrelid) AS scans
    FROM pg_index i
    JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_namespace n ON n.oid = ic.relnamespace
   WHERE ic.relkind = 'i'
     AND NOT i.indisunique
     AND NOT i.indisprimary
     AND NOT i.indisexclusion
     AND n.nspname NOT IN ('pg_catalog', 'information_schema')
     AND n.nspname !~ '^pg_(toast|temp_)'
),
unused AS MATERIALIZED (
  SELECT root, sum(pages)::bigint AS pages, count(*) FILTER (WHERE indexrelid <> root)::int AS partitions
    FROM candidate
   GROUP BY root
  HAVING sum(scans) = 0
),
top AS (
  SELECT * FROM unused ORDER BY pages DESC, root LIMIT $1
),
totals AS (
  SELECT count(*)::int AS unused_count,
         coalesce(sum(pages), 0)::float8 * current_setting('block_size')::float8 AS unused_estimated_bytes
    FROM unused
)
SELECT t.unused_count,
       t.unused_estimated_bytes,
       n.nspname AS schemaname,
       c.relname,
       ic.relname AS indexrelname,
       CASE WHEN ic.relkind = 'I' THEN u.pages::float8 * current_setting('block_size')::float8
            ELSE pg_relation_size(u.root)::float8 END AS size_bytes,
       ic.relkind <> 'I' AS size_exact,
       u.partitions,
       0::float8 AS idx_scan,
       i.indisvalid AS is_valid,
       pg_get_indexdef(u.root) AS definition,
       (extract(epoch FROM d.stats_reset) * 1000)::float8 AS stats_reset_ms
  FROM totals t
  LEFT JOIN top u ON true
  LEFT JOIN pg_index i ON i.indexrelid = u.root
  LEFT JOIN pg_class ic ON ic.oid = u.root
  LEFT JOIN pg_class c ON c.oid = i.indrelid
  LEFT JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_stat_database d ON d.datname = current_database()
 ORDER BY size_bytes DESC NULLS LAST, indexrelname
