-- Hourly loop, every server: schemas of the connected database in which PUBLIC (every role) may
-- CREATE. PostgreSQL 14 and before create schema public so: any role can then put a table,
-- function or operator there that shadows the one another role's query meant (CVE-2018-1058);
-- PostgreSQL 15+ no longer grants it. A schema whose ACL was never changed has the default one
-- (owner only), hence acldefault.
-- $1: most schemas returned; schema_count counts them all.
-- Catalog only (pg_namespace, one row per schema): nothing is read per table.
WITH open_schemas AS (
  SELECT n.nspname AS schemaname,
         pg_get_userbyid(n.nspowner) AS owner,
         coalesce(n.nspacl, acldefault('n', n.nspowner)) AS acl
    FROM pg_namespace n
   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
     AND n.nspname !~ '^pg_(toast|temp_)'
     AND EXISTS (
       SELECT 1
         FROM aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a
        WHERE a.grantee = 0 -- PUBLIC
          AND a.privilege_type = 'CREATE'
     )
)
SELECT current_database() AS datname,
       o.schemaname,
       o.owner,
       o.acl::text AS acl,
       count(*) OVER ()::int AS schema_count
  FROM open_schemas o
 ORDER BY o.schemaname
 LIMIT $1
