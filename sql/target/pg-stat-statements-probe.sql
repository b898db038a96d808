-- Can this session read pg_stat_statements in this database? Errors tell why not (see
-- backend/src/db/server-info-pg-stat-statements.ts): the view is missing until CREATE EXTENSION
-- in this database, and the function behind it errors when the library is not in
-- shared_preload_libraries. pg_stat_statements_info (14+) is one row: unlike reading
-- pg_stat_statements(false), which materialises every entry (a temp file at ~10,000 entries
-- with the default work_mem), it costs nothing at any size.
SELECT dealloc FROM pg_stat_statements_info
