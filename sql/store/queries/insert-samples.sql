-- One batch of samples as three arrays of equal length: series id, ms since epoch, value.
-- A sample already stored (a batch retried after an ambiguous commit) is skipped.
-- A batch reaching more than a minute back (a backlog flushed after an outage) may land in minutes
-- the rollup job has done (it stays three minutes behind: rollup-state.sql): its span is recorded
-- for the job to redo.
WITH late AS (
  INSERT INTO rollup_dirty (from_ts, to_ts)
  SELECT to_timestamp(min(u.ms) / 1000), to_timestamp(max(u.ms) / 1000)
  FROM unnest($2::float8[]) AS u(ms)
  HAVING min(u.ms) < extract(epoch FROM now() - interval '1 minute') * 1000
)
INSERT INTO samples (series_id, ts, value)
SELECT u.series_id, to_timestamp(u.ms / 1000), u.value
FROM unnest($1::integer[], $2::float8[], $3::float8[]) AS u(series_id, ms, value)
ON CONFLICT DO NOTHING
