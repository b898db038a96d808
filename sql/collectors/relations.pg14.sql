-- Storage loop (PostgreSQL 14+): the Top-N relations by size and the Top-N tables by dead tuples of
-- the connected database, with exact sizes and tuple/scan statistics for those rows only.
-- $1: Top-N (relations).
--
-- Cost, and its trade-off: ranking by exact size would call pg_total_relation_size on every
-- relation, one stat() per fork segment of its heap, TOAST table and each index: tens of thousands
-- of system calls per cycle on a database with 10,000 tables. The ranking key is instead
-- pg_class.relpages * block_size (heap + TOAST + indexes) from one pass over pg_class/pg_index;
-- relpages is kept current by VACUUM, ANALYZE and CREATE INDEX (autovacuum included). Only the
-- Top-N winners get exact sizes: pg_table_size, pg_indexes_size and pg_total_relation_size of the
-- TOAST table, at most 3 x $1 calls. What we give up: a relation that grew since its last
-- (auto)vacuum/analyze ranks by its older size, and one never vacuumed or analyzed ranks as empty
-- until autovacuum reaches it; the sizes reported for the winners are exact.
--
-- Partitioned tables: every partition is folded into its root (pg_partition_root), which is ranked
-- and reported with the sum over its partitions (tuples and scans summed too). Its sizes are the
-- sum of the partitions' relpages estimates (size_exact = false): exact sizes would take a stat()
-- storm over every partition. Partitions do not appear on their own in the size ranking, so a
-- 60-partition table does not fill the Top-N with its slices; they do appear in the dead-tuple
-- ranking, which is per physical table (VACUUM works per partition).
--
-- Dead tuples: pg_stat_get_dead_tuples (in-memory statistics, no I/O) over every table, ranked, and
-- the other counters read only for the rows returned. Stats are per database: the collector sees the
-- database it is connected to. Temporary tables and system catalogs are left out.
--
-- Lock-free: the size functions (pg_table_size, pg_indexes_size, pg_total_relation_size,
-- pg_relation_size) open the relation with ACCESS SHARE, which queues behind a session holding or
-- awaiting ACCESS EXCLUSIVE (LOCK TABLE, VACUUM FULL, most ALTER TABLE) until lock_timeout fails the
-- whole statement: one locked table cost every row. Such relations (from pg_locks, which takes no
-- relation lock) are sized from relpages instead (size_exact false); only a lock taken while this
-- statement runs can still fail it, for that cycle.
WITH locked AS MATERIALIZED (
  SELECT DISTINCT l.relation AS oid
    FROM pg_locks l
   WHERE l.locktype = 'relation'
     AND l.mode = 'AccessExclusiveLock'
     AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
),
rel AS MATERIALIZED (
  SELECT c.oid,
         c.relkind,
         c.reltoastrelid,
         CASE WHEN c.relispartition THEN pg_partition_root(c.oid) ELSE c.oid END AS root,
         c.relpages::bigint AS heap_pages,
         coalesce(t.relpages, 0)::bigint AS toast_pages
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_class t ON t.oid = c.reltoastrelid
   WHERE c.relkind IN ('r', 'm', 'p')
     AND n.nspname NOT IN ('pg_catalog', 'information_schema')
     AND n.nspname !~ '^pg_(toast|temp_)'
),
index_pages AS (
  SELECT i.indrelid, sum(ic.relpages)::bigint AS pages
    FROM pg_index i
    JOIN pg_class ic ON ic.oid = i.indexrelid
   WHERE ic.relkind = 'i'
   GROUP BY i.indrelid
),
member AS MATERIALIZED (
  SELECT r.*, coalesce(ip.pages, 0) AS index_pages
    FROM rel r
    LEFT JOIN index_pages ip ON ip.indrelid = r.oid
),
unit AS (
  SELECT root,
         sum(heap_pages)::bigint AS heap_pages,
         sum(toast_pages)::bigint AS toast_pages,
         sum(index_pages)::bigint AS index_pages,
         count(*) FILTER (WHERE oid <> root AND relkind <> 'p') AS partitions
    FROM member
   GROUP BY root
),
top_size AS (
  SELECT root AS oid, row_number() OVER (ORDER BY heap_pages + toast_pages + index_pages DESC, root) AS size_rank
    FROM unit
   ORDER BY heap_pages + toast_pages + index_pages DESC, root
   LIMIT $1
),
top_dead AS (
  SELECT oid, row_number() OVER (ORDER BY dead DESC, oid) AS dead_rank
    FROM (SELECT oid, pg_stat_get_dead_tuples(oid) AS dead FROM rel WHERE relkind IN ('r', 'm')) d
   WHERE dead > 0
   ORDER BY dead DESC, oid
   LIMIT $1
),
picked AS (
  SELECT coalesce(s.oid, d.oid) AS oid, s.size_rank, d.dead_rank
    FROM top_size s
    FULL JOIN top_dead d ON d.oid = s.oid
),
-- The tables whose statistics make up each picked row: itself, or every partition of a root.
stat_member AS (
  SELECT p.oid AS picked, m.oid FROM picked p JOIN member m ON m.root = p.oid WHERE m.relkind <> 'p'
  UNION
  SELECT oid, oid FROM picked
),
stats AS (
  SELECT picked,
         sum(pg_stat_get_live_tuples(oid))::float8 AS live_tuples,
         sum(pg_stat_get_dead_tuples(oid))::float8 AS dead_tuples,
         sum(pg_stat_get_numscans(oid))::float8 AS seq_scan,
         max(pg_stat_get_last_vacuum_time(oid)) AS last_vacuum,
         max(pg_stat_get_last_autovacuum_time(oid)) AS last_autovacuum
    FROM stat_member
   GROUP BY picked
),
-- Picked relations whose exact size would wait on a lock: the table, its TOAST table or an index.
blocked AS (
  SELECT p.oid
    FROM picked p
    JOIN pg_class c ON c.oid = p.oid
   WHERE EXISTS (SELECT FROM locked l
                  WHERE l.oid IN (c.oid, c.reltoastrelid)
                     OR l.oid IN (SELECT i.indexrelid FROM pg_index i
                                   WHERE i.indrelid IN (c.oid, c.reltoastrelid)))
),
idx_scans AS (
  SELECT sm.picked, sum(pg_stat_get_numscans(i.indexrelid))::float8 AS idx_scan
    FROM stat_member sm
    JOIN pg_index i ON i.indrelid = sm.oid
   GROUP BY sm.picked
)
SELECT n.nspname AS schemaname,
       c.relname,
       c.relkind::text AS relkind,
       p.size_rank::int AS size_rank,
       p.dead_rank::int AS dead_rank,
       coalesce(u.partitions, 0)::int AS partitions,
       c.relkind <> 'p' AND b.oid IS NULL AS size_exact,
       bs.bytes * (u.heap_pages + u.toast_pages + u.index_pages)::float8 AS estimated_bytes,
       -- CASE never evaluates a size function for a partitioned or a blocked relation
       CASE WHEN c.relkind = 'p' OR b.oid IS NOT NULL THEN bs.bytes * (u.heap_pages + u.toast_pages)::float8
            ELSE pg_table_size(c.oid)::float8 END AS table_bytes,
       CASE WHEN c.relkind = 'p' OR b.oid IS NOT NULL THEN bs.bytes * u.index_pages::float8
            ELSE pg_indexes_size(c.oid)::float8 END AS indexes_bytes,
       CASE WHEN c.relkind = 'p' OR b.oid IS NOT NULL THEN bs.bytes * u.toast_pages::float8
            WHEN c.reltoastrelid <> 0 THEN pg_total_relation_size(c.reltoastrelid)::float8
            ELSE 0 END AS toast_bytes,
       s.live_tuples,
       s.dead_tuples,
       s.seq_scan,
       coalesce(x.idx_scan, 0) AS idx_scan,
       (extract(epoch FROM s.last_vacuum) * 1000)::float8 AS last_vacuum_ms,
       (extract(epoch FROM s.last_autovacuum) * 1000)::float8 AS last_autovacuum_ms,
       coalesce(c.reloptions @> ARRAY['autovacuum_enabled=false'], false) AS autovacuum_disabled
  FROM picked p
  JOIN pg_class c ON c.oid = p.oid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN unit u ON u.root = p.oid
  LEFT JOIN stats s ON s.picked = p.oid
  LEFT JOIN idx_scans x ON x.picked = p.oid
  LEFT JOIN blocked b ON b.oid = p.oid
 CROSS JOIN (SELECT current_setting('block_size')::float8 AS bytes) bs
 ORDER BY p.size_rank NULLS LAST, p.dead_rank
