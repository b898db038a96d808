-- Workload loop, every server: vitals from the control file and the data directory, each readable
-- by pg_monitor: the time of the last checkpoint (on a standby, of the last restartpoint), the
-- system identifier (a different cluster behind the same address after a restore or a failover to
-- the wrong server), when the server started, its clock (against the backend's), and the WAL
-- directory's size and file count (pg_ls_waldir: a stat per file; pg_wal holds a few hundred files
-- normally, thousands when a slot or failing archiving holds WAL back).
-- One row; no table is read and no lock taken.
SELECT (extract(epoch FROM c.checkpoint_time) * 1000)::float8 AS checkpoint_ms,
       s.system_identifier::text AS system_identifier,
       (extract(epoch FROM pg_postmaster_start_time()) * 1000)::float8 AS started_ms,
       (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS server_now_ms,
       w.files::float8 AS wal_files,
       w.bytes::float8 AS wal_bytes
  FROM pg_control_checkpoint() c,
       pg_control_system() s,
       (SELECT count(*) AS files, coalesce(sum(size), 0) AS bytes FROM pg_ls_waldir()) w
