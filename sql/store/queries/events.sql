-- Events in a range, newest first (the limit keeps the newest).
-- $1 from  $2 to (inclusive)  $3 targets (empty: all)  $4 kinds (empty: all)  $5 most events
SELECT id::text AS id, (extract(epoch FROM ts) * 1000)::float8 AS time, target, kind, severity,
       title, text, tags, data
FROM events
WHERE ts >= $1::timestamptz AND ts <= $2::timestamptz
  AND (cardinality($3::text[]) = 0 OR target = ANY ($3::text[]))
  AND (cardinality($4::text[]) = 0 OR kind = ANY ($4::text[]))
ORDER BY ts DESC, id
LIMIT $5
