-- Storage loop, every server: schema objects of the connected database that cost without showing.
--   invalid_index     left behind by a failed CREATE INDEX CONCURRENTLY (or REINDEX CONCURRENTLY):
--                     maintained on every write, never used by a query
--   duplicate_index   same table, access method, key columns, operator classes, collations,
--                     expressions and predicate as another valid index: one of them is enough
--                     (other_name: the one to keep, a primary key or unique one first)
--   disabled_trigger  ALTER TABLE ... DISABLE TRIGGER: internal ones enforce foreign keys, which
--                     then go unchecked
-- $1: most rows returned per problem.
-- Catalog only (pg_index, pg_class, pg_trigger, pg_constraint): no table or index is read, sizes
-- come from relpages (as of the last VACUUM/ANALYZE/CREATE INDEX). Expressions and predicates are
-- compared as stored node trees (their source positions stripped), which takes no lock.
-- pg_get_indexdef takes ACCESS SHARE on the index and its table, which would queue behind a
-- session holding or awaiting ACCESS EXCLUSIVE: relations so locked (pg_locks takes no relation
-- lock) get no definition instead.
-- Memory: nothing spills to temp files at the default work_mem, whatever the number of indexes
-- (a window over every index sorted them all: 106 MB of temp files a cycle at 100,000 tables).
-- Duplicates are found per table: an index-only lookup tells whether it has two indexes or more
-- (most tables have one, and are done with there), then each of those tables' indexes is paired by
-- an index lookup of its table's indexes, and only the few that have a twin are ranked; invalid
-- indexes are a filter on pg_index; nothing holds every index. (Pairing every row of pg_index
-- looked up the table's indexes once per index, TOAST tables' included: twice the lookups.)
WITH locked AS MATERIALIZED (
  SELECT DISTINCT l.relation AS oid
    FROM pg_locks l
   WHERE l.locktype = 'relation'
     AND l.mode = 'AccessExclusiveLock'
     AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
),
-- Indexes of the connected database's own tables (not materialized: read per use, on demand).
indexes AS NOT MATERIALIZED (
  SELECT i.indexrelid,
         i.indrelid,
         i.indisvalid,
         i.indisprimary OR i.indisunique AS is_unique,
         i.indexrelid IN (SELECT k.conindid FROM pg_constraint k) AS backs_constraint,
         ic.relname AS indexrelname,
         ic.relispartition,
         ic.relam,
         i.indkey::text AS keys,
         i.indclass::text AS opclasses,
         i.indcollation::text AS collations,
         regexp_replace(coalesce(i.indexprs::text, ''), ':location -?[0-9]+', '', 'g') AS expressions,
         regexp_replace(coalesce(i.indpred::text, ''), ':location -?[0-9]+', '', 'g') AS predicate,
         ic.relpages::float8 * current_setting('block_size')::float8 AS size_bytes,
         n.nspname AS schemaname,
         c.relname
    FROM pg_index i
    JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_class c ON c.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
     AND n.nspname !~ '^pg_(toast|temp_)'
),
invalid AS (
  SELECT 'invalid_index'::text AS problem, x.*, NULL::text AS other_name
    FROM indexes x
   WHERE NOT x.indisvalid
   ORDER BY x.size_bytes DESC, x.indexrelname
   LIMIT $1
),
-- Valid indexes with another valid index on the same table with the same key columns, operator
-- classes, collations, expressions and predicate: from pg_index alone, by index lookups per table
-- of the tables that can hold an index (tables, materialized views, partitioned tables) in the
-- schemas reported, as `indexes` has them. A table with fewer than two indexes has no twin: an
-- index-only count (stopped at 2) settles it before its indexes are read (OFFSET 0 keeps that
-- order: a plain join let the planner hash every table). Materialized: what follows reads these few
-- rows, not every index again.
paired AS MATERIALIZED (
  SELECT i.indexrelid
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
   CROSS JOIN LATERAL (
     SELECT i.indexrelid, i.indrelid, i.indkey, i.indclass, i.indcollation, i.indexprs, i.indpred
       FROM pg_index i
      WHERE i.indrelid = c.oid
        AND i.indisvalid
        AND (SELECT count(*) FROM (SELECT FROM pg_index k WHERE k.indrelid = c.oid LIMIT 2) k) = 2
     OFFSET 0
   ) i
   CROSS JOIN LATERAL (
     SELECT count(*) AS alike
       FROM pg_index j
      WHERE j.indrelid = i.indrelid
        AND j.indexrelid <> i.indexrelid
        AND j.indisvalid
        AND j.indkey::text = i.indkey::text
        AND j.indclass::text = i.indclass::text
        AND j.indcollation::text = i.indcollation::text
        AND regexp_replace(coalesce(j.indexprs::text, ''), ':location -?[0-9]+', '', 'g')
          = regexp_replace(coalesce(i.indexprs::text, ''), ':location -?[0-9]+', '', 'g')
        AND regexp_replace(coalesce(j.indpred::text, ''), ':location -?[0-9]+', '', 'g')
          = regexp_replace(coalesce(i.indpred::text, ''), ':location -?[0-9]+', '', 'g')
   ) same
   WHERE c.relkind IN ('r', 'm', 'p')
     AND c.relhasindex -- false: no index (set by CREATE INDEX, cleared by VACUUM once none is left)
     AND n.nspname NOT IN ('pg_catalog', 'information_schema')
     AND n.nspname !~ '^pg_(toast|temp_)'
     AND same.alike > 0
),
-- Each of them with the one of its kind to keep: a constraint's first, then a unique one, then by
-- name. Partition indexes are reported once, at their partitioned index.
ranked AS (
  SELECT x.*,
         (SELECT y.indexrelname
            FROM indexes y
           WHERE y.indrelid = x.indrelid
             AND y.indisvalid
             AND NOT y.relispartition
             AND y.relam = x.relam
             AND y.keys = x.keys
             AND y.opclasses = x.opclasses
             AND y.collations = x.collations
             AND y.expressions = x.expressions
             AND y.predicate = x.predicate
           ORDER BY y.backs_constraint DESC, y.is_unique DESC, y.indexrelname
           LIMIT 1) AS kept
    FROM paired p
   -- LIMIT 1 (it is one row): looked up by its oid, never joined to every index
   CROSS JOIN LATERAL (SELECT * FROM indexes x WHERE x.indexrelid = p.indexrelid LIMIT 1) x
   WHERE NOT x.relispartition
),
duplicate AS (
  SELECT 'duplicate_index'::text AS problem,
         r.indexrelid, r.indrelid, r.indisvalid, r.is_unique, r.backs_constraint, r.indexrelname,
         r.relispartition, r.relam, r.keys, r.opclasses, r.collations, r.expressions, r.predicate,
         r.size_bytes, r.schemaname, r.relname, r.kept AS other_name
    FROM ranked r
   WHERE r.kept <> r.indexrelname
   ORDER BY r.size_bytes DESC, r.indexrelname
   LIMIT $1
),
disabled AS (
  SELECT 'disabled_trigger'::text AS problem,
         n.nspname AS schemaname,
         c.relname,
         t.tgname AS object_name,
         t.tgisinternal AS is_internal,
         k.conname AS constraint_name
    FROM pg_trigger t
    JOIN pg_class c ON c.oid = t.tgrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_constraint k ON k.oid = t.tgconstraint
   WHERE t.tgenabled = 'D'
     AND n.nspname NOT IN ('pg_catalog', 'information_schema')
     AND n.nspname !~ '^pg_(toast|temp_)'
   ORDER BY n.nspname, c.relname, t.tgname
   LIMIT $1
),
index_problems AS (
  SELECT * FROM invalid
  UNION ALL
  SELECT * FROM duplicate
)
SELECT p.problem,
       current_database() AS datname,
       p.schemaname,
       p.relname,
       p.indexrelname AS object_name,
       p.other_name,
       p.is_unique,
       p.backs_constraint,
       NULL::boolean AS is_internal,
       NULL::text AS constraint_name,
       p.size_bytes,
       CASE WHEN p.indexrelid NOT IN (SELECT oid FROM locked) AND p.indrelid NOT IN (SELECT oid FROM locked)
            THEN pg_get_indexdef(p.indexrelid) END AS definition
  FROM index_problems p
UNION ALL
SELECT d.problem,
       current_database(),
       d.schemaname,
       d.relname,
       d.object_name,
       NULL,
       NULL,
       d.constraint_name IS NOT NULL,
       d.is_internal,
       d.constraint_name,
       NULL,
       NULL
  FROM disabled d
