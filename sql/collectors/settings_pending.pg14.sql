-- Hourly loop, only when some setting is pending a restart and the role may read
-- pg_file_settings: the values the configuration files hold for those settings (the last
-- applicable entry of each name wins, as when the server reads them).
-- No bind parameters. Parses the configuration files once: cheap, and rarely run.
SELECT DISTINCT ON (f.name) f.name, f.setting
  FROM pg_file_settings f
 WHERE f.error IS NULL
 ORDER BY f.name, f.seqno DESC
