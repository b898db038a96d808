-- A counter metric as a per-second rate, downsampled at read time from the samples (a step of
-- whole minutes reads the minute rollups: series-rollup.sql). Each sample's increase over the
-- previous one of its series; a drop is a counter reset, so the new value is the increase (it
-- restarted from 0). Per series and bucket (date_bin of the step, aligned to the
-- Unix epoch): the increases divided by the seconds they span, so that a step shorter or longer
-- than the collection interval, or a gap, still gives the true rate. Then summed per result
-- (one stored series or, with a group-by, the series of a target sharing those labels).
-- Points come back per result as two comma-separated lists, bucket start ms and value (times,
-- values): JSON array bodies that the API splices into its frames as they are (SeriesResult).
-- Per sample, only integers, times and doubles travel through the plan (a result is known by its
-- number n): grouping or sorting tens of thousands of rows by jsonb labels costs more than the read.
-- $1 .. $5 which series (pgg_series_selection, sql/store/004: metric, targets, label filters,
-- group-by labels, most results)
-- $6 from  $7 to (inclusive)  $8 step in ms
WITH picked AS (
  SELECT id, n, target, labels FROM pgg_series_selection($1, $2::text[], $3::jsonb, $4::text[], $5)
),
-- Per series, its samples' increases (pgg_sample_increases, sql/store/004: one ordered scan of its
-- index, from the last sample before the range so that the first bucket has a rate too).
increases AS (
  SELECT p.id, i.ts, i.increase, i.seconds
  FROM picked p
  CROSS JOIN LATERAL
    pgg_sample_increases(p.id, $6::timestamptz, $7::timestamptz + interval '1 microsecond') AS i
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
  SELECT p.n, s.bucket, sum(s.value) AS value
  FROM per_series s JOIN picked p ON p.id = s.id
  GROUP BY p.n, s.bucket
),
result_points AS (
  SELECT n,
         string_agg(pgg_json_ms(bucket), ',' ORDER BY bucket) AS times,
         string_agg(pgg_json_number(value), ',' ORDER BY bucket) AS "values"
  FROM per_result
  GROUP BY n
)
SELECT r.target, r.labels, rp.times, rp."values"
FROM result_points rp JOIN (SELECT DISTINCT n, target, labels FROM picked) AS r ON r.n = rp.n
ORDER BY r.n
