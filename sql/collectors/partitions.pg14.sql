-- Storage loop (PostgreSQL 14+): every partitioned table of the connected database with its partition
-- counts, its default partition's row estimate and, for a RANGE key on one date, timestamp,
-- timestamptz or integer column, the bound expression of each direct partition, which the backend
-- parses (partitions/bound-parser.ts) to find the oldest/newest bounds and missing future partitions.
-- $1: Top-N (relations): at most that many partitioned tables, top-level ones first.
--
-- Which tables: every top-level partitioned table, and a sub-partitioned table (a partition that is
-- itself partitioned) only when it is RANGE-partitioned and no ancestor is: the "list by tenant, then
-- range by month" layout, where each tenant needs its own future partitions. A month sub-partitioned
-- by day is covered by its root's key and left out (its own range is closed by design).
--
-- Cost: catalog reads only. pg_get_expr deparses one short bound per direct partition, and only for
-- the keys we analyse; pg_partition_tree walks pg_inherits per reported table. Row counts are
-- pg_class.reltuples (kept by VACUUM/ANALYZE, -1 until the first one), never count(*).
-- Time values are returned as the server prints them (DateStyle, TimeZone of this session) and
-- converted by the server again (partition-bound-epochs.pg14.sql), so no format is assumed.
WITH parent AS (
  SELECT pt.partrelid AS oid,
         pt.partstrat,
         pt.partdefid,
         CASE WHEN pt.partnatts = 1 AND pt.partattrs[0] <> 0 THEN pt.partattrs[0] END AS key_attnum,
         c.relispartition
    FROM pg_partitioned_table pt
    JOIN pg_class c ON c.oid = pt.partrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
     AND n.nspname !~ '^pg_(toast|temp_)'
     AND (NOT c.relispartition
          OR (pt.partstrat = 'r'
              AND NOT EXISTS (SELECT 1
                                FROM pg_partition_ancestors(pt.partrelid) a
                                JOIN pg_partitioned_table ap ON ap.partrelid = a.relid
                               WHERE a.relid <> pt.partrelid AND ap.partstrat = 'r')))
),
keyed AS (
  SELECT p.*,
         (SELECT t.typname::text
            FROM pg_attribute a
            JOIN pg_type t ON t.oid = a.atttypid
           WHERE a.attrelid = p.oid AND a.attnum = p.key_attnum) AS key_type,
         (SELECT count(*) FROM pg_inherits i WHERE i.inhparent = p.oid)::int AS partitions,
         (SELECT count(*) FROM pg_partition_tree(p.oid) t WHERE t.isleaf)::int AS leaf_partitions
    FROM parent p
),
picked AS (
  SELECT * FROM keyed ORDER BY relispartition, leaf_partitions DESC, oid LIMIT $1
)
SELECT n.nspname AS schemaname,
       c.relname,
       p.partstrat::text AS strategy,
       pg_get_partkeydef(p.oid) AS partition_key,
       p.key_type,
       p.partitions,
       p.leaf_partitions,
       d.relname AS default_partition,
       -- A sub-partitioned default partition holds its rows in its leaves.
       (SELECT sum(lc.reltuples) FILTER (WHERE lc.reltuples >= 0)
          FROM pg_partition_tree(p.partdefid) l
          JOIN pg_class lc ON lc.oid = l.relid
         WHERE l.isleaf AND p.partdefid <> 0)::float8 AS default_rows,
       CASE WHEN p.partstrat = 'r' AND p.key_type IN ('date', 'timestamp', 'timestamptz', 'int2', 'int4', 'int8')
            THEN (SELECT array_agg(pg_get_expr(pc.relpartbound, pc.oid))
                    FROM pg_inherits i
                    JOIN pg_class pc ON pc.oid = i.inhrelid
                   WHERE i.inhparent = p.oid AND pc.oid <> p.partdefid)
       END AS bounds,
       extract(epoch FROM statement_timestamp())::float8 AS now_epoch,
       extract(epoch FROM localtimestamp)::float8 AS local_now_epoch
  FROM picked p
  JOIN pg_class c ON c.oid = p.oid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_class d ON d.oid = p.partdefid
 ORDER BY n.nspname, c.relname
