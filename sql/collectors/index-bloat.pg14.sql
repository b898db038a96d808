-- Hourly loop, every server: estimated bloat of the largest b-tree indexes of the connected
-- database, without pgstattuple's pgstatindex (which reads every page). After the idea of the
-- well-known estimate of ioguix (https://github.com/ioguix/pgsql-bloat-estimation, btree): from the
-- column statistics (pg_stats avg_width and null_frac) compute the size of an index tuple (an
-- 8-byte header, a 4-byte null bitmap when a key column has nulls, the header MAXALIGNed, then the
-- key bytes, the whole MAXALIGNed) plus its 4-byte line pointer, how many fit in a page (block size
-- minus the 24-byte page header and the 16-byte b-tree special space) at the index's fillfactor
-- (90 by default), hence the leaf pages reltuples entries need plus the metapage, and compare with
-- relpages. An estimate, as fresh as the last VACUUM/ANALYZE: inner pages are not counted (a few
-- percent of a large index: a freshly built index shows a little), and deduplication (13+) stores
-- repeated keys once, so an index with many duplicates looks smaller than estimated: its bloat is
-- under-estimated, never over-estimated.
-- $1: how many indexes are estimated (the Top-N by relpages; bloat of small indexes does not matter).
-- Cost: pg_class is scanned once to pick the Top-N; pg_index, pg_attribute and pg_stats are read
-- for those N indexes only, each index column by index lookups: its pg_attribute row (of the
-- table, or of the index for an expression) and its pg_stats row, each behind a fence (plain joins
-- let the planner hash the whole pg_attribute, 300 ms and 86 MB of temp files at 10,000 tables,
-- or build the whole pg_stats view, as table-bloat.pg14.sql says); ~25 ms at 10,000 tables.
-- Indexes are marked not applicable (is_na) when a key column has no statistics (never analyzed,
-- or pg_stats hides it: it shows only columns the role may SELECT, so a pg_monitor-only role sees
-- estimates only for tables it has been granted; an expression's statistics belong to the index,
-- which only its owner may read), a key column is of type name (its avg_width misleads), or the
-- index's row count is unknown; the backend exports no estimate for them rather than a wrong one.
-- Invalid indexes are left out (the invalid_index finding reports them).
WITH candidates AS (
  SELECT c.oid AS indexrelid, n.nspname AS schemaname, c.relname AS indexrelname, c.reltuples,
         c.relpages, c.reloptions
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE c.relkind = 'i'
     AND c.relam = (SELECT oid FROM pg_am WHERE amname = 'btree')
     AND c.relpages > 0
     AND n.nspname NOT IN ('pg_catalog', 'information_schema')
     AND n.nspname !~ '^pg_toast'
   ORDER BY c.relpages DESC
   LIMIT $1
),
indexes AS (
  SELECT c.*, i.indrelid, i.indnatts, i.indkey, t.relname
    FROM candidates c
    JOIN pg_index i ON i.indexrelid = c.indexrelid
    JOIN pg_class t ON t.oid = i.indrelid
   WHERE i.indisvalid
),
-- One row per index column (key and INCLUDE columns: leaf tuples hold both), with its attribute:
-- the table's, or the index's own for an expression (indkey 0), whose statistics are the index's.
index_columns AS (
  SELECT x.*,
         a.attname,
         a.atttypid,
         CASE WHEN x.indkey[k.pos - 1] = 0 THEN x.indexrelname ELSE x.relname END AS stats_relname
    FROM indexes x
   CROSS JOIN LATERAL generate_series(1, x.indnatts) AS k(pos)
   CROSS JOIN LATERAL (
     SELECT a.attname, a.atttypid
       FROM pg_attribute a
      WHERE a.attrelid = CASE WHEN x.indkey[k.pos - 1] = 0 THEN x.indexrelid ELSE x.indrelid END
        AND a.attnum = CASE WHEN x.indkey[k.pos - 1] = 0 THEN k.pos ELSE x.indkey[k.pos - 1] END
     OFFSET 0 -- a fence: an index lookup per column, never a hash of the whole pg_attribute
   ) a
),
columns AS (
  SELECT x.indexrelid,
         x.schemaname,
         x.relname,
         x.indexrelname,
         x.reltuples,
         x.relpages,
         coalesce(substring(array_to_string(x.reloptions, ' ') FROM 'fillfactor=([0-9]+)')::smallint, 90) AS fillfactor,
         current_setting('block_size')::numeric AS block_size,
         -- MAXALIGN: 8 on 64-bit builds.
         CASE WHEN version() ~ 'mingw32|64-bit|x86_64|ppc64|ia64|amd64|aarch64' THEN 8 ELSE 4 END AS max_align,
         max(coalesce(s.null_frac, 0)) > 0 AS has_nulls,
         sum((1 - coalesce(s.null_frac, 0)) * coalesce(s.avg_width, 0)) AS key_bytes,
         bool_or(x.atttypid = 'pg_catalog.name'::regtype) OR count(*) <> count(s.attname) OR x.reltuples < 0 AS is_na
    FROM index_columns x
    -- LATERAL: pg_stats is looked up per index column (index scans), never built whole.
    LEFT JOIN LATERAL (
      SELECT s.attname, s.null_frac, s.avg_width
        FROM pg_stats s
       WHERE s.schemaname = x.schemaname AND s.tablename = x.stats_relname AND s.inherited = false AND s.attname = x.attname
      OFFSET 0 -- a fence: keeps the lookup per column instead of a join with the whole view
    ) s ON true
   GROUP BY x.indexrelid, x.schemaname, x.relname, x.indexrelname, x.reltuples, x.relpages, x.reloptions
),
tuple_sizes AS (
  SELECT *,
         -- Line pointer + the tuple: header (with the null bitmap) aligned, then the keys, aligned.
         4 + max_align * ceil((max_align * ceil((8 + CASE WHEN has_nulls THEN 4 ELSE 0 END) / max_align::numeric) + key_bytes) / max_align) AS item_bytes
    FROM columns
),
estimates AS (
  SELECT *,
         -- The metapage, then the leaf pages at the fillfactor.
         1 + ceil(greatest(reltuples, 0) / greatest(floor((block_size - 24 - 16) * fillfactor / 100 / item_bytes), 1)) AS expected_pages
    FROM tuple_sizes
)
SELECT current_database() AS datname,
       schemaname,
       relname,
       indexrelname,
       (relpages * block_size)::float8 AS index_bytes,
       (expected_pages * block_size)::float8 AS expected_bytes,
       (greatest(relpages - expected_pages, 0) * block_size)::float8 AS bloat_bytes,
       (greatest(relpages - expected_pages, 0) / relpages)::float8 AS bloat_ratio,
       greatest(reltuples, 0)::float8 AS reltuples,
       fillfactor::int AS fillfactor,
       is_na
  FROM estimates
 ORDER BY is_na, bloat_bytes DESC, schemaname, indexrelname
