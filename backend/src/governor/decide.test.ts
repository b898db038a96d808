import { decide } from './decide';
import { GovernorState, initialState, sessionKey } from './governor-state';
import { filler, governorSettings, session, snapshotOf } from './testing/fake-sessions';

const NOW = 1_700_000_100_000;
const settings = governorSettings();
const pids = (d: { chosen: { pid: number }[] }) => d.chosen.map((c) => c.pid);

describe('decide: levels', () => {
  it('does nothing below optimize, however old the idle sessions', () => {
    // 15 of 20: warn.
    const sessions = [session({ pid: 1, stateSeconds: 10_000 }), ...filler(14)];
    const d = decide(snapshotOf(sessions, 20), settings, initialState(), NOW);
    expect(d).toMatchObject({ level: 'warn', shedding: false, candidates: 0, chosen: [], skipped: [] });
  });

  it('at optimize terminates idle sessions idle longer than idle_terminate_after_s, longest idle first', () => {
    // 18 of 20: optimize.
    const sessions = [
      session({ pid: 1, stateSeconds: 400 }),
      session({ pid: 2, stateSeconds: 900 }),
      session({ pid: 3, stateSeconds: 300 }), // not longer than 300 s
      session({ pid: 4, stateSeconds: 600 }),
      session({ pid: 5, state: 'idle in transaction', stateSeconds: 5000 }), // not idle
      ...filler(13),
    ];
    const d = decide(snapshotOf(sessions, 20), settings, initialState(), NOW);
    expect(d.level).toBe('optimize');
    expect(pids(d)).toEqual([2, 4, 1]);
    expect(d.chosen[0]).toMatchObject({
      action: 'terminate',
      rule: 'idle_over_limit',
      state: 'idle',
      seconds: 900,
      requalify: { states: ['idle'], stateOlderThanS: 300 },
    });
    expect(d.chosen[0]?.reason).toBe('idle 900 s (over 300 s) at 90.0 % usage');
  });

  it('at critical sheds idle, then idle in transaction, then active, longest first, as many as needed to get below optimize', () => {
    // 22 of 20: critical; below 0.85 means at most 16: 6 must go.
    const sessions = [
      session({ pid: 10, state: 'active', querySeconds: 5 }),
      session({ pid: 11, state: 'active', querySeconds: 500 }),
      session({ pid: 12, state: 'active', querySeconds: 20 }),
      session({ pid: 13, state: 'idle in transaction', stateSeconds: 30 }),
      session({ pid: 14, state: 'idle in transaction (aborted)', stateSeconds: 60 }),
      session({ pid: 15, state: 'idle', stateSeconds: 50 }),
      session({ pid: 16, state: 'idle', stateSeconds: 100 }),
      ...filler(15, { state: 'active', querySeconds: 1 }),
    ];
    const d = decide(
      snapshotOf(sessions, 20),
      governorSettings({ max_actions_per_cycle: 10 }),
      initialState(),
      NOW,
    );
    expect(d).toMatchObject({ level: 'critical', shedding: true, need: 6 });
    expect(pids(d)).toEqual([16, 15, 14, 13, 11, 12]);
    expect(d.chosen.map((c) => c.rule)).toEqual(Array(6).fill('shed_load'));
    expect(d.chosen[2]?.requalify.states).toEqual(['idle in transaction', 'idle in transaction (aborted)']);
    expect(d.chosen[4]?.requalify.states).toEqual(['active', 'fastpath function call']);
    expect(d.candidates).toBe(22);
  });

  it('keeps shedding below critical until usage is below optimize (hysteresis), then stops', () => {
    const shedding: GovernorState = { ...initialState(), shedding: true };
    // 18 of 20 (optimize) in an episode: 2 must go, young idle ones included.
    const d = decide(snapshotOf(filler(18), 20), settings, shedding, NOW);
    expect(d).toMatchObject({ level: 'optimize', shedding: true, need: 2 });
    expect(pids(d)).toHaveLength(2);
    // 16 of 20 (warn): the episode is over.
    const after = decide(snapshotOf(filler(16), 20), settings, shedding, NOW);
    expect(after).toMatchObject({ level: 'warn', shedding: false, chosen: [] });
  });

  it('while shedding, still terminates every idle session over the limit even past the need', () => {
    const tight = decide(
      snapshotOf([...filler(6, { stateSeconds: 1000 }), ...filler(14)], 20),
      governorSettings({ max_actions_per_cycle: 10 }),
      initialState(),
      NOW,
    );
    expect(tight.need).toBe(4);
    expect(tight.chosen).toHaveLength(6);
    expect(new Set(tight.chosen.map((c) => c.rule))).toEqual(new Set(['idle_over_limit']));
  });
});

describe('decide: safety and limits', () => {
  it('skips protected sessions with the reason and takes the next ones instead', () => {
    const sessions = [
      session({ pid: 1, stateSeconds: 9000, isSuperuser: true }),
      session({ pid: 2, stateSeconds: 8000, applicationName: 'pg-governor' }),
      session({ pid: 3, stateSeconds: 7000, isSelf: true }),
      session({ pid: 4, stateSeconds: 6000, backendType: 'walsender' }),
      session({ pid: 5, stateSeconds: 5000 }),
      ...filler(15),
    ];
    // 19 of 20 (non-client not counted): critical, 3 to go.
    const d = decide(snapshotOf(sessions, 20), settings, initialState(), NOW);
    expect(d.need).toBe(3);
    expect(d.skipped).toEqual([
      { pid: 1, backendStartUs: sessions[0]?.backendStartUs, why: 'superuser' },
      {
        pid: 2,
        backendStartUs: sessions[1]?.backendStartUs,
        why: 'own session (application_name "pg-governor")',
      },
      { pid: 3, backendStartUs: sessions[2]?.backendStartUs, why: 'own session (the collector)' },
    ]);
    expect(pids(d)[0]).toBe(5);
    expect(pids(d)).toHaveLength(3);
    // The walsender is no candidate at all.
    expect(d.chosen.concat().map((c) => c.pid)).not.toContain(4);
  });

  it('chooses at most max_actions_per_cycle and says why it skipped the rest', () => {
    const d = decide(snapshotOf(filler(30), 20), settings, initialState(), NOW);
    expect(d.need).toBe(14);
    expect(d.chosen).toHaveLength(5);
    expect(d.skipped).toHaveLength(9);
    expect(new Set(d.skipped.map((s) => s.why))).toEqual(new Set(['per-cycle limit (5) reached']));
  });

  it('respects what is left of max_actions_per_minute', () => {
    const state: GovernorState = {
      ...initialState(),
      recentActions: [...Array(28).fill(NOW - 30_000), NOW - 61_000],
    };
    const d = decide(snapshotOf(filler(30), 20), settings, state, NOW);
    expect(d.limits.perMinuteLeft).toBe(2);
    expect(d.chosen).toHaveLength(2);
    expect(d.skipped[0]?.why).toBe('per-minute limit (30) reached');
  });

  it('acts not at all when the circuit is open, and once when half-open', () => {
    const open = decide(
      snapshotOf(filler(30), 20),
      settings,
      { ...initialState(), circuit: { state: 'open', failures: 3, openedAt: NOW } },
      NOW,
    );
    expect(open.chosen).toEqual([]);
    expect(open.skipped.every((s) => s.why === 'circuit open')).toBe(true);
    const half = decide(
      snapshotOf(filler(30), 20),
      settings,
      { ...initialState(), circuit: { state: 'half-open', probing: false } },
      NOW,
    );
    expect(half.chosen).toHaveLength(1);
    expect(half.skipped[0]?.why).toBe('circuit half-open: one probe at a time');
  });

  it('is deterministic: ties in age are broken by pid', () => {
    const sessions = [30, 10, 20].map((pid) => session({ pid, stateSeconds: 50 }));
    const d = decide(
      snapshotOf([...sessions, ...filler(17, { state: 'active' })], 20),
      settings,
      initialState(),
      NOW,
    );
    expect(pids(d).slice(0, 3)).toEqual([10, 20, 30]);
  });
});

describe('decide: timeouts, whatever the pressure', () => {
  it('terminates sessions idle in transaction past idle_in_transaction_timeout_s (a cancel would be ignored)', () => {
    const sessions = [
      session({ pid: 1, state: 'idle in transaction', stateSeconds: 120 }),
      session({ pid: 2, state: 'idle in transaction', stateSeconds: 30 }),
      session({ pid: 3, state: 'idle in transaction (aborted)', stateSeconds: 300 }),
    ];
    const d = decide(
      snapshotOf(sessions, 100),
      governorSettings({ idle_in_transaction_timeout_s: 60 }),
      initialState(),
      NOW,
    );
    expect(d.level).toBe('normal');
    expect(pids(d)).toEqual([3, 1]);
    expect(d.chosen[1]).toMatchObject({
      action: 'terminate',
      rule: 'idle_in_transaction_timeout',
      requalify: { stateOlderThanS: 60 },
    });
    expect(decide(snapshotOf(sessions, 100), settings, initialState(), NOW).chosen).toEqual([]);
  });

  it('cancels a query past active_query_timeout_s, waits out the grace, then terminates it if it still runs', () => {
    const s = session({ pid: 7, state: 'active', querySeconds: 100, queryStartMs: 1_700_000_000_123.5 });
    const timeouts = governorSettings({ active_query_timeout_s: 30, cancel_grace_s: 10 });
    const first = decide(snapshotOf([s], 100), timeouts, initialState(), NOW);
    expect(first.chosen).toMatchObject([
      { pid: 7, action: 'cancel', rule: 'active_query_timeout', requalify: { queryOlderThanS: 30 } },
    ]);

    const cancelled = (at: number, queryStartMs: number | null): GovernorState => ({
      ...initialState(),
      cancels: new Map([[sessionKey(7, s.backendStartUs), { cancelledAt: at, queryStartMs }]]),
    });
    const inGrace = decide(snapshotOf([s], 100), timeouts, cancelled(NOW - 5_000, s.queryStartMs), NOW);
    expect(inGrace.chosen).toEqual([]);
    expect(inGrace.skipped).toEqual([
      {
        pid: 7,
        backendStartUs: s.backendStartUs,
        why: 'cancelled 5 s ago; terminated if still running after 10 s',
      },
    ]);

    const after = decide(snapshotOf([s], 100), timeouts, cancelled(NOW - 10_000, s.queryStartMs), NOW);
    expect(after.chosen).toMatchObject([
      {
        pid: 7,
        action: 'terminate',
        rule: 'still_running_after_cancel',
        requalify: { queryStartedByMs: s.queryStartMs },
      },
    ]);

    // Another (newer) query of the same session: it gets a cancel of its own first.
    const next = decide(snapshotOf([s], 100), timeouts, cancelled(NOW - 10_000, 1_699_999_999_000), NOW);
    expect(next.chosen).toMatchObject([{ pid: 7, action: 'cancel' }]);
  });

  it('lists a session once even when several rules select it', () => {
    const sessions = [
      session({ pid: 1, state: 'idle in transaction', stateSeconds: 500 }),
      ...filler(19, { state: 'active' }),
    ];
    const d = decide(
      snapshotOf(sessions, 20),
      governorSettings({ idle_in_transaction_timeout_s: 60 }),
      initialState(),
      NOW,
    );
    expect(pids(d).filter((p) => p === 1)).toHaveLength(1);
  });
});
