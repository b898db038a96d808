-- A gauge metric downsampled at read time from the samples (a step of whole minutes reads the
-- minute rollups: series-rollup.sql). Per stored series and bucket (date_bin of the step,
-- buckets aligned to the Unix epoch) the chosen aggregation; then summed per result, where a
-- result is one stored series or, with a group-by, the series of a target sharing those labels.
-- Points come back per result as two comma-separated lists, bucket start ms and value (times,
-- values): JSON array bodies that the API splices into its frames as they are (SeriesResult).
-- Per sample, only integers, times and doubles travel through the plan (a result is known by its
-- number n): grouping or sorting tens of thousands of rows by jsonb labels costs more than the read.
-- $1 .. $5 which series (pgg_series_selection, sql/store/004: metric, targets, label filters,
-- group-by labels, most results)
-- $6 from  $7 to (inclusive)  $8 step in ms  $9 aggregation: avg | max | min | sum | last
WITH picked AS (
  SELECT id, n, target, labels FROM pgg_series_selection($1, $2::text[], $3::jsonb, $4::text[], $5)
),
per_series AS (
  SELECT p.n,
         date_bin(make_interval(secs => $8::float8 / 1000), x.ts, timestamptz 'epoch') AS bucket,
         -- FILTER: only the chosen aggregate does any work. last: the greatest [time, value] pair
         -- is the newest sample's (no sort, unlike an ordered array_agg)
         coalesce(
           avg(x.value) FILTER (WHERE $9::text = 'avg'),
           max(x.value) FILTER (WHERE $9::text = 'max'),
           min(x.value) FILTER (WHERE $9::text = 'min'),
           sum(x.value) FILTER (WHERE $9::text = 'sum'),
           (max(ARRAY[extract(epoch FROM x.ts)::float8, x.value]) FILTER (WHERE $9::text = 'last'))[2])
           AS value
  FROM picked p
  JOIN samples x ON x.series_id = p.id
  WHERE x.ts >= $6::timestamptz AND x.ts <= $7::timestamptz
  GROUP BY p.n, p.id, bucket
),
per_result AS (
  SELECT n, bucket, sum(value) AS value
  FROM per_series
  GROUP BY n, bucket
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
