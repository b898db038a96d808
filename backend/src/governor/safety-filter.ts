import { GovernorSettings } from '../config/schema';
import { APPLICATION_NAME } from '../db/target-pool';
import { isListenSession } from './listen-session';
import { matchingEntry } from './name-pattern';
import { GovernedSession } from './snapshot';

export type SafetySettings = Pick<
  GovernorSettings,
  'allow_superuser_termination' | 'protected' | 'protect_listen'
>;

export const CLIENT_BACKEND = 'client backend';

/** The product's own sessions: `pg-governor`, and anything named after it (demo setup, lease). */
export function isOwnApplication(applicationName: string | null): boolean {
  return applicationName !== null && applicationName.toLowerCase().startsWith(APPLICATION_NAME);
}

/**
 * Why the governor must never signal this session, or undefined if it may. Pure; applied to every
 * candidate of every rule, before any limit. The server re-checks the identity, the state and the
 * superuser and replication attributes at execution time (sql/governor/*.sql).
 */
export function isProtected(session: GovernedSession, settings: SafetySettings): string | undefined {
  if (session.isSelf) return 'own session (the collector)';
  if (isOwnApplication(session.applicationName))
    return `own session (application_name "${session.applicationName}")`;
  if (session.backendType !== CLIENT_BACKEND)
    return `not a client backend (${session.backendType ?? 'unknown type'})`;
  // In the README's order: a superuser that also has REPLICATION is protected as a superuser.
  if (session.isSuperuser && !settings.allow_superuser_termination) return 'superuser';
  if (session.isReplicationRole) return 'replication role';
  const user = matchingEntry(session.usename, settings.protected.users);
  if (user !== undefined) return `protected user (${user})`;
  const database = matchingEntry(session.datname, settings.protected.databases);
  if (database !== undefined) return `protected database (${database})`;
  const application = matchingEntry(session.applicationName, settings.protected.applications);
  if (application !== undefined) return `protected application (${application})`;
  if (settings.protect_listen && isListenSession(session)) return 'LISTEN session';
  return undefined;
}
