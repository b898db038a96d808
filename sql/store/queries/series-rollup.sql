-- A metric downsampled at read time from the minute rollups (samples_1m): for a step that is a
-- whole number of minutes. Whole minutes of the range that are rolled up come from samples_1m;
-- the rest (a partial minute at either edge, the minutes not rolled up yet, those late samples
-- reached after they were rolled up) is aggregated from
-- samples into the same per-minute rows (a gauge's in one join, a counter's rates through
-- pgg_minute_partials); then per series and bucket (date_bin
-- of the step, aligned to the Unix epoch) the chosen aggregation, exactly what series-gauge.sql and
-- series-counter.sql compute from the samples alone; then summed per result (one stored series or,
-- with a group-by, the series of a target sharing those labels).
-- Points come back per result as two comma-separated lists, bucket start ms and value (times,
-- values): JSON array bodies that the API splices into its frames as they are (SeriesResult).
-- $1 .. $5 which series (pgg_series_selection, sql/store/004: metric, targets, label filters,
-- group-by labels, most results)
-- $6 from  $7 to (inclusive)  $8 step in ms (a multiple of 60,000)
-- $9 aggregation: avg | max | min | sum | last, or rate (a counter's per-second rate)
-- $10 series ids  $11, $12 from, to (ms, [from, to)): buckets the caller holds already
-- (store/closed-buckets), each whole and rolled up; not read again if the store is as the caller
-- saw it: $13 the rollups' redo generation it saw (sql/store/011; -1: none yet; NULL: no caller's
-- buckets, and results without points are left out). Each row says whether they were skipped
-- (cached), and what the caller needs to keep them: the generation, the spans redone since $13,
-- where the rolled-up whole minutes end and the stale spans in them (all in ms).
WITH picked AS (
  SELECT id, n, target, labels FROM pgg_series_selection($1, $2::text[], $3::jsonb, $4::text[], $5)
),
-- [whole_from, whole_to): the whole minutes of the range that are rolled up
whole AS (
  SELECT w.whole_from, greatest(w.whole_from, least(w.last_end, coalesce(st.done_until, w.whole_from)))
           AS whole_to,
         st.redo_generation AS generation
  FROM (SELECT date_bin(interval '1 minute', $6::timestamptz - interval '1 microsecond', timestamptz 'epoch')
                 + interval '1 minute' AS whole_from,
               date_bin(interval '1 minute', $7::timestamptz + interval '1 microsecond', timestamptz 'epoch')
                 AS last_end) AS w
  CROSS JOIN rollup_state st
),
-- Rolled-up minutes that late samples reached since (the job redoes them at its next run): read
-- from samples meanwhile (pgg_rollup_stale_spans, sql/store/006).
stale AS MATERIALIZED (
  SELECT s.from_ts, s.to_ts FROM whole w CROSS JOIN LATERAL pgg_rollup_stale_spans(w.whole_from, w.whole_to) s
),
-- The caller's buckets, skipped if the store is as the caller saw it: no redo since, each inside the
-- rolled-up whole minutes, none stale, and their first day's rollups not dropped (retention).
skips AS (
  SELECT k.id, to_timestamp(k.lo / 1000) AS lo, to_timestamp(k.hi / 1000) AS hi
  FROM unnest($10::integer[], $11::float8[], $12::float8[]) AS k(id, lo, hi)
),
valid AS (
  SELECT (w.generation = $13::bigint
         AND NOT EXISTS (SELECT FROM skips k WHERE k.lo < w.whole_from OR k.hi > w.whole_to OR k.lo >= k.hi)
         AND NOT EXISTS (SELECT FROM skips k JOIN stale s ON s.from_ts < k.hi AND s.to_ts > k.lo)
         AND (NOT EXISTS (SELECT FROM skips)
              OR (SELECT to_regclass('samples_1m_p' || to_char(min(k.lo) AT TIME ZONE 'UTC', 'YYYYMMDD'))
                  FROM skips k) IS NOT NULL))
         IS TRUE AS ok
  FROM whole w
),
applied AS (SELECT k.id, k.lo, k.hi FROM skips k CROSS JOIN valid v WHERE v.ok),
-- The rest of [from, to], read from samples: before whole_from, and from whole_to on.
edges AS (
  SELECT $6::timestamptz AS lo, least(whole_from, $7::timestamptz + interval '1 microsecond') AS hi
  FROM whole WHERE whole_from > $6::timestamptz
  UNION ALL
  SELECT whole_to, $7::timestamptz + interval '1 microsecond' FROM whole WHERE whole_to <= $7::timestamptz
  UNION ALL
  SELECT from_ts, to_ts FROM stale
),
minutes AS NOT MATERIALIZED (
  -- the rolled-up whole minutes before and after the skipped ones (all of them when none are)
  SELECT p.n AS result, p.id, r.minute, r.n, r.sum, r.min, r.max, r.last, r.increase, r.seconds
  FROM picked p CROSS JOIN whole w
  LEFT JOIN applied k ON k.id = p.id
  CROSS JOIN LATERAL (VALUES (w.whole_from, coalesce(k.lo, w.whole_to)), (coalesce(k.hi, w.whole_to), w.whole_to))
    AS g(lo, hi)
  CROSS JOIN LATERAL (
    SELECT r.minute, r.n, r.sum, r.min, r.max, r.last, r.increase, r.seconds FROM samples_1m r
    WHERE r.series_id = p.id AND r.minute >= g.lo AND r.minute < g.hi
      -- the same bounds, loosened, in terms of the parameters: the days outside are pruned at planning
      AND r.minute >= $6::timestamptz AND r.minute <= $7::timestamptz
    -- OFFSET 0: one index range scan a series and span (as the edges below)
    OFFSET 0) AS r
  WHERE g.lo < g.hi
    AND NOT EXISTS (SELECT FROM stale s WHERE r.minute >= s.from_ts AND r.minute < s.to_ts)
  UNION ALL
  -- A gauge's edges: the same per-minute rows from the samples in one join for every series (a
  -- call of pgg_minute_partials a series and edge cost ~0.1 ms: 40 ms for 200 targets' series).
  SELECT p.n, p.id, date_bin(interval '1 minute', x.ts, timestamptz 'epoch'),
         count(*)::integer, sum(x.value), min(x.value), max(x.value),
         (max(ARRAY[date_part('epoch', x.ts), x.value]))[2], NULL::float8, NULL::float8
  FROM picked p CROSS JOIN edges e
  CROSS JOIN LATERAL (
    SELECT x.ts, x.value FROM samples x
    WHERE x.series_id = p.id AND x.ts >= e.lo AND x.ts < e.hi
      -- the same bounds in terms of the parameters: the days outside are pruned at planning
      AND x.ts >= $6::timestamptz AND x.ts <= $7::timestamptz
    -- OFFSET 0: not pulled up, so each series and edge is one index range scan (joined, the
    -- planner read the whole range of every series and filtered: 430,000 samples for 8,000)
    OFFSET 0) AS x
  WHERE $9::text <> 'rate'
  GROUP BY p.n, p.id, 3
  UNION ALL
  -- A counter's rate needs each sample's increase over the one before (pgg_sample_increases).
  SELECT p.n, p.id, m.minute, m.n, m.sum, m.min, m.max, m.last, m.increase, m.seconds
  FROM picked p CROSS JOIN edges e
  CROSS JOIN LATERAL pgg_minute_partials(p.id, e.lo, e.hi) AS m
  WHERE $9::text = 'rate'
),
per_series AS NOT MATERIALIZED (
  -- A step of one minute: each minute is a bucket, one row a series and minute (rollups and edges
  -- are disjoint), so no grouping: what the aggregation makes of one row. The branch not taken is
  -- planned away ($8 being known): a third of a 200-series read went to sorting and grouping.
  SELECT m.result, m.id, m.minute AS bucket,
         CASE $9::text
           WHEN 'avg' THEN m.sum / m.n
           WHEN 'max' THEN m.max
           WHEN 'min' THEN m.min
           WHEN 'sum' THEN m.sum
           WHEN 'last' THEN m.last
           WHEN 'rate' THEN m.increase / m.seconds
         END AS value
  FROM minutes m
  WHERE $8::float8 = 60000
    -- a rate needs time between two samples in the minute (as below)
    AND ($9::text <> 'rate' OR m.seconds > 0)
  UNION ALL
  SELECT m.result, m.id,
         date_bin(make_interval(secs => $8::float8 / 1000), m.minute, timestamptz 'epoch') AS bucket,
         CASE $9::text
           WHEN 'avg' THEN sum(m.sum) / sum(m.n)
           WHEN 'max' THEN max(m.max)
           WHEN 'min' THEN min(m.min)
           WHEN 'sum' THEN sum(m.sum)
           -- FILTER: no array a row for the other aggregations
           WHEN 'last' THEN
             (max(ARRAY[date_part('epoch', m.minute), m.last]) FILTER (WHERE $9::text = 'last'))[2]
           WHEN 'rate' THEN sum(m.increase) / sum(m.seconds)
         END AS value
  FROM minutes m
  WHERE $8::float8 <> 60000
  GROUP BY m.result, m.id, bucket
  -- a rate needs time between two samples in the bucket (as series-counter.sql)
  HAVING $9::text <> 'rate' OR sum(m.seconds) > 0
),
-- Without a group-by a result is one series: the sum over a single value is skipped (the branch
-- not taken is planned away, $4 being known), a tenth of a 24 h read.
per_result AS (
  SELECT s.result AS n, s.bucket, s.value FROM per_series s WHERE $4::text[] IS NULL
  UNION ALL
  SELECT s.result, s.bucket, sum(s.value)
  FROM per_series s
  WHERE $4::text[] IS NOT NULL
  GROUP BY s.result, s.bucket
),
result_points AS (
  SELECT n,
         string_agg(pgg_json_ms(bucket), ',' ORDER BY bucket) AS times,
         string_agg(pgg_json_number(value), ',' ORDER BY bucket) AS "values"
  FROM per_result
  GROUP BY n
),
state AS (
  SELECT v.ok AS cached, w.generation,
         (extract(epoch FROM w.whole_to) * 1000)::float8 AS whole_to_ms,
         (SELECT json_agg(json_build_array((extract(epoch FROM s.from_ts) * 1000)::float8,
                                           (extract(epoch FROM s.to_ts) * 1000)::float8))
          FROM stale s) AS stale,
         CASE WHEN $13::bigint >= 0 AND w.generation <> $13::bigint THEN
           (SELECT json_agg(json_build_array(d.generation, (extract(epoch FROM d.from_ts) * 1000)::float8,
                                             (extract(epoch FROM d.to_ts) * 1000)::float8))
            FROM rollup_redone d WHERE d.generation > $13::bigint)
         END AS redone
  FROM whole w CROSS JOIN valid v
)
SELECT r.target, r.labels, rp.times, rp."values", r.id, s.cached, s.generation, s.whole_to_ms, s.stale, s.redone
FROM (SELECT n, target, labels, min(id) AS id FROM picked GROUP BY n, target, labels) AS r
LEFT JOIN result_points rp ON rp.n = r.n
CROSS JOIN state s
-- with a caller's buckets, every result (its points may all be skipped)
WHERE rp.n IS NOT NULL OR $13::bigint IS NOT NULL
ORDER BY r.n
