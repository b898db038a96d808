-- What an owner sees of its targets now (the overview's numbers), for every replica to answer with.
-- $1 owner (replica id)  $2 [{"target": ..., "status": {...}}, ...] as jsonb
INSERT INTO target_status (target, owner, updated_at, status)
SELECT s.target, $1, clock_timestamp(), s.status
  FROM jsonb_to_recordset($2::jsonb) AS s(target text, status jsonb)
ON CONFLICT (target) DO UPDATE
   SET owner = excluded.owner, updated_at = excluded.updated_at, status = excluded.status
