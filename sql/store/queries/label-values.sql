-- Distinct values of one label.  $1 label  $2 metric (NULL: any)  $3 target (NULL: any)  $4 most
SELECT DISTINCT labels ->> $1::text AS value
FROM series
WHERE labels ? $1::text
  AND ($2::text IS NULL OR metric = $2::text)
  AND ($3::text IS NULL OR target = $3::text)
ORDER BY value
LIMIT $4
