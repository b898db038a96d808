-- Minute rollups of the samples. A 24 h panel reads a day of each series; at 15 s that is 5,760
-- samples a series, and aggregating them at read time cost ~40 ms for 10 series. Panels whose step
-- is a whole number of minutes (every Grafana interval from 1m up) read one row a series-minute
-- instead: the partial aggregates of every aggregation the API offers, for gauges (count, sum,
-- min, max, last) and for counters served as rates (the increases ending in the minute and the
-- seconds they span). Maintained by the backend's rollup job a few minutes behind real time (up to
-- rollup_state.done_until); the reader takes whole minutes before done_until from here and the rest
-- (the newest minutes, partial minutes at the range's edges) from samples.

-- The samples of one series in [lo, hi) with the increase each makes over the one before it (the
-- last one before lo too, within a day): a drop is a counter reset, so the new value is the
-- increase. The single definition of a counter's increase, used by the rate reads and the rollups.
CREATE FUNCTION pgg_sample_increases(series integer, lo timestamptz, hi timestamptz)
RETURNS TABLE (ts timestamptz, value double precision, increase double precision, seconds double precision)
LANGUAGE sql STABLE
AS $$
  SELECT d.ts, d.value,
         CASE WHEN d.value >= d.prev_value THEN d.value - d.prev_value ELSE d.value END,
         extract(epoch FROM d.ts - d.prev_ts)::float8
  FROM (
    SELECT x.ts, x.value, lag(x.value) OVER w AS prev_value, lag(x.ts) OVER w AS prev_ts
    FROM samples x
    WHERE x.series_id = series
      AND x.ts >= coalesce(
            (SELECT max(b.ts) FROM samples b
             WHERE b.series_id = series AND b.ts < lo AND b.ts >= lo - interval '1 day'),
            lo)
      AND x.ts < hi
    WINDOW w AS (ORDER BY x.ts)) d
  WHERE d.ts >= lo
$$;

-- One series' minutes in [lo, hi) as rollup rows (the same whether stored or computed at read time).
-- increase/seconds: only samples with a previous one and time between them, as the rate reads.
-- PL/pgSQL on purpose: an SQL function would be inlined into every read and planned there over all
-- the samples partitions (~3 ms at 30 days); this one's plan is cached per session.
-- Always that generic plan (partitions pruned when it runs): left to choose, a session weighs it
-- against the cost of its custom plans so far, so one that rolled up hours of samples kept
-- planning every call and read a panel ~50% slower than a fresh one.
CREATE FUNCTION pgg_minute_partials(series integer, lo timestamptz, hi timestamptz)
RETURNS TABLE (minute timestamptz, n integer, sum double precision, min double precision,
               max double precision, last double precision, increase double precision,
               seconds double precision)
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
  RETURN QUERY
  SELECT date_bin(interval '1 minute', i.ts, timestamptz 'epoch'),
         count(*)::integer, sum(i.value), min(i.value), max(i.value),
         -- the newest sample's value: the greatest [time, value] pair (no sort)
         (max(ARRAY[date_part('epoch', i.ts), i.value]))[2],
         sum(i.increase) FILTER (WHERE i.seconds > 0),
         sum(i.seconds) FILTER (WHERE i.seconds > 0)
  FROM pgg_sample_increases(series, lo, hi) i
  GROUP BY 1;
END
$$;

-- The series a read takes, numbered by result (n: 1, 2, ... in target and labels order): one
-- stored series a result or, with a group-by, the series of a target sharing those labels (then
-- labels are only the group-by ones). At most max_results results. Used by every series read
-- (series-*.sql), so that they choose alike.
-- $1 metric  $2 targets (empty: all)  $3 label filters {"label": ["allowed value", ...]}
-- $4 group-by labels (NULL: one result per series)  $5 most results
CREATE FUNCTION pgg_series_selection(metric text, targets text[], filters jsonb, group_by text[],
                                     max_results bigint)
RETURNS TABLE (id integer, n bigint, target text, labels jsonb)
LANGUAGE sql STABLE
AS $$
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
    SELECT target, labels, row_number() OVER (ORDER BY target, labels) AS n
    FROM (SELECT DISTINCT target, labels FROM chosen ORDER BY target, labels LIMIT $5) AS d
  )
  SELECT c.id, r.n, r.target, r.labels
  FROM chosen c JOIN results r ON r.target = c.target AND r.labels = c.labels
$$;

-- How the series reads (series-*.sql) spell a point for JSON: the API splices their comma-separated
-- lists into its frames as they are (checking that they are numbers, null and commas only).
-- Inlined where they are used (one expression each). A bucket's start in ms since the epoch:
CREATE FUNCTION pgg_json_ms(t timestamptz) RETURNS text
LANGUAGE sql STABLE
AS $$ SELECT (date_part('epoch', t) * 1000)::bigint::text $$;
-- A value, or null where JSON cannot spell it (NaN, infinities): a gap in the panel.
CREATE FUNCTION pgg_json_number(value double precision) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$ SELECT CASE WHEN value IN ('NaN', 'Infinity', '-Infinity') THEN 'null' ELSE value::text END $$;

-- ~90 bytes of heap and ~70 of index a series-minute (4 samples at 15 s: ~40 bytes a sample).
CREATE TABLE samples_1m (
  series_id integer NOT NULL,
  minute timestamptz NOT NULL,
  n integer NOT NULL,
  sum double precision,
  min double precision,
  max double precision,
  last double precision,
  increase double precision,
  seconds double precision
) PARTITION BY RANGE (minute);
-- Index-only scans of one series over a range (the heap is minute-major, every series interleaved).
CREATE UNIQUE INDEX samples_1m_series_minute ON samples_1m (series_id, minute)
  INCLUDE (n, sum, min, max, last, increase, seconds);

-- The job finds a minute's samples of every series by time: the heap is in time order (the writer
-- inserts a tick of all series at once), so a BRIN index is a few pages for the whole table.
CREATE INDEX samples_ts_brin ON samples USING brin (ts) WITH (autosummarize = on);

-- Minutes before done_until are rolled up (NULL: nothing yet). One row.
CREATE TABLE rollup_state (
  one boolean PRIMARY KEY DEFAULT true CHECK (one),
  done_until timestamptz
);
INSERT INTO rollup_state DEFAULT VALUES;

-- Samples written after their minute may have been rolled up (a writer flushing a backlog): the
-- writer records the span of such a batch, the rollup job recomputes those minutes.
CREATE TABLE rollup_dirty (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  from_ts timestamptz NOT NULL,
  to_ts timestamptz NOT NULL
);
