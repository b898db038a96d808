-- What PG Governor needs to know about a target before it starts collecting: version, role,
-- connection budget and what the role may see and signal. Settings read with missing_ok return
-- NULL on versions that lack them (reserved_connections is new in PostgreSQL 16).
SELECT current_setting('server_version_num')::int AS version_num,
       split_part(current_setting('server_version'), ' ', 1) AS version,
       pg_catalog.pg_is_in_recovery() AS in_recovery,
       current_user::text AS role_name,
       current_database()::text AS database,
       current_setting('max_connections')::int AS max_connections,
       current_setting('superuser_reserved_connections')::int AS superuser_reserved_connections,
       coalesce(nullif(current_setting('reserved_connections', true), ''), '0')::int AS reserved_connections,
       r.rolsuper AS is_superuser,
       -- USAGE: the privileges a session has without SET ROLE, which is how the server checks them.
       r.rolsuper OR pg_catalog.pg_has_role('pg_signal_backend', 'USAGE') AS can_signal_backends,
       -- pg_monitor includes pg_read_all_stats.
       r.rolsuper OR pg_catalog.pg_has_role('pg_read_all_stats', 'USAGE') AS can_read_all_stats
  FROM pg_catalog.pg_roles r
 WHERE r.rolname = current_user
