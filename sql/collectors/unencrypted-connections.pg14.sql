-- Workload loop, every server, and only while connection-encryption.pg14.sql counted one: client
-- connections over TCP (client_addr set) encrypted by neither TLS nor GSSAPI, grouped by database,
-- user, application and client address: what travels in clear text between client and server. A
-- loopback address (the same host) is marked.
-- $1: most groups returned (most connections first); group_count counts them all.
SELECT coalesce(a.datname, '') AS datname,
       a.usename,
       a.application_name,
       host(a.client_addr) AS client_addr,
       a.client_addr <<= '127.0.0.0/8'::inet OR a.client_addr = '::1'::inet AS loopback,
       count(*)::int AS connections,
       (extract(epoch FROM min(a.backend_start)) * 1000)::float8 AS oldest_backend_start_ms,
       count(*) OVER ()::int AS group_count
  FROM pg_stat_activity a
  LEFT JOIN pg_stat_ssl s ON s.pid = a.pid
  LEFT JOIN pg_stat_gssapi g ON g.pid = a.pid
 WHERE a.backend_type = 'client backend'
   AND a.client_addr IS NOT NULL
   AND NOT coalesce(s.ssl, false)
   AND NOT coalesce(g.encrypted, false)
 GROUP BY a.datname, a.usename, a.application_name, a.client_addr
 ORDER BY connections DESC, datname, a.usename, a.application_name, client_addr
 LIMIT $1
