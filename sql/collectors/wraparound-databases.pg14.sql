-- Hourly loop, every server: transaction ID and multixact ID age of every database, the inputs
-- of the wraparound alarms. age(datfrozenxid) is how many XIDs were consumed since the oldest
-- unfrozen XID of the database; autovacuum forces an anti-wraparound vacuum at
-- autovacuum_freeze_max_age, and the server stops assigning XIDs near 2^31.
-- $1: most databases returned (Top-N by the larger of the two ages relative to its freeze limit).
-- One pass over pg_database (datallowconn = false databases such as template0 count too:
-- autovacuum freezes them as well). No per-database connection needed.
SELECT d.datname,
       age(d.datfrozenxid)::float8 AS xid_age,
       mxid_age(d.datminmxid)::float8 AS mxid_age,
       current_setting('autovacuum_freeze_max_age')::float8 AS freeze_max_age,
       current_setting('autovacuum_multixact_freeze_max_age')::float8 AS multixact_freeze_max_age
  FROM pg_database d
 ORDER BY greatest(age(d.datfrozenxid) / current_setting('autovacuum_freeze_max_age')::float8,
                   mxid_age(d.datminmxid) / current_setting('autovacuum_multixact_freeze_max_age')::float8) DESC,
          d.datname
 LIMIT $1
