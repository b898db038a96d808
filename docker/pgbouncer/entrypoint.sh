#!/bin/sh
# Writes PgBouncer's auth file from the environment (plain passwords: PgBouncer then speaks
# SCRAM to clients and to PostgreSQL) into a tmpfs, and starts PgBouncer in the foreground.
set -eu
dir=/tmp/pgbouncer
mkdir -p "$dir"
umask 077
quote() { printf '"%s"' "$(printf '%s' "$1" | sed 's/"/""/g')"; }
{
  printf '%s %s\n' "$(quote app)" "$(quote "$APP_PASSWORD")"
  printf '%s %s\n' "$(quote pgg_monitor)" "$(quote "$PGG_MONITOR_PASSWORD")"
} > "$dir/userlist.txt"
exec /usr/sbin/pgbouncer /etc/pgbouncer/pgbouncer.ini
