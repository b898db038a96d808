-- PgBouncer admin console, hot loop: one row per configured database: pool_size, reserve_pool,
-- max_db_connections (column max_connections), force_user — the inputs of the connection math.
-- Sent without these header lines (see pools.sql).
SHOW DATABASES
