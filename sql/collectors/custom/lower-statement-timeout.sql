-- Custom metrics (user SQL from the configuration): run inside the metric's own read-only
-- transaction, this lowers statement_timeout for that transaction only (is_local = true) to the
-- metric's share of the loop's budget, so one slow query cannot starve the others of the cycle.
-- least() never raises it past the session's timeout (the loop's, itself capped by the target's
-- statement_timeout_ms); pg_settings reports it in ms, and 0 (none) is ignored through nullif.
-- $1: the share, in ms (int).
SELECT set_config('statement_timeout', least(nullif(setting::int, 0), $1::int)::text, true) AS statement_timeout
  FROM pg_settings
 WHERE name = 'statement_timeout'
