-- The spans the job has just redone, under the next redo generation (sql/store/011), in the job's
-- transaction; and the records older than a day pruned (a reader further behind forgets its cache).
-- $1 span starts  $2 span ends (arrays of equal length, not empty)
WITH bumped AS (
  UPDATE rollup_state SET redo_generation = redo_generation + 1 RETURNING redo_generation
),
pruned AS (
  DELETE FROM rollup_redone WHERE redone_at < now() - interval '1 day'
)
INSERT INTO rollup_redone (generation, from_ts, to_ts)
SELECT b.redo_generation, s.from_ts, s.to_ts
FROM bumped b CROSS JOIN unnest($1::timestamptz[], $2::timestamptz[]) AS s(from_ts, to_ts)
