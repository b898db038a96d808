-- Replicas dead for an hour are forgotten, with the targets they still owned (free anyway).
WITH gone AS (
  DELETE FROM replicas WHERE expires_at < clock_timestamp() - interval '1 hour' RETURNING instance
)
DELETE FROM target_owners WHERE owner IN (SELECT instance FROM gone)
