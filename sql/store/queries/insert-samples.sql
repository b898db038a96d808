-- One batch of samples as three arrays of equal length: series id, ms since epoch, value.
-- A sample already stored (a batch retried after an ambiguous commit) is skipped.
INSERT INTO samples (series_id, ts, value)
SELECT u.series_id, to_timestamp(u.ms / 1000), u.value
FROM unnest($1::integer[], $2::float8[], $3::float8[]) AS u(series_id, ms, value)
ON CONFLICT DO NOTHING
