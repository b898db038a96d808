-- Taken at the start of every ownership transaction (heartbeat and claims, releases, leaving), so
-- that replicas change ownership one at a time and each decides on what the others committed.
-- $1: OWNERSHIP_LOCK_KEY in backend/src/store/target-ownership.ts ('PGG_OWNR' as a bigint).
SELECT pg_advisory_xact_lock($1::bigint)
