-- $1 instance takes the targets $2 (text[]) from their owners marked lapsed in this transaction
-- ($3, text[], replicas-lapse.sql). A target another replica took first no longer matches.
UPDATE target_owners
   SET owner = $1, since = clock_timestamp()
 WHERE target = ANY($2::text[]) AND owner = ANY($3::text[])
RETURNING target
