-- Workload loop (PostgreSQL 14+): vacuum and analyze freshness of the tables of the CONNECTED
-- database only: table statistics (pg_stat_user_tables and the functions behind it) are per
-- database, so every row is labelled datname = current_database(); a target connected to one
-- database says nothing about the tables of the others.
-- Top-N in SQL: the $1 tables with the most work pending for autovacuum, the largest of dead
-- tuples, modifications since the last analyze and inserts since the last vacuum (the three
-- counts its thresholds are made of). Tables with nothing pending come last.
-- Cost: pg_stat_user_tables computes some 25 statistics functions per table plus an aggregate
-- over pg_index for every table of the database; here the ranking calls three per table and the
-- rest is computed for the $1 tables kept only. Same functions as the view on 14-18.
-- Ordinary and partitioned tables and materialized views, no system schemas, no temporary tables
-- (autovacuum cannot process them).
-- Timestamps as epoch ms with the server's clock (server_now_ms) to compute ages against.
-- $1: tables kept (top_n.relations).
WITH ranked AS (
  SELECT c.oid AS relid,
         n.nspname AS schemaname,
         c.relname,
         greatest(pg_stat_get_dead_tuples(c.oid),
                  pg_stat_get_mod_since_analyze(c.oid),
                  pg_stat_get_ins_since_vacuum(c.oid)) AS pending
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE c.relkind IN ('r', 'm', 'p')
     AND c.relpersistence <> 't'
     AND n.nspname NOT IN ('pg_catalog', 'information_schema')
     AND n.nspname !~ '^pg_toast'
   ORDER BY pending DESC, c.oid
   LIMIT $1
)
SELECT current_database() AS datname,
       r.schemaname,
       r.relname,
       pg_stat_get_live_tuples(r.relid)::float8 AS live_tuples,
       pg_stat_get_dead_tuples(r.relid)::float8 AS dead_tuples,
       pg_stat_get_mod_since_analyze(r.relid)::float8 AS mods_since_analyze,
       pg_stat_get_ins_since_vacuum(r.relid)::float8 AS inserts_since_vacuum,
       (extract(epoch FROM pg_stat_get_last_vacuum_time(r.relid)) * 1000)::float8 AS last_vacuum_ms,
       (extract(epoch FROM pg_stat_get_last_autovacuum_time(r.relid)) * 1000)::float8 AS last_autovacuum_ms,
       (extract(epoch FROM pg_stat_get_last_analyze_time(r.relid)) * 1000)::float8 AS last_analyze_ms,
       (extract(epoch FROM pg_stat_get_last_autoanalyze_time(r.relid)) * 1000)::float8 AS last_autoanalyze_ms,
       pg_stat_get_vacuum_count(r.relid)::float8 AS vacuum_count,
       pg_stat_get_autovacuum_count(r.relid)::float8 AS autovacuum_count,
       pg_stat_get_analyze_count(r.relid)::float8 AS analyze_count,
       pg_stat_get_autoanalyze_count(r.relid)::float8 AS autoanalyze_count,
       (extract(epoch FROM statement_timestamp()) * 1000)::float8 AS server_now_ms
  FROM ranked r
 ORDER BY r.pending DESC, r.relid
