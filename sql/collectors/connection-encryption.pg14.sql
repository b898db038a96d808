-- Workload loop, every server: client connections by database, by how they came (TCP: a client
-- address; a Unix socket has none) and whether they are encrypted: TLS (pg_stat_ssl) or GSSAPI
-- encryption (pg_stat_gssapi). A connection's encryption is fixed when it starts, so a minute's
-- resolution tells all; the hot loop's pg_stat_activity read stays as it is.
-- Both views are readable by pg_monitor (pg_read_all_stats) for every backend. Cost: three passes
-- over the backend status array (a few microseconds per backend) and a hash join on pid.
SELECT coalesce(a.datname, '') AS datname,
       a.client_addr IS NOT NULL AS tcp,
       coalesce(s.ssl, false) AS ssl,
       coalesce(g.encrypted, false) AS gss_encrypted,
       count(*)::int AS connections
  FROM pg_stat_activity a
  LEFT JOIN pg_stat_ssl s ON s.pid = a.pid
  LEFT JOIN pg_stat_gssapi g ON g.pid = a.pid
 WHERE a.backend_type = 'client backend'
 GROUP BY 1, 2, 3, 4
 ORDER BY 1, 2, 3, 4
