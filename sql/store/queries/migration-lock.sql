-- Session lock held while migrating, so that backends starting together migrate one at a time.
-- $1: the key, MIGRATION_LOCK_KEY in backend/src/store/migrate.ts (also the unlock's).
SELECT pg_advisory_lock($1::bigint)
