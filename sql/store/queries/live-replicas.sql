-- The replicas alive now (store clock), with what each watches and since when it runs.
SELECT instance, host, targets, extract(epoch FROM started_at) * 1000 AS started_at_ms,
       extract(epoch FROM heartbeat_at) * 1000 AS heartbeat_at_ms
  FROM replicas
 WHERE expires_at > clock_timestamp()
 ORDER BY instance
