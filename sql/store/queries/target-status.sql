-- The targets' status as their owners published it within the last $1 ms (store clock).
SELECT target, owner, extract(epoch FROM updated_at) * 1000 AS updated_at_ms, status
  FROM target_status
 WHERE updated_at > clock_timestamp() - $1::float8 * interval '1 millisecond'
 ORDER BY target
