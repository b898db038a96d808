-- PgBouncer admin console, hot loop: the running settings (key, value, ...), ~80 rows from
-- memory; the collector reads max_client_conn and default_pool_size, and compares every value
-- with the previous cycle's (settings drift, as check_postgres pgbouncer_checksum). Sent without
-- these header lines (see pools.sql).
SHOW CONFIG
