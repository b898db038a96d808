-- PgBouncer admin console, hot loop: per database, cumulative transaction and query counts and
-- the averages of the last stats_period (query time and client wait time, in microseconds).
-- Cheap: one row per database, from memory. Sent without these header lines (see pools.sql).
SHOW STATS
