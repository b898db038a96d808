// Login roles for a bench server. Monitor roles are members of pg_monitor only, as
// sql/roles/monitor-role.sql makes pgg_monitor (the backend refuses a role that can write).
import { randomBytes } from 'node:crypto';

/** Creates role `name` (LOGIN, a random password, member of `inRole` if given); returns the password. */
export async function createLoginRole(admin, name, inRole) {
  const password = randomBytes(18).toString('base64url');
  // Names and password are the bench's own (no user input); format() quotes them anyway.
  await admin.query(`DO $$ BEGIN
    EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', '${name}', '${password}');
    ${inRole ? `EXECUTE format('GRANT %I TO %I', '${inRole}', '${name}');` : ''}
  END $$`);
  return password;
}

/**
 * A pg_monitor role; in the admin connection's database, PostgreSQL 14's CREATE on schema public
 * for PUBLIC is revoked too (the backend's privilege check would refuse the role for it).
 */
export async function createMonitorRole(admin, name) {
  const password = await createLoginRole(admin, name, 'pg_monitor');
  await admin.query(`DO $$ BEGIN
    IF current_setting('server_version_num')::int < 150000 THEN REVOKE CREATE ON SCHEMA public FROM PUBLIC; END IF;
  END $$`);
  return password;
}
