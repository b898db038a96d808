-- Hourly loop, every server: every setting with its value and where it comes from, for the
-- settings table and for drift detection (the backend compares with the previous cycle).
-- No bind parameters. About 350 rows from one function call: cheap.
-- pending_restart: changed in the configuration files, but takes effect only after a restart.
-- can_read_file_settings: whether this role may read pg_file_settings (superusers only by
-- default), where the values waiting for a restart can be read; see settings_pending.
SELECT s.name,
       s.setting,
       s.unit,
       s.vartype,
       s.context,
       s.source,
       s.pending_restart,
       has_table_privilege('pg_catalog.pg_file_settings', 'SELECT') AS can_read_file_settings
  FROM pg_settings s
 ORDER BY s.name
