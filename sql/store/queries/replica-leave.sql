-- $1 instance leaves (a clean stop, its targets stopped): its targets are free at once, its
-- alerts gone with it.
WITH released AS (DELETE FROM target_owners WHERE owner = $1),
     alerts AS (DELETE FROM replica_alerts WHERE instance = $1)
DELETE FROM replicas WHERE instance = $1
