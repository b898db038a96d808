-- Hourly loop, every server: roles that can log in as superuser (pg_roles is shared by every
-- database: the same on each target of a server). Each bypasses every permission check; pgwatch's
-- recommendation looks at their number.
-- $1: most roles returned; superuser_count counts them all.
SELECT r.rolname,
       (extract(epoch FROM r.rolvaliduntil) * 1000)::float8 AS valid_until_ms,
       r.rolconnlimit AS connection_limit,
       count(*) OVER ()::int AS superuser_count
  FROM pg_roles r
 WHERE r.rolsuper
   AND r.rolcanlogin
 ORDER BY r.rolname
 LIMIT $1
