-- A replica says it is alive for $3 ms more (from the store's clock) and what it watches.
-- $1 instance  $2 host  $3 lease (ms)  $4 its targets (text[])
INSERT INTO replicas (instance, host, started_at, heartbeat_at, expires_at, targets)
VALUES ($1, $2, clock_timestamp(), clock_timestamp(), clock_timestamp() + $3::float8 * interval '1 millisecond', $4::text[])
ON CONFLICT (instance) DO UPDATE
   SET heartbeat_at = excluded.heartbeat_at, expires_at = excluded.expires_at, targets = excluded.targets
