-- The live replicas' active alerts, published within the last $1 ms (store clock), but $2's own.
SELECT a.instance, extract(epoch FROM a.evaluated_at) * 1000 AS evaluated_at_ms, a.alerts
  FROM replica_alerts a
  JOIN replicas r ON r.instance = a.instance AND r.expires_at > clock_timestamp()
 WHERE a.updated_at > clock_timestamp() - $1::float8 * interval '1 millisecond'
   AND a.instance <> $2
 ORDER BY a.instance
