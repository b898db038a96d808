-- PgBouncer admin console, hot loop: one row per client connection. Only counted by state: user
-- names and addresses never leave the backend. O(clients), all in memory (max_client_conn bounds
-- it). Sent without these header lines (see pools.sql).
SHOW CLIENTS
