-- Hourly loop, only when some setting is pending a restart and the role may read
-- pg_file_settings: the values the configuration files hold for those settings. The last entry
-- of a name wins, as when the server reads the files (postgresql.auto.conf comes last).
-- Entries are not filtered on `error`: a value waiting for a restart carries "setting could not
-- be applied" there, and an invalid one is worth seeing before the restart that would fail on it.
-- No bind parameters. Parses the configuration files once: cheap, and rarely run.
-- Names are case-insensitive in the files: compared in lower case.
SELECT DISTINCT ON (lower(f.name)) lower(f.name) AS name, f.setting
  FROM pg_file_settings f
 WHERE f.name IS NOT NULL
 ORDER BY lower(f.name), f.seqno DESC
