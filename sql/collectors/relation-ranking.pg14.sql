-- Storage loop (PostgreSQL 14+): which relations of the connected database are the Top-N by size:
-- the oids of the tables, materialized views and partitioned tables that relations.pg14.sql then
-- reports (it takes them as $2 and re-sorts them on their current sizes). $1: Top-N (relations).
--
-- Run every size_ranking.interval_s (and every cycle while the database holds fewer than $1 such
-- relations, when any new one belongs in the Top-N), not every storage cycle: which relations are
-- the largest changes slowly, and ranking is the costliest part of the relations statement (it
-- sizes every relation). In between, the relations ranked last are reported with fresh figures;
-- one dropped meanwhile is left out, one that grew into the Top-N shows at the next ranking.
--
-- Ranking key, and its trade-off: pg_class.relpages * block_size (heap + TOAST + indexes), read from
-- the catalogs alone (an exact size is one stat() per fork segment of every relation); relpages is
-- kept current by VACUUM, ANALYZE and CREATE INDEX (autovacuum included). A relation that grew
-- since its last (auto)vacuum/analyze ranks by its older size, one never vacuumed or analyzed ranks
-- as empty until autovacuum reaches it.
--
-- Partitioned tables: every partition is folded into its root (pg_partition_root), which is ranked
-- on the sum over its partitions: a 60-partition table does not fill the Top-N with its slices.
-- Temporary tables and system catalogs are left out.
--
-- Memory: nothing spills to temp files at the default work_mem, whatever the number of relations.
-- Nothing holds every relation at once (no materialized CTE, no hash or sort over all of them): the
-- Top-N is ORDER BY ... LIMIT straight over the scan (a bounded heap of $1 rows); the TOAST and index
-- pages of a relation come from index lookups on pg_class and pg_index per relation (a scalar
-- subquery and a LATERAL aggregate, which the planner cannot turn into a hash join over every
-- index); only partitions are grouped, by root (found from pg_partitioned_table and pg_inherits, not
-- a scan of pg_class), so the grouping holds one entry per partitioned table. No size function, no
-- relation lock: catalogs only.
WITH unit AS (
  -- each table or materialized view that is not a partition, on its own
  SELECT c.oid AS root,
         c.relpages::bigint
         + CASE WHEN c.reltoastrelid <> 0
                THEN coalesce((SELECT t.relpages FROM pg_class t WHERE t.oid = c.reltoastrelid), 0)
                ELSE 0 END::bigint
         + coalesce(x.pages, 0)::bigint AS pages
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    -- relhasindex false: no index (no lookup); true: some, or had some until the next VACUUM
    LEFT JOIN LATERAL (SELECT sum(ic.relpages) AS pages
                         FROM pg_index i
                         JOIN pg_class ic ON ic.oid = i.indexrelid
                        WHERE c.relhasindex AND i.indrelid = c.oid AND ic.relkind = 'i') x ON true
   WHERE c.relkind IN ('r', 'm')
     AND NOT c.relispartition
     AND n.nspname NOT IN ('pg_catalog', 'information_schema')
     AND n.nspname !~ '^pg_(toast|temp_)'
  UNION ALL
  -- each partitioned root, with the sum over its partitions
  SELECT m.root, sum(m.pages)::bigint
    FROM (SELECT CASE WHEN c.relispartition THEN pg_partition_root(c.oid) ELSE c.oid END AS root,
                 c.relpages::bigint
                 + coalesce((SELECT t.relpages FROM pg_class t WHERE t.oid = c.reltoastrelid), 0)::bigint
                 + coalesce(x.pages, 0)::bigint AS pages
            FROM (SELECT partrelid AS oid, 'p'::"char" AS relkind FROM pg_partitioned_table
                  UNION ALL
                  SELECT inhrelid, 'r' FROM pg_inherits) k
            -- looked up by oid (LIMIT 1: never a scan of pg_class joined to them all)
           CROSS JOIN LATERAL (SELECT p.oid, p.relkind, p.relispartition, p.relpages, p.reltoastrelid, p.relnamespace
                                 FROM pg_class p
                                WHERE p.oid = k.oid AND p.relkind = k.relkind
                                LIMIT 1) c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN LATERAL (SELECT sum(ic.relpages) AS pages
                                 FROM pg_index i
                                 JOIN pg_class ic ON ic.oid = i.indexrelid
                                WHERE i.indrelid = c.oid AND ic.relkind = 'i') x ON true
           WHERE (c.relkind = 'p' OR c.relispartition)
             AND n.nspname NOT IN ('pg_catalog', 'information_schema')
             AND n.nspname !~ '^pg_(toast|temp_)') m
   GROUP BY m.root
)
SELECT u.root AS oid
  FROM unit u
 ORDER BY u.pages DESC, u.root
 LIMIT $1
