-- $1 [{"id": "<uuid>", "ms": <ms since epoch>, "target": ..., "kind": ..., "severity": ...,
--      "title": ..., "text": ..., "tags": [...], "data": {...}}, ...]
INSERT INTO events (id, ts, target, kind, severity, title, text, tags, data)
SELECT e.id, to_timestamp(e.ms / 1000), e.target, e.kind, e.severity, e.title, e.text,
       coalesce(e.tags, '{}'), coalesce(e.data, '{}')
FROM json_to_recordset($1::json) AS e(
  id uuid, ms float8, target text, kind text, severity text, title text, text text,
  tags text[], data jsonb)
ON CONFLICT DO NOTHING
