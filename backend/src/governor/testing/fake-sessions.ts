import { loadConfig } from '../../config/load';
import { GovernorSettings } from '../../config/schema';
import { ActivitySnapshot, GovernedSession } from '../snapshot';

/** Unit tests only: sessions and snapshots made by hand (integration tests use the real collector). */

/** The configured defaults (no file, no environment), with overrides. */
export function governorSettings(overrides: Partial<GovernorSettings> = {}): GovernorSettings {
  defaults ??= loadConfig({ env: {} }).config.defaults.governor;
  return { ...structuredClone(defaults), ...overrides };
}
let defaults: GovernorSettings | undefined;

let nextPid = 1000;

/** An ordinary client session, idle for 10 s, unless told otherwise. */
export function session(overrides: Partial<GovernedSession> = {}): GovernedSession {
  const pid = overrides.pid ?? nextPid++;
  return {
    pid,
    backendStartUs: `17000000000${String(pid).padStart(5, '0')}`,
    backendType: 'client backend',
    datname: 'app',
    usename: 'app_user',
    applicationName: 'web',
    state: 'idle',
    stateSeconds: 10,
    transactionSeconds: null,
    querySeconds: 10,
    queryStartMs: 1_700_000_000_000 + pid,
    query: 'SELECT ?',
    isSuperuser: false,
    isReplicationRole: false,
    isSelf: false,
    ...overrides,
  };
}

/** A snapshot of these sessions; used counts the client backends, as the collector does. */
export function snapshotOf(
  sessions: GovernedSession[],
  usable: number,
  time = 1_700_000_000_000,
): ActivitySnapshot {
  const used = sessions.filter((s) => s.backendType === 'client backend').length;
  return { target: 'main', time, sessions, used, usable, usage: usable > 0 ? used / usable : 1 };
}

/** `count` idle client sessions (ages 1..count s) to fill a snapshot up to a usage. */
export function filler(count: number, overrides: Partial<GovernedSession> = {}): GovernedSession[] {
  return Array.from({ length: count }, (_, i) =>
    session({ stateSeconds: i + 1, applicationName: 'filler', ...overrides }),
  );
}
