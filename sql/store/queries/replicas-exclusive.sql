-- The embedded store belongs to one process: whatever another instance left there is from a
-- previous run of this one, dead. $1 instance (kept).
WITH owners AS (DELETE FROM target_owners WHERE owner <> $1),
     alerts AS (DELETE FROM replica_alerts WHERE instance <> $1)
DELETE FROM replicas WHERE instance <> $1
