-- Liveness probe of a target connection (every reconnect.probe_interval_s).
SELECT 1 AS ok
