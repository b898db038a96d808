-- Rolls up the minutes in [$1, $2) (whole minutes) of every series with samples there, replacing
-- what an earlier run stored for them (a redo after late samples gives the same rows plus theirs).
INSERT INTO samples_1m AS r (series_id, minute, n, sum, min, max, last, increase, seconds)
SELECT s.series_id, m.minute, m.n, m.sum, m.min, m.max, m.last, m.increase, m.seconds
FROM (SELECT DISTINCT x.series_id FROM samples x
      WHERE x.ts >= $1::timestamptz AND x.ts < $2::timestamptz) AS s
CROSS JOIN LATERAL pgg_minute_partials(s.series_id, $1::timestamptz, $2::timestamptz) AS m
ON CONFLICT (series_id, minute) DO UPDATE
  SET n = excluded.n, sum = excluded.sum, min = excluded.min, max = excluded.max,
      last = excluded.last, increase = excluded.increase, seconds = excluded.seconds
