-- The findings of the targets other replicas own, as their live owners published them: a row whose
-- owner no longer owns the target, or whose replica's lease ran out, is no one's view (store clock).
-- $1 the asking replica (its own targets it answers from memory)
SELECT f.target, f.findings, f.checks
  FROM target_findings f
  JOIN target_owners o ON o.target = f.target AND o.owner = f.owner
  JOIN replicas r ON r.instance = f.owner AND r.expires_at > clock_timestamp()
 WHERE f.owner <> $1
 ORDER BY f.target
