-- Hourly loop, every server: the tables of the connected database with the oldest relfrozenxid,
-- i.e. the ones whose freezing holds back the database's datfrozenxid (the next anti-wraparound
-- vacuums), with their TOAST table's age folded in (TOAST is frozen separately and can be the
-- older one).
-- $1: most tables returned (Top-N by XID age).
-- Cost: one pass over pg_class with no lookup per table. Tables, materialized views and TOAST
-- tables are ranked each on its own by age (a bounded heap of 2 x $1 rows: no temp files whatever
-- the number of tables); a table's age is the older of its own and its TOAST table's, and each
-- table has at most two rows there, so the $1 oldest tables are among the owners of those 2 x $1
-- rows (a TOAST table is named pg_toast_<owner oid>, bootstrap catalogs' too). Only those owners
-- get their TOAST table looked up by oid for the exact ages, and names, sizes and the statistics
-- functions (last vacuum times) are read for the Top-N rows only. The XID ages of the Top-N are
-- those of the exact ranking, ordered by the older of table and TOAST. One nuance at the cut: of
-- several tables tied on XID age for the last places, the ones kept are picked by the multixact age
-- of the row ranked (table or TOAST), so a tied table whose older multixact age is on its other row
-- can be left out for another one of the same XID age. (A lookup of every table's TOAST row cost
-- twice as much at 10,000 tables; a plain join hashed every row of pg_class, more than work_mem
-- holds at 100,000.)
-- Temporary tables are included and flagged: autovacuum cannot process them, so a long-lived
-- session's temp table is a classic cause of wraparound that only its session can fix.
WITH ranked AS (
  SELECT c.oid, c.relkind, c.relname
    FROM pg_class c
   -- Only relations that hold XIDs: tables and materialized views, and their TOAST tables.
   WHERE c.relkind IN ('r', 'm', 't')
   ORDER BY age(c.relfrozenxid) DESC, mxid_age(c.relminmxid) DESC
   LIMIT 2 * $1
),
owners AS (
  SELECT DISTINCT CASE WHEN r.relkind <> 't' THEN r.oid
                       WHEN r.relname ~ '^pg_toast_[0-9]+$' THEN substring(r.relname FROM 10)::oid END AS oid
    FROM ranked r
),
aged AS (
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
    FROM owners o
    JOIN pg_class c ON c.oid = o.oid
    LEFT JOIN LATERAL (SELECT age(t.relfrozenxid) AS xid_age, mxid_age(t.relminmxid) AS mxid_age, t.relpages
                         FROM pg_class t
                        WHERE t.oid = c.reltoastrelid
                        LIMIT 1) t ON true
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
