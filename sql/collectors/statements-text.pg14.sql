-- Workload loop (PostgreSQL 14+): query texts of statements the backend has not seen yet (it keeps
-- the texts it has, so a known statement's text is read once, not every cycle).
-- $1: bigint[] of query ids; $2: longest text kept, in characters (redacted by the backend).
-- Cost: showtext = true reads the whole query-text file, so this runs only when new ids enter the
-- Top-N, with all of them in one call. One text per query id (they are the same normalised text).
-- The function materialises every entry with its full text before the filter applies: its argument
-- raises work_mem for this statement's transaction only (set_config is_local) to 2 kB plus
-- track_activity_query_size per pg_stat_statements.max entry, so that this stays in memory too
-- (unless texts are far longer than that). set_config(...) IS NOT NULL is true: showtext = true.
SELECT DISTINCT ON (queryid) queryid::text AS queryid, left(query, $2) AS query
  FROM pg_stat_statements(
         set_config('work_mem',
                    greatest(pg_size_bytes(current_setting('work_mem')) / 1024,
                             coalesce(current_setting('pg_stat_statements.max', true)::bigint, 5000)
                             * (2 + pg_size_bytes(current_setting('track_activity_query_size')) / 1024)) || 'kB',
                    true) IS NOT NULL)
 WHERE queryid = ANY ($1::bigint[])
 ORDER BY queryid
