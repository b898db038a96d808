-- PG Governor: the collector role on a target cluster (roles are cluster-wide: run it once,
-- connected to any database, as a superuser or a role with CREATEROLE and ADMIN on pg_monitor).
--
--   psql -v ON_ERROR_STOP=1 -v monitor_password='...' -f sql/roles/monitor-role.sql
--
-- Safe to run again: it creates the role or brings an existing one back to these settings.
-- An empty password (-v monitor_password=) keeps the current one, or none for certificate or
-- other non-password authentication. See sql/roles/README.md.
--
-- PostgreSQL 14 and older: PUBLIC holds CREATE on schema public in every database, so any role,
-- this one included, can create tables there. This script does not change privileges that other
-- roles rely on; PG Governor's privilege check reports it and the README shows the REVOKE.

BEGIN;

-- psql does not substitute variables inside the DO block below: hand the password over through
-- a transaction-local setting (SET prints nothing, unlike SELECT set_config).
SET LOCAL pgg.monitor_password = :'monitor_password';

DO $$
DECLARE
  changes text[];
  new_password text := current_setting('pgg.monitor_password');
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pgg_monitor') THEN
    CREATE ROLE pgg_monitor LOGIN INHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
      CONNECTION LIMIT 5;
  ELSE
    -- Name only the attributes that differ: before PostgreSQL 16 a non-superuser may not even
    -- mention SUPERUSER, REPLICATION or BYPASSRLS in ALTER ROLE, and from 16 on only when it holds them.
    SELECT array_remove(ARRAY[
             CASE WHEN NOT rolcanlogin THEN 'LOGIN' END,
             CASE WHEN NOT rolinherit THEN 'INHERIT' END,
             CASE WHEN rolsuper THEN 'NOSUPERUSER' END,
             CASE WHEN rolcreatedb THEN 'NOCREATEDB' END,
             CASE WHEN rolcreaterole THEN 'NOCREATEROLE' END,
             CASE WHEN rolreplication THEN 'NOREPLICATION' END,
             CASE WHEN rolbypassrls THEN 'NOBYPASSRLS' END,
             CASE WHEN rolconnlimit <> 5 THEN 'CONNECTION LIMIT 5' END
           ], NULL)
      INTO changes
      FROM pg_roles
     WHERE rolname = 'pgg_monitor';
    IF cardinality(changes) > 0 THEN
      EXECUTE 'ALTER ROLE pgg_monitor ' || array_to_string(changes, ' ');
    END IF;
  END IF;
  IF new_password <> '' THEN
    EXECUTE format('ALTER ROLE pgg_monitor PASSWORD %L', new_password);
  END IF;
END
$$;

-- pg_monitor = pg_read_all_settings + pg_read_all_stats + pg_stat_scan_tables: every statistics
-- view and settings, for all sessions and databases, and nothing that writes.
GRANT pg_monitor TO pgg_monitor;

-- Sessions start read-only and short-lived even when a client forgets to ask; the privilege
-- check at start is what guarantees the role cannot write, these are belt and braces.
ALTER ROLE pgg_monitor SET default_transaction_read_only = on;
ALTER ROLE pgg_monitor SET statement_timeout = '5s';
ALTER ROLE pgg_monitor SET lock_timeout = '1s';
ALTER ROLE pgg_monitor SET idle_in_transaction_session_timeout = '10s';

COMMIT;
