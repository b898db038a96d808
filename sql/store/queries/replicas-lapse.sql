-- Before taking targets of replicas whose lease ran out: marks them lapsed (their renewals fail
-- from now on, replica-renew.sql) and returns those that really are, in the same transaction as the
-- take (take-targets.sql). A replica that renewed meanwhile is not returned: the row lock makes the
-- one wait for the other, and the check runs again on the row as the other left it.
-- $1 the owners found dead (text[])
UPDATE replicas
   SET lapsed_at = coalesce(lapsed_at, clock_timestamp())
 WHERE instance = ANY($1::text[]) AND (lapsed_at IS NOT NULL OR expires_at <= clock_timestamp())
RETURNING instance
