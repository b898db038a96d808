-- Hot loop (PostgreSQL 14+): temporary file counters of every database, for a pulse of temp spill
-- every few seconds (work_mem too small, runaway sorts and hashes) between the minute-long
-- workload cycles of database_stats.
-- Cost: three statistics function calls per database instead of the whole pg_stat_database view
-- (some 25 calls per database). No bind parameters.
-- One row per database (templates included: their counters are just zero) so that the backend
-- can tell a reset of one database (stats_reset changed, counters went back) from the others.
SELECT d.oid AS datid,
       pg_stat_get_db_temp_files(d.oid)::float8 AS temp_files,
       pg_stat_get_db_temp_bytes(d.oid)::float8 AS temp_bytes,
       (extract(epoch FROM pg_stat_get_db_stat_reset_time(d.oid)) * 1000)::float8 AS stats_reset_ms
  FROM pg_database d
