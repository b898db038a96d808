-- Hourly loop, every server: the tables of the connected database with the oldest relfrozenxid,
-- i.e. the ones whose freezing holds back the database's datfrozenxid (the next anti-wraparound
-- vacuums), with their TOAST table's age folded in (TOAST is frozen separately and can be the
-- older one).
-- $1: most tables returned (Top-N by XID age).
-- Cheap by construction: ages and sizes come from pg_class alone; the statistics functions
-- (last vacuum times) are called only for the Top-N rows, never for every table.
-- Temporary tables are included and flagged: autovacuum cannot process them, so a long-lived
-- session's temp table is a classic cause of wraparound that only its session can fix.
WITH aged AS (
  SELECT c.oid,
         n.nspname AS schemaname,
         c.relname,
         c.relkind,
         c.relpersistence = 't' AS is_temporary,
         age(c.relfrozenxid)::float8 AS table_xid_age,
         CASE WHEN t.oid IS NOT NULL THEN age(t.relfrozenxid)::float8 END AS toast_xid_age,
         greatest(age(c.relfrozenxid), coalesce(age(t.relfrozenxid), 0))::float8 AS xid_age,
         greatest(mxid_age(c.relminmxid), coalesce(mxid_age(t.relminmxid), 0))::float8 AS mxid_age,
         (c.relpages::float8 + coalesce(t.relpages, 0)) * current_setting('block_size')::float8 AS size_bytes
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_class t ON t.oid = c.reltoastrelid
   -- Only relations that hold XIDs: tables and materialized views (TOAST via their owner).
   WHERE c.relkind IN ('r', 'm')
   ORDER BY xid_age DESC, mxid_age DESC
   LIMIT $1
)
SELECT a.schemaname,
       a.relname,
       a.relkind::text AS relkind,
       a.is_temporary,
       a.xid_age,
       a.table_xid_age,
       a.toast_xid_age,
       a.mxid_age,
       a.size_bytes,
       current_database() AS datname,
       current_setting('autovacuum_freeze_max_age')::float8 AS freeze_max_age,
       (extract(epoch FROM greatest(pg_stat_get_last_vacuum_time(a.oid), pg_stat_get_last_autovacuum_time(a.oid))) * 1000)::float8 AS last_vacuum_ms,
       (extract(epoch FROM pg_stat_get_last_autovacuum_time(a.oid)) * 1000)::float8 AS last_autovacuum_ms
  FROM aged a
 ORDER BY a.xid_age DESC, a.mxid_age DESC, a.schemaname, a.relname
