-- Workload loop, not on a standby (no subscription worker runs there): every logical replication
-- subscription of the cluster (pg_subscription is shared), with whether its apply worker runs,
-- what it last heard from the publisher, and its tables by sync state.
-- $1: most subscriptions returned (Top-N by name).
-- pg_subscription: every column is readable by all but subconninfo (the connection string, maybe
-- with a password), which this never reads.
-- The apply worker is a subscription's worker without a table (relid); one with a table copies
-- that table (table synchronization). pg_stat_subscription has a row of NULLs for a subscription
-- without any worker, hence the pid filter.
-- last_msg_*: the publisher sends at least a keepalive every wal_sender_timeout / 2, so a growing
-- age with a worker running means a stuck connection. Apply lag in time is the publisher's view
-- (its WAL sender for the subscription, by application_name = subscription name by default).
-- pg_subscription_rel is per database: the sync states are known only for the subscriptions
-- that replicate into the database this connection is in (NULL for the others).
-- pg_stat_subscription_stats (apply and sync error counts) came in 15: see the .pg15 variant.
WITH workers AS MATERIALIZED (
  SELECT subid, relid, received_lsn, latest_end_lsn, last_msg_send_time, last_msg_receipt_time,
         latest_end_time
    FROM pg_stat_subscription
   WHERE pid IS NOT NULL
)
SELECT s.subname AS subscription,
       d.datname AS database,
       s.subenabled AS enabled,
       s.subslotname AS slot_name,
       a.subid IS NOT NULL AS worker_running,
       (SELECT count(*) FROM workers t WHERE t.subid = s.oid AND t.relid IS NOT NULL)::int AS sync_workers,
       a.received_lsn::text AS received_lsn,
       a.latest_end_lsn::text AS latest_end_lsn,
       (extract(epoch FROM a.last_msg_send_time) * 1000)::float8 AS last_msg_send_ms,
       (extract(epoch FROM a.last_msg_receipt_time) * 1000)::float8 AS last_msg_receipt_ms,
       extract(epoch FROM now() - a.last_msg_receipt_time)::float8 AS last_msg_age_seconds,
       (extract(epoch FROM a.latest_end_time) * 1000)::float8 AS latest_end_ms,
       r.tables_init,
       r.tables_data_copy,
       r.tables_finished_copy,
       r.tables_sync_done,
       r.tables_ready,
       NULL::float8 AS apply_error_count,
       NULL::float8 AS sync_error_count
  FROM pg_subscription s
  LEFT JOIN pg_database d ON d.oid = s.subdbid
  LEFT JOIN workers a ON a.subid = s.oid AND a.relid IS NULL
  LEFT JOIN LATERAL (
       SELECT count(*) FILTER (WHERE sr.srsubstate = 'i')::int AS tables_init,
              count(*) FILTER (WHERE sr.srsubstate = 'd')::int AS tables_data_copy,
              count(*) FILTER (WHERE sr.srsubstate = 'f')::int AS tables_finished_copy,
              count(*) FILTER (WHERE sr.srsubstate = 's')::int AS tables_sync_done,
              count(*) FILTER (WHERE sr.srsubstate = 'r')::int AS tables_ready
         FROM pg_subscription_rel sr
        WHERE sr.srsubid = s.oid
       ) r ON d.datname = current_database()
 ORDER BY s.subname
 LIMIT $1
