-- Hourly loop, every server: SECURITY DEFINER functions and procedures of the connected database
-- that do not set search_path (proconfig has no search_path=...). They run with their owner's
-- rights but resolve unqualified names through the caller's search_path (and pg_temp first for
-- tables): a caller who may create objects in a schema on it can make the function run its code
-- as the owner. The PostgreSQL manual's advice: SET search_path to trusted schemas, pg_temp last.
-- $1: most functions returned (superuser-owned first); function_count counts them all.
-- Catalog only: pg_proc filtered on prosecdef, then a few lookups per function found.
WITH unsafe AS (
  SELECT p.oid,
         n.nspname AS schemaname,
         p.proname,
         p.prokind,
         p.proowner,
         p.prolang
    FROM pg_proc p
    JOIN pg_namespace n ON n.oid = p.pronamespace
   WHERE p.prosecdef
     AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c LIKE 'search\_path=%')
     AND n.nspname NOT IN ('pg_catalog', 'information_schema')
)
SELECT current_database() AS datname,
       u.schemaname,
       u.proname AS function_name,
       pg_get_function_identity_arguments(u.oid) AS arguments,
       CASE u.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END AS kind,
       pg_get_userbyid(u.proowner) AS owner,
       coalesce(r.rolsuper, false) AS owner_is_superuser,
       l.lanname AS language,
       (SELECT e.extname
          FROM pg_depend d
          JOIN pg_extension e ON e.oid = d.refobjid
         WHERE d.classid = 'pg_proc'::regclass
           AND d.objid = u.oid
           AND d.refclassid = 'pg_extension'::regclass
           AND d.deptype = 'e'
         LIMIT 1) AS extension,
       count(*) OVER ()::int AS function_count
  FROM unsafe u
  LEFT JOIN pg_roles r ON r.oid = u.proowner
  LEFT JOIN pg_language l ON l.oid = u.prolang
 ORDER BY owner_is_superuser DESC, u.schemaname, u.proname, arguments
 LIMIT $1
