import { configMemory, deriveConfigDrift } from './config-drift';
import { KeyValueRow } from './derive';

/** SHOW CONFIG rows as PgBouncer 1.18 returns them (key, value, default, changeable). */
const config = (overrides: Record<string, string> = {}): KeyValueRow[] =>
  Object.entries({
    default_pool_size: '20',
    max_client_conn: '100',
    pool_mode: 'transaction',
    auth_type: 'scram-sha-256',
    auth_user: '',
    auth_query: 'SELECT usename, passwd FROM pg_shadow WHERE usename=$1',
    logfile: '',
    ...overrides,
  }).map(([key, value]) => ({ key, value, default: value, changeable: 'yes' }));

const changed = (result: ReturnType<typeof deriveConfigDrift>) =>
  result.samples.find((s) => s.metric === 'pgbouncer_settings_changed_total')?.value;

describe('deriveConfigDrift', () => {
  it('takes the first cycle as the baseline and an unchanged config as no change', () => {
    const state = new Map();
    const first = deriveConfigDrift(config(), configMemory(state));
    expect(first.events).toEqual([]);
    expect(changed(first)).toBe(0);
    const second = deriveConfigDrift(config(), configMemory(state));
    expect(second.events).toEqual([]);
    expect(changed(second)).toBe(0);
  });

  it('turns each changed value into an event and counts the changes, never going down', () => {
    const state = new Map();
    deriveConfigDrift(config(), configMemory(state));
    const result = deriveConfigDrift(
      config({ default_pool_size: '30', pool_mode: 'session' }),
      configMemory(state),
    );
    expect(result.events.map((e) => e.title)).toEqual([
      'PgBouncer setting default_pool_size changed: 20 -> 30',
      'PgBouncer setting pool_mode changed: transaction -> session',
    ]);
    expect(result.events[0]).toMatchObject({
      kind: 'settings_drift',
      tags: ['pgbouncer', 'default_pool_size'],
      data: { owner: 'PgBouncer', name: 'default_pool_size', old: '20', new: '30' },
    });
    expect(changed(result)).toBe(2);
    const back = deriveConfigDrift(config(), configMemory(state));
    expect(changed(back)).toBe(4);
  });

  it('masks who and how PgBouncer looks passwords up, and shows the auth method', () => {
    const state = new Map();
    deriveConfigDrift(config(), configMemory(state));
    const result = deriveConfigDrift(
      config({
        auth_user: 'pgbouncer_lookup',
        auth_query: 'SELECT usename, passwd FROM lookup($1)',
        auth_type: 'trust',
      }),
      configMemory(state),
    );
    const text = JSON.stringify(result.events);
    expect(text).not.toMatch(/pgbouncer_lookup|lookup\(|pg_shadow/);
    expect(result.events.map((e) => e.title)).toEqual([
      'PgBouncer setting auth_type changed: scram-sha-256 -> trust',
      "PgBouncer setting auth_user changed: '' -> ********",
      'PgBouncer setting auth_query changed (a masked secret)',
    ]);
  });
});
