-- $1 [{"target": "...", "kind": "...", "ms": <ms since epoch>, "rows": [...]}, ...]
INSERT INTO snapshots (target, kind, ts, rows)
SELECT s.target, s.kind, to_timestamp(s.ms / 1000), s.rows
FROM json_to_recordset($1::json) AS s(target text, kind text, ms float8, rows jsonb)
ON CONFLICT DO NOTHING
