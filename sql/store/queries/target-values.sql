-- Targets with stored series.  $1 metric (NULL: any)  $2 most
SELECT DISTINCT target AS value
FROM series
WHERE $1::text IS NULL OR metric = $1::text
ORDER BY value
LIMIT $2
