-- Ids of the series of a batch, creating the new ones. DO UPDATE (not DO NOTHING) so that every
-- requested series comes back from one statement, with its seen_at refreshed. Sorted so that two
-- writers upserting overlapping sets lock rows in the same order.
-- $1 [{"target": "...", "metric": "...", "labels": {...}}, ...] without duplicates
INSERT INTO series AS s (target, metric, labels)
SELECT k.target, k.metric, k.labels
FROM json_to_recordset($1::json) AS k(target text, metric text, labels jsonb)
ORDER BY k.target, k.metric, k.labels
ON CONFLICT (target, metric, labels) DO UPDATE SET seen_at = now()
RETURNING s.id, s.target, s.metric, s.labels
