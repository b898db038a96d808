-- Storage loop (PostgreSQL 14+): the Top-N indexes of the connected database by size.
-- $1: Top-N (indexes). $2: the oids of the Top-N indexes, as relation-index-ranking.pg14.sql ranked
-- them (every size_ranking.interval_s: which indexes are the largest changes slowly); an oid that is
-- no longer an index (dropped) is left out.
-- Cost: the $2 indexes looked up by oid (pg_class, pg_index), then pg_relation_size (a stat() per
-- segment) for them only, rather than for every index: no pass over pg_class. Trade-off as in
-- relations.pg14.sql: an index that grew since its table was last vacuumed ranks by its older size;
-- the size reported for a winner is exact.
-- Physical indexes only (relkind 'i'): an index on a partition is its own row, a partitioned index
-- (relkind 'I') has no storage. Temporary objects and system catalogs are left out.
--
-- Lock-free: pg_relation_size opens the index with ACCESS SHARE, which queues behind a session
-- holding or awaiting ACCESS EXCLUSIVE on it (DROP INDEX, REINDEX, VACUUM FULL of its table) until
-- lock_timeout fails the whole statement: one locked index cost every row. Such indexes (from
-- pg_locks, which takes no relation lock) are sized from relpages instead; only a lock taken while
-- this statement runs can still fail it, for that cycle.
WITH locked AS MATERIALIZED (
  SELECT DISTINCT l.relation AS oid
    FROM pg_locks l
   WHERE l.locktype = 'relation'
     AND l.mode = 'AccessExclusiveLock'
     AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
),
ranked AS (
  SELECT r.indexrelid, i.indrelid, r.relpages
    FROM (SELECT ic.oid AS indexrelid, ic.relpages
            FROM (SELECT DISTINCT k.oid FROM unnest($2::oid[]) k(oid)) k
            JOIN pg_class ic ON ic.oid = k.oid
            JOIN pg_namespace n ON n.oid = ic.relnamespace
           WHERE ic.relkind = 'i'
             AND n.nspname NOT IN ('pg_catalog', 'information_schema')
             AND n.nspname !~ '^pg_(toast|temp_)'
           ORDER BY ic.relpages DESC, ic.oid
           LIMIT $1) r
    JOIN pg_index i ON i.indexrelid = r.indexrelid
)
SELECT n.nspname AS schemaname,
       c.relname,
       ic.relname AS indexrelname,
       CASE WHEN r.indexrelid IN (SELECT oid FROM locked)
            THEN r.relpages::float8 * current_setting('block_size')::float8
            ELSE pg_relation_size(r.indexrelid)::float8 END AS size_bytes,
       pg_stat_get_numscans(r.indexrelid)::float8 AS idx_scan
  FROM ranked r
  JOIN pg_class ic ON ic.oid = r.indexrelid
  JOIN pg_class c ON c.oid = r.indrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
 ORDER BY size_bytes DESC NULLS LAST, indexrelname
