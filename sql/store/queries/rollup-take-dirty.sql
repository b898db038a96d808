-- The spans of late batches that reach before the rolled-up point, removed as they are taken (in
-- the job's transaction: if it fails they are back). Spans entirely after it need no redo.
DELETE FROM rollup_dirty
WHERE from_ts < (SELECT done_until FROM rollup_state)
RETURNING from_ts, to_ts
