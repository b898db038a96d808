-- Releases migration-lock.sql's lock. $1: the same key.
SELECT pg_advisory_unlock($1::bigint)
