-- $1 instance leaves (a clean stop, its targets stopped): its targets are free at once.
WITH released AS (DELETE FROM target_owners WHERE owner = $1)
DELETE FROM replicas WHERE instance = $1
