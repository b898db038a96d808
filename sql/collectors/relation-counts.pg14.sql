-- Storage loop (PostgreSQL 14+): how many relations of each kind the connected database holds, as
-- totals without per-object labels (a database with 100,000 partitions shows here, not in labels).
-- No bind parameters. One pass over pg_class, no function calls per relation.
-- Temporary objects count (they pile up in catalogs too); system catalogs and TOAST tables do not.
SELECT c.relkind::text AS relkind, count(*)::int AS relations
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
   AND n.nspname !~ '^pg_toast_temp_'
 GROUP BY c.relkind
 ORDER BY c.relkind
