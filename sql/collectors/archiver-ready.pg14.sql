-- Workload loop (PostgreSQL 14+): the archiving backlog, from pg_wal/archive_status: a finished WAL
-- segment (or timeline history file) waits for archive_command while its .ready file exists. The
-- oldest .ready file's age is how long the oldest unarchived segment has waited (its mtime is when
-- the segment was finished). Needs pg_ls_archive_statusdir() (pg_monitor); the archiver query asks
-- first. One row, no bind parameters; lists one small directory.
SELECT count(*)::float8 AS ready_files,
       extract(epoch FROM now() - min(modification))::float8 AS oldest_ready_age_seconds
  FROM pg_catalog.pg_ls_archive_statusdir()
 WHERE name LIKE '%.ready'
