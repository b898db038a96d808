-- Storage loop (PostgreSQL 14+): which indexes of the connected database are the Top-N by size:
-- their oids, which relation-indexes.pg14.sql then reports with exact sizes (it takes them as $2).
-- $1: Top-N (indexes).
--
-- Run every size_ranking.interval_s (and every cycle while the database holds fewer than $1
-- indexes, when any new one belongs in the Top-N), not every storage cycle, as
-- relation-ranking.pg14.sql: which indexes are the largest changes slowly. In between, the indexes
-- ranked last are reported with fresh sizes; one dropped meanwhile is left out, one that grew into
-- the Top-N shows at the next ranking.
--
-- Cost: ranked by pg_class.relpages (set by CREATE INDEX, VACUUM and ANALYZE) in one pass over
-- pg_class (ORDER BY ... LIMIT: a bounded heap of $1 rows, no temp files whatever the number of
-- indexes). An index that grew since its table was last vacuumed ranks by its older size.
-- Physical indexes only (relkind 'i'): an index on a partition is its own row, a partitioned index
-- (relkind 'I') has no storage. Temporary objects and system catalogs are left out. Catalogs only:
-- no size function, no relation lock.
SELECT ic.oid
  FROM pg_class ic
  JOIN pg_namespace n ON n.oid = ic.relnamespace
 WHERE ic.relkind = 'i'
   AND n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND n.nspname !~ '^pg_(toast|temp_)'
 ORDER BY ic.relpages DESC, ic.oid
 LIMIT $1
