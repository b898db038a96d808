-- Workload loop, not on a standby, and only while the subscriptions query counted a table not
-- ready: the tables of the subscriptions that replicate into this database whose initial copy
-- waits (init), runs (data_copy, finished_copy) or has yet to meet the apply worker (sync_done).
-- A copy that fails (a conflicting row, a missing column) is retried for ever, and the table
-- stays here.
-- $1: most tables returned (Top-N, by subscription and name).
-- pg_subscription_rel is per database, readable by all; lookups of pg_class by oid.
SELECT s.subname AS subscription,
       n.nspname AS schemaname,
       c.relname,
       sr.srsubstate::text AS state,
       sr.srsublsn::text AS sync_lsn
  FROM pg_subscription_rel sr
  JOIN pg_subscription s ON s.oid = sr.srsubid
  JOIN pg_class c ON c.oid = sr.srrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE sr.srsubstate <> 'r'
 ORDER BY s.subname, n.nspname, c.relname
 LIMIT $1
