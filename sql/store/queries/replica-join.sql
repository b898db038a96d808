-- A replica joins the store: at its start, with a join window of $5 ms during which it claims
-- nothing (claims_from), or again after its lease ran out (lapsed_at cleared; the window is not
-- reopened). Times are the store's clock.
-- $1 instance  $2 host  $3 lease (ms)  $4 its targets (text[])  $5 join window (ms)
INSERT INTO replicas (instance, host, started_at, heartbeat_at, expires_at, targets, claims_from)
VALUES ($1, $2, clock_timestamp(), clock_timestamp(), clock_timestamp() + $3::float8 * interval '1 millisecond',
        $4::text[], clock_timestamp() + $5::float8 * interval '1 millisecond')
ON CONFLICT (instance) DO UPDATE
   SET heartbeat_at = excluded.heartbeat_at, expires_at = excluded.expires_at, targets = excluded.targets,
       lapsed_at = NULL
RETURNING greatest(0, extract(epoch FROM replicas.claims_from - clock_timestamp()) * 1000)::float8 AS join_left_ms
