// Login roles for a bench server: members of pg_monitor only, as sql/roles/monitor-role.sql makes
// pgg_monitor (the backend refuses a role that can write).
import { randomBytes } from 'node:crypto';

/** Creates role `name` (LOGIN, pg_monitor) with a random password; returns the password. */
export async function createMonitorRole(admin, name) {
  const password = randomBytes(18).toString('base64url');
  // Identifiers and the password are ours (no user input); format() quotes them anyway.
  await admin.query(`DO $$ BEGIN
    EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L IN ROLE pg_monitor', '${name}', '${password}');
  END $$`);
  // PostgreSQL 14 lets PUBLIC create in schema public: the backend's privilege check would refuse.
  await admin.query(`DO $$ BEGIN
    IF current_setting('server_version_num')::int < 150000 THEN REVOKE CREATE ON SCHEMA public FROM PUBLIC; END IF;
  END $$`);
  return password;
}
