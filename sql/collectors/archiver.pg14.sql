-- Workload loop (PostgreSQL 14+): WAL archiving health from pg_stat_archiver, with whether this
-- server archives at all (archive_mode 'always', or 'on' outside recovery: a standby with 'on'
-- leaves archiving to its primary) and whether the role may list pg_wal/archive_status
-- (pg_ls_archive_statusdir(), pg_monitor since 12; asked first, so that a role without it gets
-- an unknown backlog rather than an error).
-- Ages in seconds by the server's clock (no clock skew with the backend); NULL when nothing was
-- ever archived (or failed) since the statistics reset. Counters as float8 for the driver.
-- One row, no bind parameters; cheap.
SELECT archived_count::float8 AS archived_count,
       failed_count::float8 AS failed_count,
       extract(epoch FROM now() - last_archived_time)::float8 AS last_archived_age_seconds,
       extract(epoch FROM now() - last_failed_time)::float8 AS last_failed_age_seconds,
       current_setting('archive_mode') AS archive_mode,
       pg_is_in_recovery() AS in_recovery,
       has_function_privilege('pg_catalog.pg_ls_archive_statusdir()', 'EXECUTE') AS can_list_archive_status
  FROM pg_stat_archiver
