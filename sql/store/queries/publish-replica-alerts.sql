-- A replica's active alerts now. $1 instance  $2 last evaluation (ms since epoch, or null)  $3 alerts (jsonb array)
INSERT INTO replica_alerts (instance, updated_at, evaluated_at, alerts)
VALUES ($1, clock_timestamp(), to_timestamp($2::float8 / 1000), $3::jsonb)
ON CONFLICT (instance) DO UPDATE
   SET updated_at = excluded.updated_at, evaluated_at = excluded.evaluated_at, alerts = excluded.alerts
