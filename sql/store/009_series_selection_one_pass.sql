-- pgg_series_selection (004) numbered its results in a subquery and joined the chosen series back
-- to them on (target, labels). Planned with a function's default estimate of one row, that join is
-- a nested loop that rescans the numbering once per series: 55 ms of a 70 ms read of 200 targets'
-- series (the Fleet overview's Connection usage at 3 h, from the rollups). dense_rank over the
-- chosen series numbers them in one sort: the same numbers (1, 2, ... in target and labels order,
-- a result for each distinct pair) and the same cut at max_results.
CREATE OR REPLACE FUNCTION pgg_series_selection(metric text, targets text[], filters jsonb, group_by text[],
                                                max_results bigint)
RETURNS TABLE (id integer, n bigint, target text, labels jsonb)
LANGUAGE sql STABLE
AS $$
  SELECT r.id, r.n, r.target, r.labels
  FROM (
    SELECT c.id, c.target, c.labels, dense_rank() OVER (ORDER BY c.target, c.labels) AS n
    FROM (
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
    ) AS c
  ) AS r
  WHERE r.n <= $5
$$;
