-- Storage loop (PostgreSQL 14+): turns partition bound values of time keys, as the server printed
-- them in partitions.pg14.sql, into seconds since 1970-01-01. The server reads back its own output
-- in the same session, so DateStyle and TimeZone need no guessing in the backend.
-- $1: text[] of values, $2: text[] of their key types ('date', 'timestamp', 'timestamptz'), parallel.
-- date and timestamp (no time zone) give their nominal value read as UTC (what extract(epoch) does);
-- the collector compares them with localtimestamp, read the same way.
-- Cost: one cast per value, no catalog access.
SELECT v.ord::int AS ord,
       CASE v.key_type
         WHEN 'date' THEN extract(epoch FROM v.value::date)
         WHEN 'timestamp' THEN extract(epoch FROM v.value::timestamp)
         WHEN 'timestamptz' THEN extract(epoch FROM v.value::timestamptz)
       END::float8 AS epoch
  FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS v(value, key_type, ord)
 ORDER BY v.ord
