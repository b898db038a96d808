-- PgBouncer admin console, hot loop: internal list sizes (list, items); used_servers is every
-- server connection PgBouncer holds, used_clients every client connection. A dozen rows.
-- Sent without these header lines (see pools.sql).
SHOW LISTS
