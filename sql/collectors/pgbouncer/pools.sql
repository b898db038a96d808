-- PgBouncer admin console (database pgbouncer), hot loop: one row per pool (database, user):
-- clients active and waiting, server connections by state, longest current wait.
-- Cheap: PgBouncer answers from memory, one row per pool. The console speaks the simple query
-- protocol only and rejects comments: the backend sends the command without these header lines.
SHOW POOLS
