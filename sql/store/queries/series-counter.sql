-- A counter metric as a per-second rate, downsampled at read time. Each sample's increase over
-- the previous one of its series (lag); a drop is a counter reset, so the new value is the
-- increase (it restarted from 0). Per series and bucket (date_bin of the step, aligned to the
-- Unix epoch): the increases divided by the seconds they span, so that a step shorter or longer
-- than the collection interval, or a gap, still gives the true rate. Then summed per result
-- (one stored series or, with a group-by, the series of a target sharing those labels).
-- Points come back as one JSON array per result: [[bucket start ms, value], ...].
-- $1 metric  $2 targets (empty: all)  $3 label filters {"label": ["allowed value", ...]}
-- $4 group-by labels (NULL: one result per series)  $5 most results
-- $6 from  $7 to (inclusive)  $8 step in ms
WITH chosen AS (
  SELECT s.id, s.target,
         CASE WHEN $4::text[] IS NULL THEN s.labels
              ELSE (SELECT coalesce(jsonb_object_agg(g.name, s.labels -> g.name), '{}')
                    FROM unnest($4::text[]) AS g(name)
                    WHERE s.labels ? g.name)
         END AS labels
  FROM series s
  WHERE s.metric = $1
    AND (cardinality($2::text[]) = 0 OR s.target = ANY ($2::text[]))
    -- every filtered label present with an allowed value
    AND NOT EXISTS (
      SELECT FROM jsonb_each($3::jsonb) AS f(name, allowed)
      WHERE NOT coalesce(f.allowed ? (s.labels ->> f.name), false))
),
results AS (
  SELECT DISTINCT target, labels FROM chosen ORDER BY target, labels LIMIT $5
),
picked AS (
  SELECT c.id, c.target, c.labels
  FROM chosen c JOIN results r ON r.target = c.target AND r.labels = c.labels
),
points AS (
  SELECT p.id, x.ts, x.value
  FROM picked p JOIN samples x ON x.series_id = p.id
  WHERE x.ts >= $6::timestamptz AND x.ts <= $7::timestamptz
  UNION ALL
  -- the last sample before the range (within a day), so that the first bucket has a rate too
  SELECT p.id, b.ts, b.value
  FROM picked p
  CROSS JOIN LATERAL (
    SELECT x.ts, x.value FROM samples x
    WHERE x.series_id = p.id
      AND x.ts < $6::timestamptz AND x.ts >= $6::timestamptz - interval '1 day'
    ORDER BY x.ts DESC
    LIMIT 1) b
),
increases AS (
  SELECT id, ts,
         CASE WHEN lag(value) OVER w IS NULL THEN NULL
              WHEN value >= lag(value) OVER w THEN value - lag(value) OVER w
              ELSE value
         END AS increase,
         extract(epoch FROM ts - lag(ts) OVER w)::float8 AS seconds
  FROM points
  WINDOW w AS (PARTITION BY id ORDER BY ts)
),
per_series AS (
  SELECT i.id,
         date_bin(make_interval(secs => $8::float8 / 1000), i.ts, timestamptz 'epoch') AS bucket,
         sum(i.increase) / sum(i.seconds) AS value
  FROM increases i
  WHERE i.seconds > 0
  GROUP BY i.id, bucket
),
per_result AS (
  SELECT p.target, p.labels, s.bucket, sum(s.value) AS value
  FROM per_series s JOIN picked p ON p.id = s.id
  GROUP BY p.target, p.labels, s.bucket
)
SELECT target, labels,
       json_agg(json_build_array((extract(epoch FROM bucket) * 1000)::bigint, value) ORDER BY bucket)
         AS points
FROM per_result
GROUP BY target, labels
ORDER BY target, labels
