-- The newest snapshot of a kind taken at or before a time.  $1 target  $2 kind  $3 at
SELECT (extract(epoch FROM ts) * 1000)::float8 AS time, rows
FROM snapshots
WHERE target = $1 AND kind = $2 AND ts <= $3::timestamptz
ORDER BY ts DESC
LIMIT 1
