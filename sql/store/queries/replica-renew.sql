-- A replica's heartbeat: its lease pushed $2 ms ahead (store clock), what it watches, and whether
-- its join window is over. One statement on its own row, no other lock: it waits only while
-- another replica is taking its targets after its lease ran out (replicas-lapse.sql holds the row
-- then), and returns no row once that has happened (lapsed_at) or the row is gone: then the
-- replica joins again (replica-join.sql) before it counts on any target.
-- $1 instance  $2 lease (ms)  $3 its targets (text[])
UPDATE replicas
   SET heartbeat_at = clock_timestamp(),
       expires_at = clock_timestamp() + $2::float8 * interval '1 millisecond',
       targets = $3::text[]
 WHERE instance = $1 AND lapsed_at IS NULL
RETURNING greatest(0, extract(epoch FROM claims_from - clock_timestamp()) * 1000)::float8 AS join_left_ms
