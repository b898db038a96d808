-- Hourly loop, every server: views of the connected database built on other views, by nesting
-- depth (1: a view on tables only; 4: a view on a view on a view on a view). The planner expands
-- every level into one query: deep stacks plan slowly, hide joins nobody needs, and a change at the
-- bottom breaks or slows everything above it. pgwatch recommends against more than 3 levels.
-- $1: most views returned (deepest first); $2: depth beyond which a view counts as deeply nested
-- (deep_count counts those, whether returned or not).
-- Catalog only: the views (pg_rewrite, then pg_class by oid) and the rewrite rules' dependencies
-- (pg_depend, by its depender index), in time linear in the views' references whatever the number
-- of tables.
-- Materialized views end a chain (they are stored, not expanded).
WITH RECURSIVE views AS MATERIALIZED (
  -- Found from their rules: every view has exactly one, its ON SELECT rule "_RETURN" (materialized
  -- views too), so pg_rewrite, a row per view, matview or rule, gives them without a pass over
  -- every relation of pg_class; each looked up by oid (LIMIT 1: never a merge or hash join with
  -- all of pg_class).
  SELECT c.oid, n.nspname AS schemaname, c.relname
    FROM pg_rewrite r
   CROSS JOIN LATERAL (SELECT p.oid, p.relname, p.relnamespace
                         FROM pg_class p
                        WHERE p.oid = r.ev_class AND p.relkind = 'v'
                        LIMIT 1) c
    JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE r.rulename = '_RETURN'
     AND n.nspname NOT IN ('pg_catalog', 'information_schema')
     AND n.nspname !~ '^pg_(toast|temp_)'
),
-- view_oid is built on used_oid, another view (of a user schema: system views count as tables):
-- the rewrite rules' dependencies on relations, each end looked up by oid.
uses AS MATERIALIZED (
  SELECT DISTINCT r.ev_class AS view_oid, d.refobjid AS used_oid
    FROM pg_depend d
    JOIN pg_rewrite r ON r.oid = d.objid
    JOIN pg_class vc ON vc.oid = r.ev_class
    JOIN pg_class uc ON uc.oid = d.refobjid
    JOIN pg_namespace un ON un.oid = uc.relnamespace
   WHERE d.classid = 'pg_rewrite'::regclass
     AND d.refclassid = 'pg_class'::regclass
     AND d.deptype = 'n'
     AND d.refobjid <> r.ev_class
     AND vc.relkind = 'v'
     AND uc.relkind = 'v'
     AND un.nspname NOT IN ('pg_catalog', 'information_schema')
     AND un.nspname !~ '^pg_(toast|temp_)'
),
-- Every depth at which a view sits on some chain; UNION keeps each (view, depth) once, so the
-- work is bounded by views x depth however the chains branch; 100 levels stop a cycle.
chains (view_oid, depth) AS (
  SELECT oid, 1 FROM views
  UNION
  SELECT u.view_oid, c.depth + 1
    FROM chains c
    JOIN uses u ON u.used_oid = c.view_oid
   WHERE c.depth < 100
),
depths AS (
  SELECT view_oid, max(depth) AS depth FROM chains GROUP BY view_oid
)
SELECT current_database() AS datname,
       v.schemaname,
       v.relname AS view_name,
       d.depth,
       -- The view it sits on that continues the longest chain.
       (SELECT b.schemaname || '.' || b.relname
          FROM uses u
          JOIN depths bd ON bd.view_oid = u.used_oid
          JOIN views b ON b.oid = u.used_oid
         WHERE u.view_oid = d.view_oid
         ORDER BY bd.depth DESC, b.schemaname, b.relname
         LIMIT 1) AS built_on,
       (count(*) FILTER (WHERE d.depth > $2) OVER ())::int AS deep_count
  FROM depths d
  JOIN views v ON v.oid = d.view_oid
 WHERE d.depth >= 2
 ORDER BY d.depth DESC, v.schemaname, v.relname
 LIMIT $1
