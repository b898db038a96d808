-- Hourly loop, every server: the tables of the connected database with the oldest relfrozenxid,
-- i.e. the ones whose freezing holds back the database's datfrozenxid (the next anti-wraparound
-- vacuums), with their TOAST table's age folded in (TOAST is frozen separately and can be the
-- older one).
-- $1: most tables returned (Top-N by XID age).
-- Cost: one pass over the tables of pg_class, each with an index lookup of its TOAST table's row
-- (a LATERAL fenced by LIMIT 1: a plain join let the planner hash every row of pg_class, 40,000 at
-- 10,000 tables, more than work_mem holds at 100,000); the ranking uses pg_class alone, and names, sizes and the
-- statistics functions (last vacuum times) are looked up for the Top-N rows only.
-- Temporary tables are included and flagged: autovacuum cannot process them, so a long-lived
-- session's temp table is a classic cause of wraparound that only its session can fix.
WITH aged AS (
  SELECT c.oid,
         c.relnamespace,
         c.relname,
         c.relkind,
         c.relpersistence,
         c.relpages,
         t.relpages AS toast_pages,
         age(c.relfrozenxid)::float8 AS table_xid_age,
         t.xid_age::float8 AS toast_xid_age,
         greatest(age(c.relfrozenxid), coalesce(t.xid_age, 0))::float8 AS xid_age,
         greatest(mxid_age(c.relminmxid), coalesce(t.mxid_age, 0))::float8 AS mxid_age
    FROM pg_class c
    LEFT JOIN LATERAL (SELECT age(t.relfrozenxid) AS xid_age, mxid_age(t.relminmxid) AS mxid_age, t.relpages
                         FROM pg_class t
                        WHERE t.oid = c.reltoastrelid
                        LIMIT 1) t ON true
   -- Only relations that hold XIDs: tables and materialized views (TOAST via their owner).
   WHERE c.relkind IN ('r', 'm')
   ORDER BY xid_age DESC, mxid_age DESC
   LIMIT $1
)
SELECT n.nspname AS schemaname,
       a.relname,
       a.relkind::text AS relkind,
       a.relpersistence = 't' AS is_temporary,
       a.xid_age,
       a.table_xid_age,
       a.toast_xid_age,
       a.mxid_age,
       (a.relpages::float8 + coalesce(a.toast_pages, 0)) * current_setting('block_size')::float8 AS size_bytes,
       current_database() AS datname,
       current_setting('autovacuum_freeze_max_age')::float8 AS freeze_max_age,
       (extract(epoch FROM greatest(pg_stat_get_last_vacuum_time(a.oid), pg_stat_get_last_autovacuum_time(a.oid))) * 1000)::float8 AS last_vacuum_ms,
       (extract(epoch FROM pg_stat_get_last_autovacuum_time(a.oid)) * 1000)::float8 AS last_autovacuum_ms
  FROM aged a
  JOIN pg_namespace n ON n.oid = a.relnamespace
 ORDER BY a.xid_age DESC, a.mxid_age DESC, n.nspname, a.relname
