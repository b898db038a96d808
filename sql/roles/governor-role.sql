-- PG Governor: the governor's role on a target cluster (roles are cluster-wide: run it once,
-- connected to any database, as a superuser or a role with CREATEROLE and ADMIN on
-- pg_signal_backend and pg_read_all_stats).
--
--   psql -v ON_ERROR_STOP=1 -v governor_password='...' -f sql/roles/governor-role.sql
--
-- Safe to run again: it creates the role or brings an existing one back to these settings.
-- An empty password (-v governor_password=) keeps the current one. See sql/roles/README.md.

BEGIN;

-- psql does not substitute variables inside the DO block below: hand the password over through
-- a transaction-local setting (SET prints nothing, unlike SELECT set_config).
SET LOCAL pgg.governor_password = :'governor_password';

DO $$
DECLARE
  changes text[];
  new_password text := current_setting('pgg.governor_password');
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pgg_governor') THEN
    CREATE ROLE pgg_governor LOGIN INHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
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
     WHERE rolname = 'pgg_governor';
    IF cardinality(changes) > 0 THEN
      EXECUTE 'ALTER ROLE pgg_governor ' || array_to_string(changes, ' ');
    END IF;
  END IF;
  IF new_password <> '' THEN
    EXECUTE format('ALTER ROLE pgg_governor PASSWORD %L', new_password);
  END IF;
END
$$;

-- pg_signal_backend: pg_cancel_backend / pg_terminate_backend on other roles' sessions. The
-- server itself refuses it superusers' sessions (and, on recent majors, processes that run
-- under no role, such as background workers), so it cannot take down the cluster's machinery.
GRANT pg_signal_backend TO pgg_governor;

-- pg_read_all_stats: without it pg_stat_activity hides the state, backend_start and timings
-- of other roles' sessions, and the governor re-verifies each one (same pid, same
-- backend_start, still qualifying) right before it signals it. It reads statistics only; the
-- rest of pg_monitor (settings, pg_stat_scan_tables functions) is the collectors' business.
GRANT pg_read_all_stats TO pgg_governor;

-- pg_use_reserved_connections (PostgreSQL 16+): with reserved_connections > 0 on the server, the
-- governor can still connect when every ordinary slot is taken, which is when it is needed (its
-- connection is held open, but a held connection can die). Where the running role may not grant
-- it (a managed service's admin without ADMIN OPTION on it) the script says so and goes on.
DO $$
BEGIN
  IF current_setting('server_version_num')::int >= 160000 THEN
    GRANT pg_use_reserved_connections TO pgg_governor;
  END IF;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'pg_use_reserved_connections not granted to pgg_governor: %', SQLERRM;
END
$$;

-- Signalling a backend is not a write: the governor's sessions are read-only like the collectors'.
ALTER ROLE pgg_governor SET default_transaction_read_only = on;
ALTER ROLE pgg_governor SET statement_timeout = '5s';
ALTER ROLE pgg_governor SET lock_timeout = '1s';
ALTER ROLE pgg_governor SET idle_in_transaction_session_timeout = '10s';

COMMIT;
