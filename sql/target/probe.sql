-- Liveness probe of a target connection (every reconnect.probe_interval_s), and the server's
-- role: pg_promote() turns a standby into a primary without closing its connections, so only
-- asking again tells (pg_is_in_recovery() reads shared memory: as cheap as SELECT 1).
SELECT pg_catalog.pg_is_in_recovery() AS in_recovery
