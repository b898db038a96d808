#!/bin/bash
# First start of the compose PostgreSQL (docker-entrypoint-initdb.d): the monitor and governor
# roles from sql/roles (as a DBA would create them), the history store's database and owner, the
# workload's database and owner, and pg_stat_statements where the monitor connects.
set -euo pipefail

run_psql() {
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres "$@"
}

run_psql -v monitor_password="$PGG_MONITOR_PASSWORD" -f /pgg-sql/roles/monitor-role.sql
run_psql -v governor_password="$PGG_GOVERNOR_PASSWORD" -f /pgg-sql/roles/governor-role.sql

run_psql -v store_password="$PGG_STORE_PASSWORD" -v app_password="$APP_PASSWORD" <<'SQL'
CREATE ROLE pgg_store LOGIN PASSWORD :'store_password';
CREATE DATABASE pgg_history OWNER pgg_store;
CREATE ROLE app LOGIN PASSWORD :'app_password';
CREATE DATABASE app OWNER app;
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
\connect app
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
SQL
