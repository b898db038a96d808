-- Session lock held while migrating, so that backends starting together migrate one at a time.
-- Key: 'PGG_MIGR' as a bigint.
SELECT pg_advisory_lock(5784670721024804690)
