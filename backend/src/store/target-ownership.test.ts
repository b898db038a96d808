import pino from 'pino';
import { Pool } from 'pg';
import { storeQuery } from './store-query';
import { TargetOwnership } from './target-ownership';

/**
 * The heartbeat's bookkeeping on faked row sets and a faked clock: how long the lease is known to
 * hold, what a failed or lapsed renewal changes. (The statements themselves run against a real store
 * in test/fleet.)
 */

const QUERIES = [
  'replica-renew',
  'replica-join',
  'replicas-exclusive',
  'replicas-forget-dead',
  'release-targets',
  'live-replicas',
  'target-owners',
  'claim-free-targets',
  'replicas-lapse',
  'take-targets',
  'replica-leave',
] as const;
type Name = (typeof QUERIES)[number];
const nameOf = new Map<string, Name>(QUERIES.map((n) => [storeQuery(n), n]));

/** A store whose answers the test sets per statement; `fail` makes the next renewal time out. */
function fakeStore() {
  const store = {
    renewed: true,
    fail: false,
    owners: [] as { target: string; owner: string; live: boolean }[],
    /** Other live replicas, with the time their lease has left. */
    others: [] as { instance: string; targets: string[]; expires_in_ms: number }[],
    calls: [] as Name[],
  };
  const client = {
    async query(text: string) {
      const name = nameOf.get(text);
      if (!name) return { rows: [] }; // BEGIN, COMMIT
      store.calls.push(name);
      if (name === 'replica-renew') {
        if (store.fail)
          throw Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' });
        return { rows: store.renewed ? [{ join_left_ms: 0 }] : [] };
      }
      if (name === 'replica-join') return { rows: [{ join_left_ms: 0 }] };
      if (name === 'live-replicas')
        return {
          rows: [
            {
              instance: 'me',
              host: 'h',
              targets: ['a', 'b'],
              started_at_ms: 0,
              heartbeat_at_ms: 0,
              claiming: true,
              expires_in_ms: 8000,
            },
            ...store.others.map((o) => ({
              host: 'h',
              started_at_ms: 0,
              heartbeat_at_ms: 0,
              claiming: true,
              ...o,
            })),
          ],
        };
      if (name === 'target-owners') return { rows: store.owners };
      if (name === 'claim-free-targets') return { rows: [{ target: 'a' }, { target: 'b' }] };
      return { rows: [] };
    },
    release: () => undefined,
  };
  const pool = { connect: async () => client, end: async () => undefined } as unknown as Pool;
  return { store, pool };
}

function ownership(pool: Pool, clock: { now: number }) {
  return new TargetOwnership(
    pool,
    { instance: 'me', host: 'h', heartbeatMs: 2000, leaseMs: 8000, exclusive: false, joinWindowMs: 0 },
    pino({ level: 'silent' }),
    undefined,
    () => clock.now,
  );
}

// Heartbeats run on timers; the tests drive them one at a time through requestHeartbeat.
const beat = async (o: TargetOwnership) => {
  o.requestHeartbeat();
  await new Promise((r) => setTimeout(r, 5));
};

it('a failed renewal loses nothing while the last one holds: valid until its send time plus the lease less a heartbeat', async () => {
  const clock = { now: 1000 };
  const { store, pool } = fakeStore();
  const o = ownership(pool, clock);
  await o.start(['a', 'b']);
  expect([...o.ownedTargets()].sort()).toEqual(['a', 'b']);
  store.owners = [
    { target: 'a', owner: 'me', live: true },
    { target: 'b', owner: 'me', live: true },
  ];
  clock.now = 3000;
  await beat(o);
  store.fail = true;
  clock.now = 5000;
  await beat(o);
  // Renewed at 3000: valid until 3000 + 8000 - 2000.
  clock.now = 8999;
  expect(o.leaseValid()).toBe(true);
  expect(o.owns('a')).toBe(true);
  clock.now = 9000;
  expect(o.leaseValid()).toBe(false);
  expect(o.withinLease()).toBe(true);
  await o.pause();
});

it('a renewal refused (its targets taken after its lease ran out) joins again and keeps only what it still owns', async () => {
  const clock = { now: 1000 };
  const { store, pool } = fakeStore();
  const o = ownership(pool, clock);
  await o.start(['a', 'b']);
  store.owners = [
    { target: 'a', owner: 'me', live: true },
    { target: 'b', owner: 'other', live: true },
  ];
  store.renewed = false;
  store.calls = [];
  clock.now = 20_000;
  await beat(o);
  expect(store.calls.slice(0, 2)).toEqual(['replica-renew', 'replica-join']);
  expect([...o.ownedTargets()]).toEqual(['a']);
  expect(o.owns('b')).toBe(false);
  expect(o.leaseValid()).toBe(true);
  await o.pause();
});

describe('when another replica stops renewing', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const renewals = (calls: Name[]) => calls.filter((c) => c === 'replica-renew').length;

  it('the next heartbeat comes at the end of its lease, not up to a heartbeat later', async () => {
    const clock = { now: 1000 };
    const { store, pool } = fakeStore();
    store.owners = [
      { target: 'a', owner: 'me', live: true },
      { target: 'b', owner: 'other', live: true },
    ];
    // Its lease ends in 700 ms (store clock): it last renewed 7.3 s ago.
    store.others = [{ instance: 'other', targets: ['b'], expires_in_ms: 700 }];
    const o = ownership(pool, clock);
    await o.start(['a', 'b']);
    const first = renewals(store.calls);
    await jest.advanceTimersByTimeAsync(740);
    expect(renewals(store.calls)).toBe(first);
    // It renewed meanwhile: the heartbeat after that one is a whole heartbeat later.
    store.others = [{ instance: 'other', targets: ['b'], expires_in_ms: 7900 }];
    await jest.advanceTimersByTimeAsync(20);
    expect(renewals(store.calls)).toBe(first + 1);
    // (at 760 ms: the next at 750 + 2000)
    await jest.advanceTimersByTimeAsync(1980);
    expect(renewals(store.calls)).toBe(first + 1);
    await jest.advanceTimersByTimeAsync(20);
    expect(renewals(store.calls)).toBe(first + 2);
    await o.pause();
  });

  it('a replica that owns nothing brings no heartbeat forward', async () => {
    const clock = { now: 1000 };
    const { store, pool } = fakeStore();
    store.owners = [
      { target: 'a', owner: 'me', live: true },
      { target: 'b', owner: 'me', live: true },
    ];
    store.others = [{ instance: 'idle', targets: ['c'], expires_in_ms: 700 }];
    const o = ownership(pool, clock);
    await o.start(['a', 'b']);
    const first = renewals(store.calls);
    await jest.advanceTimersByTimeAsync(1990);
    expect(renewals(store.calls)).toBe(first);
    await jest.advanceTimersByTimeAsync(20);
    expect(renewals(store.calls)).toBe(first + 1);
    await o.pause();
  });
});
