-- Can this session read pg_stat_statements in this database? Errors tell why not (see
-- backend/src/db/server-info.ts). LIMIT 1, not LIMIT 0: with LIMIT 0 the executor never calls
-- the function, so a library missing from shared_preload_libraries would go unnoticed.
-- showtext => false: no query texts are read from disk.
SELECT 1 FROM pg_stat_statements(false) LIMIT 1
