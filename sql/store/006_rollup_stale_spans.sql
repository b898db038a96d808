-- The minutes whose rollups cannot be trusted yet: late batches (rollup_dirty, recorded by the
-- writer) landed in them after they were rolled up, and the job has not redone them. Until it does,
-- a read must take those minutes from the samples, or it misses what was written late (a backlog
-- flushed after an outage, a store opened after the job had passed a time its samples reach).
-- Each span is widened as the job's redo widens it (rollup.ts redoSpans: whole minutes, plus the
-- 15 minutes after whose rates the late samples change), cut to [lo, hi) and merged, so that no
-- minute is read twice.
CREATE OR REPLACE FUNCTION pgg_rollup_stale_spans(lo timestamptz, hi timestamptz)
RETURNS TABLE (from_ts timestamptz, to_ts timestamptz)
LANGUAGE sql STABLE
AS $$
  WITH spans AS (
    SELECT greatest(lo, date_bin(interval '1 minute', d.from_ts, timestamptz 'epoch')) AS s,
           least(hi, date_bin(interval '1 minute', d.to_ts, timestamptz 'epoch') + interval '16 minutes') AS e
    FROM rollup_dirty d
  ),
  starts AS (
    SELECT s, e,
           -- a span starts a new group unless an earlier one reaches it
           (s > max(e) OVER (ORDER BY s, e ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING))
             IS NOT FALSE AS first
    FROM spans WHERE s < e
  ),
  groups AS (SELECT s, e, count(*) FILTER (WHERE first) OVER (ORDER BY s, e) AS g FROM starts)
  SELECT min(s), max(e) FROM groups GROUP BY g
$$;
