-- Hourly loop, every server: tables of the connected database whose planner statistics are stale
-- (rows modified since the last ANALYZE above a share of reltuples) or missing (never analyzed
-- although the table has rows): the planner then misestimates and picks bad plans.
-- $1: most tables returned (Top-N by modifications since ANALYZE); stale_count counts them all.
-- $2: share of reltuples (e.g. 0.2) that n_mod_since_analyze must exceed.
-- $3: modifications below which a table is never stale (small tables re-plan cheaply).
-- Cheap with 10,000 tables: four statistics functions per table straight on pg_class, instead
-- of pg_stat_user_tables, which calls some twenty per table. User tables and materialized views
-- only (system catalogs excluded, as in pg_stat_user_tables).
WITH tables AS (
  SELECT n.nspname AS schemaname,
         c.relname,
         c.reltuples::float8 AS reltuples,
         pg_stat_get_mod_since_analyze(c.oid)::float8 AS n_mod_since_analyze,
         pg_stat_get_live_tuples(c.oid)::float8 AS n_live_tup,
         pg_stat_get_last_analyze_time(c.oid) AS last_analyze,
         pg_stat_get_last_autoanalyze_time(c.oid) AS last_autoanalyze
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE c.relkind IN ('r', 'm')
     AND n.nspname NOT IN ('pg_catalog', 'information_schema')
     AND n.nspname !~ '^pg_toast'
),
stale AS (
  SELECT t.*,
         t.last_analyze IS NULL AND t.last_autoanalyze IS NULL AS never_analyzed
    FROM tables t
   WHERE (t.last_analyze IS NULL AND t.last_autoanalyze IS NULL AND t.n_live_tup > 0)
      OR (t.n_mod_since_analyze > $3 AND t.n_mod_since_analyze > $2 * greatest(t.reltuples, 0))
)
SELECT current_database() AS datname,
       s.schemaname,
       s.relname,
       s.reltuples,
       s.n_live_tup,
       s.n_mod_since_analyze,
       s.never_analyzed,
       (extract(epoch FROM greatest(s.last_analyze, s.last_autoanalyze)) * 1000)::float8 AS last_analyzed_ms,
       count(*) OVER ()::int AS stale_count
  FROM stale s
 ORDER BY s.never_analyzed DESC, s.n_mod_since_analyze DESC, s.schemaname, s.relname
 LIMIT $1
