-- Hot loop (PostgreSQL 14+): the synthetic canary's tiny planned and executed statement. The
-- backend times its round trip; the plan reports planning and execution time and the shared
-- buffers touched (BUFFERS on planning too since 13). One row of pg_class, read-only: it takes
-- only the ACCESS SHARE lock every catalog read takes, and runs on a standby as well.
EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT 1 FROM pg_catalog.pg_class LIMIT 1
