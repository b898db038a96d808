-- Workload loop (PostgreSQL 14+): data page checksum failures in the shared catalogs (pg_authid,
-- pg_database, pg_shdescription, ...: the files of the pg_global tablespace). pg_stat_database
-- counts them on its row for shared objects (datid 0, datname NULL), apart from every database's
-- (database-stats.pg14.sql); exporters that read it by datname drop that row, yet a corrupt
-- pg_authid page is as serious as any. NULL with data checksums off: no row then, so no sample
-- rather than a made-up zero. In-memory statistics: no I/O.
SELECT checksum_failures::float8 AS checksum_failures
  FROM pg_stat_database
 WHERE datid = 0
   AND checksum_failures IS NOT NULL
