-- Hourly loop, every server: plain single-column B-tree indexes of big tables whose column is
-- mostly NULL (pg_stats null_frac). The index holds an entry for every NULL row although queries
-- on `column = value` never need them: an index `WHERE column IS NOT NULL` is smaller, cheaper to
-- write and to cache (pgwatch: more than 50 % NULL, tables of 100,000 rows or more).
-- Candidates: not unique, not a primary key, valid, no predicate, no expression, no INCLUDE, the
-- column's default operator class, collation and order (so that the partial index proposed is
-- the same index but for its WHERE); ordinary tables and materialized views, not partitions.
-- $1: how many indexes are looked at (the Top-N largest candidates); $2: null_frac from which
-- one is listed; $3: reltuples from which a table is considered.
-- Cost: pg_class is scanned once for the big tables, their indexes looked up by table to pick the
-- Top-N; pg_stats is read for those N columns only, each looked up on its own (fenced, as in
-- table-bloat.pg14.sql: never the whole view). 15 ms at 10,000 tables, 45 ms if all were big.
-- pg_stats shows a role only the columns it may SELECT (and no row of a table under row level
-- security): such a column is listed as not applicable (statistics 'hidden'), never guessed; one
-- without statistics (never analyzed) as 'missing'.
WITH big_tables AS MATERIALIZED (
  SELECT c.oid, n.nspname AS schemaname, c.relname, c.relrowsecurity, c.reltuples
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE c.relkind IN ('r', 'm')
     AND NOT c.relispartition
     AND c.reltuples >= $3
     AND n.nspname NOT IN ('pg_catalog', 'information_schema')
     AND n.nspname !~ '^pg_(toast|temp_)'
),
-- Their indexes, looked up by table (most tables are small: few lookups).
top_indexes AS (
  SELECT t.schemaname,
         t.oid AS relid,
         t.relname,
         t.relrowsecurity,
         ic.relname AS indexrelname,
         i.indkey[0] AS attnum,
         i.indcollation[0] AS collation,
         t.reltuples,
         ic.relpages::float8 * current_setting('block_size')::float8 AS size_bytes
    FROM big_tables t
    JOIN pg_index i ON i.indrelid = t.oid
    JOIN pg_class ic ON ic.oid = i.indexrelid
   WHERE ic.relam = (SELECT oid FROM pg_am WHERE amname = 'btree')
     AND i.indnatts = 1
     AND i.indkey[0] > 0
     AND i.indexprs IS NULL
     AND i.indpred IS NULL
     AND NOT i.indisunique
     AND NOT i.indisprimary
     AND i.indisvalid
     AND i.indisready
     AND i.indoption[0] = 0
     -- An array built once: as a join, the planner paired every operator class with every index.
     AND i.indclass[0] = ANY (ARRAY(SELECT o.oid FROM pg_opclass o WHERE o.opcdefault))
   ORDER BY ic.relpages DESC, t.schemaname, ic.relname
   LIMIT $1
),
-- The column of each, looked up by its number; one collated otherwise than the index is left out.
candidates AS (
  SELECT t.*, a.attname
    FROM top_indexes t
    JOIN pg_attribute a ON a.attrelid = t.relid AND a.attnum = t.attnum
   WHERE a.attcollation = t.collation
)
SELECT current_database() AS datname,
       c.schemaname,
       c.relname,
       c.indexrelname,
       c.attname AS column_name,
       c.reltuples::float8 AS reltuples,
       c.size_bytes,
       s.null_frac::float8 AS null_frac,
       CASE
         WHEN s.null_frac IS NOT NULL THEN 'visible'
         WHEN c.relrowsecurity OR NOT has_column_privilege(c.relid, c.attnum, 'SELECT') THEN 'hidden'
         ELSE 'missing'
       END AS statistics
  FROM candidates c
  -- LATERAL: pg_stats is looked up per candidate column (index scans), never built whole.
  LEFT JOIN LATERAL (
    SELECT s.null_frac
      FROM pg_stats s
     WHERE s.schemaname = c.schemaname AND s.tablename = c.relname AND s.inherited = false AND s.attname = c.attname
    OFFSET 0 -- a fence: keeps the lookup per column instead of a join with the whole view
  ) s ON true
 WHERE s.null_frac IS NULL OR s.null_frac >= $2
 ORDER BY c.size_bytes DESC, c.schemaname, c.indexrelname
