-- Replicas dead for an hour are forgotten, with the targets they still owned (free anyway) and
-- the alerts they last published.
WITH gone AS (
  DELETE FROM replicas WHERE expires_at < clock_timestamp() - interval '1 hour' RETURNING instance
), alerts AS (
  DELETE FROM replica_alerts WHERE instance IN (SELECT instance FROM gone)
)
DELETE FROM target_owners WHERE owner IN (SELECT instance FROM gone)
