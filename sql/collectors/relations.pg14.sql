-- Storage loop (PostgreSQL 14+): the Top-N relations by size and the Top-N tables by dead tuples of
-- the connected database, with exact sizes and tuple/scan statistics for those rows only.
-- $1: Top-N (relations). $2: the oids of the Top-N relations by size, as relation-ranking.pg14.sql
-- ranked them (every size_ranking.interval_s: ranking sizes every relation, and which ones are the
-- largest changes slowly); they are re-sorted here on their current sizes. An oid that is no longer
-- a table, materialized view or partitioned root (dropped, attached as a partition) is left out.
--
-- Cost, and its trade-off: ranking by exact size would call pg_total_relation_size on every
-- relation, one stat() per fork segment of its heap, TOAST table and each index: tens of thousands
-- of system calls per cycle on a database with 10,000 tables. The ranking key is instead
-- pg_class.relpages * block_size (heap + TOAST + indexes), read from the catalogs alone;
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
-- the other counters read only for the rows returned (a partitioned root's are summed in the pass
-- over its partitions): tuples, scans, last vacuums and the block I/O of pg_statio_user_tables
-- (blocks found in shared buffers and read from outside them, for the heap, the indexes, and the
-- TOAST table with its index), by oid for those rows, never for every table. Stats are per database: the collector sees the database it is connected to.
-- Temporary tables and system catalogs are left out.
--
-- Memory: nothing spills to temp files at the default work_mem, whatever the number of relations.
-- Nothing holds every relation at once (no materialized CTE, no hash or sort over all of them): the
-- units by size are the $2 oids, looked up one by one; the dead-tuple Top-N is ORDER BY ... LIMIT
-- straight over its scan (a bounded heap of $1 rows); the TOAST and index pages of a relation come
-- from index lookups on pg_class and pg_index per relation (a scalar subquery and a LATERAL
-- aggregate, which the planner cannot turn into a hash join over every index); the partitions of
-- the partitioned roots among $2 are found from pg_partitioned_table and pg_inherits (not a scan of
-- pg_class, and not pg_partition_tree, which locks every partition), only when $2 holds one, and
-- grouped by root (one entry per root). One pass over pg_class (tables by dead tuples).
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
-- The units ranked by size ($2, at most a few hundred oids), distinct.
ranked AS (
  SELECT DISTINCT r.oid FROM unnest($2::oid[]) r(oid)
),
-- The partitioned roots among them: their partitions are summed into them.
ranked_root AS MATERIALIZED (
  SELECT c.oid
    FROM ranked r
    JOIN pg_class c ON c.oid = r.oid
   WHERE c.relkind = 'p' AND NOT c.relispartition
),
-- Each ranked table or materialized view that is not a partition, on its own; each ranked
-- partitioned root with the sums over its partitions (grouped: memory per root).
unit AS (
  SELECT c.oid AS root,
         c.relpages::bigint AS heap_pages,
         CASE WHEN c.reltoastrelid <> 0
              THEN coalesce((SELECT t.relpages FROM pg_class t WHERE t.oid = c.reltoastrelid), 0)
              ELSE 0 END::bigint AS toast_pages,
         coalesce(x.pages, 0)::bigint AS index_pages,
         0::bigint AS partitions,
         false AS grouped,
         NULL::float8 AS live_tuples,
         NULL::float8 AS dead_tuples,
         NULL::float8 AS seq_scan,
         NULL::float8 AS idx_scan,
         NULL::timestamptz AS last_vacuum,
         NULL::timestamptz AS last_autovacuum,
         NULL::float8 AS heap_blks_read,
         NULL::float8 AS heap_blks_hit,
         NULL::float8 AS idx_blks_read,
         NULL::float8 AS idx_blks_hit,
         NULL::float8 AS toast_blks_read,
         NULL::float8 AS toast_blks_hit
    FROM ranked r
    JOIN pg_class c ON c.oid = r.oid
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
  SELECT m.root,
         sum(m.heap_pages)::bigint,
         sum(m.toast_pages)::bigint,
         sum(m.index_pages)::bigint,
         count(*) FILTER (WHERE m.oid <> m.root AND m.relkind <> 'p'),
         true,
         -- statistics of the leaf partitions (and the root, which has none)
         sum(pg_stat_get_live_tuples(m.oid)) FILTER (WHERE m.relkind <> 'p' OR m.oid = m.root)::float8,
         sum(pg_stat_get_dead_tuples(m.oid)) FILTER (WHERE m.relkind <> 'p' OR m.oid = m.root)::float8,
         sum(pg_stat_get_numscans(m.oid)) FILTER (WHERE m.relkind <> 'p' OR m.oid = m.root)::float8,
         sum(m.index_scans) FILTER (WHERE m.relkind <> 'p' OR m.oid = m.root)::float8,
         max(pg_stat_get_last_vacuum_time(m.oid)) FILTER (WHERE m.relkind <> 'p' OR m.oid = m.root),
         max(pg_stat_get_last_autovacuum_time(m.oid)) FILTER (WHERE m.relkind <> 'p' OR m.oid = m.root),
         sum(pg_stat_get_blocks_fetched(m.oid) - pg_stat_get_blocks_hit(m.oid)) FILTER (WHERE m.relkind <> 'p' OR m.oid = m.root)::float8,
         sum(pg_stat_get_blocks_hit(m.oid)) FILTER (WHERE m.relkind <> 'p' OR m.oid = m.root)::float8,
         sum(m.idx_blks_read) FILTER (WHERE m.relkind <> 'p' OR m.oid = m.root)::float8,
         sum(m.idx_blks_hit) FILTER (WHERE m.relkind <> 'p' OR m.oid = m.root)::float8,
         sum(m.toast_blks_read) FILTER (WHERE m.relkind <> 'p' OR m.oid = m.root)::float8,
         sum(m.toast_blks_hit) FILTER (WHERE m.relkind <> 'p' OR m.oid = m.root)::float8
    FROM (SELECT c.oid,
                 c.relkind,
                 CASE WHEN c.relispartition THEN pg_partition_root(c.oid) ELSE c.oid END AS root,
                 c.relpages::bigint AS heap_pages,
                 coalesce((SELECT t.relpages FROM pg_class t WHERE t.oid = c.reltoastrelid), 0)::bigint AS toast_pages,
                 coalesce(x.pages, 0)::bigint AS index_pages,
                 coalesce(x.scans, 0) AS index_scans,
                 coalesce(x.blks_read, 0) AS idx_blks_read,
                 coalesce(x.blks_hit, 0) AS idx_blks_hit,
                 coalesce(tio.blks_read, 0) AS toast_blks_read,
                 coalesce(tio.blks_hit, 0) AS toast_blks_hit
            FROM (SELECT partrelid AS oid, 'p'::"char" AS relkind FROM pg_partitioned_table
                  UNION ALL
                  SELECT inhrelid, 'r' FROM pg_inherits) k
            -- looked up by oid (LIMIT 1: never a scan of pg_class joined to them all), for the
            -- ranked roots only (pg_partition_root walks pg_inherits, no lock)
           CROSS JOIN LATERAL (SELECT p.oid, p.relkind, p.relispartition, p.relpages, p.reltoastrelid, p.relnamespace
                                 FROM pg_class p
                                WHERE p.oid = k.oid AND p.relkind = k.relkind
                                LIMIT 1) c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN LATERAL (SELECT sum(ic.relpages) FILTER (WHERE ic.relkind = 'i') AS pages,
                                      sum(pg_stat_get_numscans(i.indexrelid)) AS scans,
                                      sum(pg_stat_get_blocks_fetched(i.indexrelid) - pg_stat_get_blocks_hit(i.indexrelid)) AS blks_read,
                                      sum(pg_stat_get_blocks_hit(i.indexrelid)) AS blks_hit
                                 FROM pg_index i
                                 JOIN pg_class ic ON ic.oid = i.indexrelid
                                WHERE i.indrelid = c.oid) x ON true
            LEFT JOIN LATERAL (SELECT sum(pg_stat_get_blocks_fetched(o.oid) - pg_stat_get_blocks_hit(o.oid)) AS blks_read,
                                      sum(pg_stat_get_blocks_hit(o.oid)) AS blks_hit
                                 FROM (SELECT c.reltoastrelid AS oid
                                       UNION ALL
                                       SELECT ti.indexrelid FROM pg_index ti WHERE ti.indrelid = c.reltoastrelid) o
                                WHERE c.reltoastrelid <> 0) tio ON true
           WHERE EXISTS (SELECT FROM ranked_root)
             AND pg_partition_root(k.oid) IN (SELECT oid FROM ranked_root)
             AND (c.relkind = 'p' OR c.relispartition)
             AND n.nspname NOT IN ('pg_catalog', 'information_schema')
             AND n.nspname !~ '^pg_(toast|temp_)') m
   GROUP BY m.root
),
-- The ranked units in their current order (LIMIT: $2 never holds more than $1 of them).
top_size AS (
  SELECT s.*, row_number() OVER (ORDER BY s.heap_pages + s.toast_pages + s.index_pages DESC, s.root) AS size_rank
    FROM (SELECT * FROM unit ORDER BY heap_pages + toast_pages + index_pages DESC, root LIMIT $1) s
),
top_dead AS (
  SELECT d.oid, row_number() OVER (ORDER BY d.dead DESC, d.oid) AS dead_rank
    FROM (SELECT c.oid, pg_stat_get_dead_tuples(c.oid) AS dead
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE c.relkind IN ('r', 'm')
             AND n.nspname NOT IN ('pg_catalog', 'information_schema')
             AND n.nspname !~ '^pg_(toast|temp_)'
             AND pg_stat_get_dead_tuples(c.oid) > 0
           ORDER BY dead DESC, c.oid
           LIMIT $1) d
),
picked AS (
  SELECT coalesce(s.root, d.oid) AS oid, s.size_rank, d.dead_rank, s.heap_pages, s.toast_pages, s.index_pages,
         s.partitions, coalesce(s.grouped, false) AS grouped, s.live_tuples, s.dead_tuples, s.seq_scan,
         s.idx_scan, s.last_vacuum, s.last_autovacuum, s.heap_blks_read, s.heap_blks_hit, s.idx_blks_read,
         s.idx_blks_hit, s.toast_blks_read, s.toast_blks_hit
    FROM top_size s
    FULL JOIN top_dead d ON d.oid = s.root
),
-- Each picked row with its ranking unit's pages (a table ranked by dead tuples alone has its own;
-- a partition has none) and its statistics (a partitioned root's are its partitions' sums).
sized AS (
  SELECT p.oid, p.size_rank, p.dead_rank, c.relkind, c.reltoastrelid, c.relnamespace, c.relname, c.reloptions,
         coalesce(p.partitions, 0) AS partitions,
         CASE WHEN p.size_rank IS NOT NULL THEN p.heap_pages
              WHEN NOT c.relispartition THEN c.relpages::bigint END AS heap_pages,
         CASE WHEN p.size_rank IS NOT NULL THEN p.toast_pages
              WHEN NOT c.relispartition THEN coalesce(t.relpages, 0)::bigint END AS toast_pages,
         CASE WHEN p.size_rank IS NOT NULL THEN p.index_pages
              WHEN NOT c.relispartition THEN coalesce(x.pages, 0)::bigint END AS index_pages,
         CASE WHEN p.grouped THEN p.live_tuples ELSE pg_stat_get_live_tuples(p.oid)::float8 END AS live_tuples,
         CASE WHEN p.grouped THEN p.dead_tuples ELSE pg_stat_get_dead_tuples(p.oid)::float8 END AS dead_tuples,
         CASE WHEN p.grouped THEN p.seq_scan ELSE pg_stat_get_numscans(p.oid)::float8 END AS seq_scan,
         CASE WHEN p.grouped THEN p.idx_scan ELSE coalesce(x.scans, 0)::float8 END AS idx_scan,
         CASE WHEN p.grouped THEN p.last_vacuum ELSE pg_stat_get_last_vacuum_time(p.oid) END AS last_vacuum,
         CASE WHEN p.grouped THEN p.last_autovacuum ELSE pg_stat_get_last_autovacuum_time(p.oid) END AS last_autovacuum,
         CASE WHEN p.grouped THEN p.heap_blks_read
              ELSE (pg_stat_get_blocks_fetched(p.oid) - pg_stat_get_blocks_hit(p.oid))::float8 END AS heap_blks_read,
         CASE WHEN p.grouped THEN p.heap_blks_hit ELSE pg_stat_get_blocks_hit(p.oid)::float8 END AS heap_blks_hit,
         CASE WHEN p.grouped THEN p.idx_blks_read ELSE coalesce(x.blks_read, 0)::float8 END AS idx_blks_read,
         CASE WHEN p.grouped THEN p.idx_blks_hit ELSE coalesce(x.blks_hit, 0)::float8 END AS idx_blks_hit,
         CASE WHEN p.grouped THEN p.toast_blks_read ELSE coalesce(tio.blks_read, 0)::float8 END AS toast_blks_read,
         CASE WHEN p.grouped THEN p.toast_blks_hit ELSE coalesce(tio.blks_hit, 0)::float8 END AS toast_blks_hit,
         -- a size function would wait on a lock of the table, its TOAST table or an index
         EXISTS (SELECT FROM locked l
                  WHERE l.oid IN (c.oid, c.reltoastrelid)
                     OR l.oid IN (SELECT i.indexrelid FROM pg_index i
                                   WHERE i.indrelid IN (c.oid, c.reltoastrelid))) AS blocked
    FROM picked p
    JOIN pg_class c ON c.oid = p.oid
    LEFT JOIN pg_class t ON t.oid = c.reltoastrelid
    LEFT JOIN LATERAL (SELECT sum(ic.relpages) FILTER (WHERE ic.relkind = 'i') AS pages,
                              sum(pg_stat_get_numscans(i.indexrelid)) AS scans,
                              sum(pg_stat_get_blocks_fetched(i.indexrelid) - pg_stat_get_blocks_hit(i.indexrelid)) AS blks_read,
                              sum(pg_stat_get_blocks_hit(i.indexrelid)) AS blks_hit
                         FROM pg_index i
                         JOIN pg_class ic ON ic.oid = i.indexrelid
                        WHERE i.indrelid = c.oid) x ON true
    -- the TOAST table and its index, as pg_statio_user_tables' toast_ and tidx_ columns
    LEFT JOIN LATERAL (SELECT sum(pg_stat_get_blocks_fetched(o.oid) - pg_stat_get_blocks_hit(o.oid)) AS blks_read,
                              sum(pg_stat_get_blocks_hit(o.oid)) AS blks_hit
                         FROM (SELECT c.reltoastrelid AS oid
                               UNION ALL
                               SELECT ti.indexrelid FROM pg_index ti WHERE ti.indrelid = c.reltoastrelid) o
                        WHERE c.reltoastrelid <> 0) tio ON true
)
SELECT n.nspname AS schemaname,
       s.relname,
       s.relkind::text AS relkind,
       s.size_rank::int AS size_rank,
       s.dead_rank::int AS dead_rank,
       s.partitions::int AS partitions,
       s.relkind <> 'p' AND NOT s.blocked AS size_exact,
       bs.bytes * (s.heap_pages + s.toast_pages + s.index_pages)::float8 AS estimated_bytes,
       -- CASE never evaluates a size function for a partitioned or a blocked relation
       CASE WHEN s.relkind = 'p' OR s.blocked THEN bs.bytes * (s.heap_pages + s.toast_pages)::float8
            ELSE pg_table_size(s.oid)::float8 END AS table_bytes,
       CASE WHEN s.relkind = 'p' OR s.blocked THEN bs.bytes * s.index_pages::float8
            ELSE pg_indexes_size(s.oid)::float8 END AS indexes_bytes,
       CASE WHEN s.relkind = 'p' OR s.blocked THEN bs.bytes * s.toast_pages::float8
            WHEN s.reltoastrelid <> 0 THEN pg_total_relation_size(s.reltoastrelid)::float8
            ELSE 0 END AS toast_bytes,
       s.live_tuples,
       s.dead_tuples,
       s.seq_scan,
       s.idx_scan,
       s.heap_blks_read,
       s.heap_blks_hit,
       s.idx_blks_read,
       s.idx_blks_hit,
       s.toast_blks_read,
       s.toast_blks_hit,
       (extract(epoch FROM s.last_vacuum) * 1000)::float8 AS last_vacuum_ms,
       (extract(epoch FROM s.last_autovacuum) * 1000)::float8 AS last_autovacuum_ms,
       coalesce(s.reloptions @> ARRAY['autovacuum_enabled=false'], false) AS autovacuum_disabled
  FROM sized s
  JOIN pg_namespace n ON n.oid = s.relnamespace
 CROSS JOIN (SELECT current_setting('block_size')::float8 AS bytes) bs
 ORDER BY s.size_rank NULLS LAST, s.dead_rank
