import { isProtected } from './safety-filter';
import { governorSettings, session } from './testing/fake-sessions';

const settings = governorSettings({
  protected: { users: ['vip', '/^svc_/'], applications: ['/^etl-/'], databases: ['billing'] },
});

describe('isProtected (safety filter)', () => {
  it('lets an ordinary client session through', () => {
    expect(isProtected(session(), settings)).toBeUndefined();
  });

  it.each([
    ['its own collector session', { isSelf: true }, 'own session (the collector)'],
    [
      'the product application name',
      { applicationName: 'pg-governor' },
      'own session (application_name "pg-governor")',
    ],
    [
      'a name starting with the product name',
      { applicationName: 'pg-governor-lease host:1' },
      /^own session/,
    ],
    ['a walsender', { backendType: 'walsender' }, 'not a client backend (walsender)'],
    [
      'an autovacuum worker',
      { backendType: 'autovacuum worker', state: null },
      'not a client backend (autovacuum worker)',
    ],
    ['a background worker', { backendType: 'logical replication worker' }, /^not a client backend/],
    ['an unknown backend type', { backendType: null }, 'not a client backend (unknown type)'],
    ['a replication role', { isReplicationRole: true }, 'replication role'],
    ['a superuser', { isSuperuser: true }, 'superuser'],
    ['a protected user (exact)', { usename: 'vip' }, 'protected user (vip)'],
    ['a protected user (regex)', { usename: 'svc_billing' }, 'protected user (/^svc_/)'],
    ['a protected database', { datname: 'billing' }, 'protected database (billing)'],
    [
      'a protected application (regex)',
      { applicationName: 'etl-nightly' },
      'protected application (/^etl-/)',
    ],
    ['a LISTEN session', { query: 'LISTEN jobs' }, 'LISTEN session'],
    ['a LISTEN after comments', { query: '/* worker */ -- waits\n  listen "jobs"' }, 'LISTEN session'],
  ])('protects %s', (_name, overrides, why) => {
    const reason = isProtected(session(overrides), settings);
    if (typeof why === 'string') expect(reason).toBe(why);
    else expect(reason).toMatch(why);
  });

  it('matches exact entries exactly (no substring, no case folding)', () => {
    expect(isProtected(session({ usename: 'vip2' }), settings)).toBeUndefined();
    expect(isProtected(session({ usename: 'VIP' }), settings)).toBeUndefined();
    expect(isProtected(session({ datname: 'billing_archive' }), settings)).toBeUndefined();
  });

  it('terminates superusers only when allowed, and never a replication role', () => {
    const allowing = governorSettings({ allow_superuser_termination: true });
    expect(isProtected(session({ isSuperuser: true }), allowing)).toBeUndefined();
    expect(isProtected(session({ isSuperuser: true, isReplicationRole: true }), allowing)).toBe(
      'replication role',
    );
  });

  it('protects LISTEN sessions only when protect_listen is on, and not UNLISTEN or other statements', () => {
    expect(
      isProtected(session({ query: 'LISTEN jobs' }), governorSettings({ protect_listen: false })),
    ).toBeUndefined();
    expect(isProtected(session({ query: 'UNLISTEN *' }), settings)).toBeUndefined();
    expect(isProtected(session({ query: 'SELECT listen FROM t' }), settings)).toBeUndefined();
    expect(isProtected(session({ query: 'LISTENER' }), settings)).toBeUndefined();
    expect(isProtected(session({ query: null }), settings)).toBeUndefined();
  });
});
