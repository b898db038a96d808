-- The replicas alive now (store clock), with what each watches, since when it runs, whether its
-- join window is over (it claims targets and is handed its share), and how long its lease has left
-- (ms, store clock: a replica that stops renewing is taken over then, not a heartbeat later).
SELECT instance, host, targets, extract(epoch FROM started_at) * 1000 AS started_at_ms,
       extract(epoch FROM heartbeat_at) * 1000 AS heartbeat_at_ms,
       claims_from <= clock_timestamp() AS claiming,
       extract(epoch FROM expires_at - clock_timestamp()) * 1000 AS expires_in_ms
  FROM replicas
 WHERE expires_at > clock_timestamp() AND lapsed_at IS NULL
 ORDER BY instance
