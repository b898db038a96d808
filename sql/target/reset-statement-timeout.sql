-- End of a loop cycle: the connection goes back to the pool with the target's statement_timeout
-- (set at connection start), not the loop's (loop-statement-timeout.sql).
RESET statement_timeout
