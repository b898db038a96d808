-- What an owner's findings engine holds of its targets now, for every replica to answer with.
-- $1 owner (replica id)  $2 [{"target": ..., "findings": [...], "checks": [...]}, ...] as jsonb
INSERT INTO target_findings (target, owner, updated_at, findings, checks)
SELECT f.target, $1, clock_timestamp(), f.findings, f.checks
  FROM jsonb_to_recordset($2::jsonb) AS f(target text, findings jsonb, checks jsonb)
ON CONFLICT (target) DO UPDATE
   SET owner = excluded.owner, updated_at = excluded.updated_at,
       findings = excluded.findings, checks = excluded.checks
