-- A loop cycle's connection (backend/src/scheduler/loop-runner.ts): every statement of the cycle
-- bounded by the loop's budget, capped by the target's statement_timeout_ms, for the session until
-- reset-statement-timeout.sql gives the connection back to the pool as it was.
-- $1: the timeout, e.g. '1000ms'.
SELECT set_config('statement_timeout', $1, false)
