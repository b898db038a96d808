import { GovernorSettings } from '../config/schema';
import { CircuitState } from './circuit-breaker';
import { decide } from './decide';
import { GovernorState, PendingCancel, sessionKey } from './governor-state';
import { RATE_WINDOW_MS } from './rate-limit';
import { ACTIVE, ActivitySnapshot, GovernedSession, IDLE, IDLE_IN_TRANSACTION } from './snapshot';
import { governorSettings } from './testing/fake-sessions';

/**
 * Property test over random session populations (seeded, so a failure replays): whatever the
 * population, settings and state, decide() never chooses a session the safety rules exclude, and
 * never exceeds the per-cycle, per-minute and circuit limits. The exclusion rules are restated
 * here on purpose rather than calling isProtected, so that a bug there is caught too.
 */

/** mulberry32: small, fast, good enough to explore. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const pick = <T>(r: Random, items: readonly T[]): T => items[Math.floor(r() * items.length)] as T;
const chance = (r: Random, p: number) => r() < p;
const int = (r: Random, min: number, max: number) => min + Math.floor(r() * (max - min + 1));

const USERS = ['app', 'web', 'vip', 'svc_billing', 'svc_etl', 'postgres', 'reporting', null];
const APPS = [
  'web',
  'worker',
  'pg-governor',
  'pg-governor-demo-setup',
  'PG-Governor x',
  'etl-nightly',
  'psql',
  '',
  null,
];
const DATABASES = ['app', 'billing', 'billing_archive', 'analytics', null];
const TYPES = [
  'client backend',
  'client backend',
  'client backend',
  'client backend',
  'walsender',
  'autovacuum worker',
  'background worker',
  'checkpointer',
  null,
];
const STATES = [...IDLE, ...IDLE, ...IDLE_IN_TRANSACTION, ...ACTIVE, 'active', 'disabled', null];
const QUERIES = ['SELECT ?', 'LISTEN jobs', '  /* x */ listen "q"', 'UNLISTEN *', 'COMMIT', null];

function randomSession(r: Random, pid: number): GovernedSession {
  const age = () => (chance(r, 0.05) ? null : r() * 2000);
  return {
    pid,
    backendStartUs: String(1_700_000_000_000_000 + int(r, 0, 1e9)),
    backendType: pick(r, TYPES),
    datname: pick(r, DATABASES),
    usename: pick(r, USERS),
    applicationName: pick(r, APPS),
    state: pick(r, STATES),
    stateSeconds: age(),
    transactionSeconds: age(),
    querySeconds: age(),
    queryStartMs: chance(r, 0.1) ? null : 1_700_000_000_000 + int(r, 0, 1e6),
    query: pick(r, QUERIES),
    isSuperuser: chance(r, 0.1),
    isReplicationRole: chance(r, 0.05),
    isSelf: false,
  };
}

function randomSnapshot(r: Random, time: number, maxUsable = 300): ActivitySnapshot {
  const usable = int(r, 1, maxUsable);
  const count = int(r, 0, Math.ceil(usable * 1.3));
  const sessions = Array.from({ length: count }, (_, i) => randomSession(r, 100 + i));
  if (sessions.length > 0 && chance(r, 0.8)) pick(r, sessions).isSelf = true;
  const used = sessions.filter((s) => s.backendType === 'client backend').length;
  return { target: 't', time, sessions, used, usable, usage: used / usable };
}

function randomSettings(r: Random): GovernorSettings {
  const warn = 0.3 + r() * 0.4;
  const optimize = warn + 0.01 + r() * 0.2;
  const critical = Math.min(1, optimize + 0.01 + r() * 0.2);
  return governorSettings({
    thresholds: { warn, optimize, critical },
    idle_terminate_after_s: int(r, 1, 1500),
    max_actions_per_cycle: int(r, 1, 12),
    max_actions_per_minute: int(r, 1, 40),
    allow_superuser_termination: chance(r, 0.3),
    protect_listen: chance(r, 0.7),
    idle_in_transaction_timeout_s: chance(r, 0.5) ? 0 : int(r, 1, 1000),
    active_query_timeout_s: chance(r, 0.5) ? 0 : int(r, 1, 1000),
    cancel_grace_s: int(r, 1, 30),
    protected: {
      users: chance(r, 0.6) ? ['vip', '/^svc_/'] : [],
      applications: chance(r, 0.6) ? ['/^etl-/', 'psql'] : [],
      databases: chance(r, 0.6) ? ['billing'] : [],
    },
  });
}

function randomCircuit(r: Random, now: number): CircuitState {
  return pick(r, [
    { state: 'closed', failures: int(r, 0, 2) },
    { state: 'open', failures: 3, openedAt: now - 1000 },
    { state: 'half-open', probing: false },
    { state: 'half-open', probing: true },
  ] as CircuitState[]);
}

function randomState(r: Random, snapshot: ActivitySnapshot, now: number, limit: number): GovernorState {
  const cancels = new Map<string, PendingCancel>();
  for (const s of snapshot.sessions) {
    if (chance(r, 0.1))
      cancels.set(sessionKey(s.pid, s.backendStartUs), {
        cancelledAt: now - int(r, 0, 60_000),
        queryStartMs: chance(r, 0.7) ? s.queryStartMs : 1,
      });
  }
  // At most the limit inside the window (what a governor that obeys it has), some older ones.
  const inWindow = Array.from({ length: int(r, 0, limit) }, () => now - int(r, 0, RATE_WINDOW_MS - 1));
  const older = Array.from({ length: int(r, 0, 5) }, () => now - int(r, RATE_WINDOW_MS, 2 * RATE_WINDOW_MS));
  return {
    recentActions: [...inWindow, ...older],
    cancels,
    shedding: chance(r, 0.3),
    circuit: randomCircuit(r, now),
  };
}

const LISTEN = /^\s*(\/\*.*?\*\/\s*)*listen\b/i;
const regexes = new Map<string, RegExp>();
function regex(entry: string): RegExp {
  let compiled = regexes.get(entry);
  if (!compiled) regexes.set(entry, (compiled = new RegExp(entry.slice(1, -1))));
  return compiled;
}

/** The safety rules, restated: why a session may never be chosen. */
function mustNeverChoose(s: GovernedSession, settings: GovernorSettings): string | undefined {
  const matches = (value: string | null, entries: string[]) =>
    entries.some((e) =>
      e.startsWith('/') && e.endsWith('/') ? regex(e).test(value ?? '') : e === (value ?? ''),
    );
  if (s.isSelf) return 'self';
  if ((s.applicationName ?? '').toLowerCase().startsWith('pg-governor')) return 'own application';
  if (s.backendType !== 'client backend') return 'non-client';
  if (s.isReplicationRole) return 'replication';
  if (s.isSuperuser && !settings.allow_superuser_termination) return 'superuser';
  if (matches(s.usename, settings.protected.users)) return 'protected user';
  if (matches(s.datname, settings.protected.databases)) return 'protected database';
  if (matches(s.applicationName, settings.protected.applications)) return 'protected application';
  if (settings.protect_listen && LISTEN.test(s.query ?? '')) return 'LISTEN';
  return undefined;
}

const POPULATIONS = 10_000;

it(`never chooses an excluded session nor exceeds a limit, over ${POPULATIONS} random populations`, () => {
  const r = rng(20240601);
  let chosenTotal = 0;
  let excludedSeen = 0;
  const failures: string[] = [];
  for (let i = 0; i < POPULATIONS; i++) {
    const now = 1_700_000_000_000 + i * 1000;
    const snapshot = randomSnapshot(r, now, 150);
    const settings = randomSettings(r);
    const state = randomState(r, snapshot, now, settings.max_actions_per_minute);
    const d = decide(snapshot, settings, state, now);
    const byPid = new Map(snapshot.sessions.map((s) => [s.pid, s]));
    const fail = (what: string) => failures.push(`population ${i}: ${what}`);

    for (const c of d.chosen) {
      const s = byPid.get(c.pid);
      if (!s || s.backendStartUs !== c.backendStartUs)
        fail(`pid ${c.pid} is not the session in the snapshot`);
      else {
        const excluded = mustNeverChoose(s, settings);
        if (excluded) fail(`chose pid ${c.pid}: ${excluded}`);
        if (!c.requalify.states.includes(s.state ?? ''))
          fail(`pid ${c.pid} in state ${s.state} requalified as ${c.requalify.states.join('|')}`);
      }
    }
    excludedSeen += snapshot.sessions.filter((s) => mustNeverChoose(s, settings) !== undefined).length;
    chosenTotal += d.chosen.length;

    if (new Set(d.chosen.map((c) => c.pid)).size !== d.chosen.length) fail('a session chosen twice');
    if (d.chosen.length > settings.max_actions_per_cycle)
      fail(`${d.chosen.length} chosen, per-cycle limit ${settings.max_actions_per_cycle}`);
    const inWindow = state.recentActions.filter((t) => t > now - RATE_WINDOW_MS).length;
    if (d.chosen.length + inWindow > settings.max_actions_per_minute && d.chosen.length > 0)
      fail(
        `${d.chosen.length} chosen with ${inWindow} in the last minute, per-minute limit ${settings.max_actions_per_minute}`,
      );
    const c = state.circuit;
    if ((c.state === 'open' || (c.state === 'half-open' && c.probing)) && d.chosen.length > 0)
      fail(`chose with the circuit ${c.state}`);
    if (c.state === 'half-open' && d.chosen.length > 1) fail('more than one probe');
  }
  expect(failures.slice(0, 10)).toEqual([]);
  // The generator does exercise both sides.
  expect(chosenTotal).toBeGreaterThan(POPULATIONS / 4);
  expect(excludedSeen).toBeGreaterThan(POPULATIONS);
});

it('never exceeds max_actions_per_minute in any 60 s window, over 200 random runs of 40 cycles', () => {
  const r = rng(7);
  const failures: string[] = [];
  for (let run = 0; run < 200; run++) {
    const settings = randomSettings(r);
    let now = 1_700_000_000_000;
    let state: GovernorState = {
      recentActions: [],
      cancels: new Map(),
      shedding: false,
      circuit: { state: 'closed', failures: 0 },
    };
    const taken: number[] = [];
    for (let cycle = 0; cycle < 40; cycle++) {
      now += int(r, 200, 10_000);
      const d = decide(randomSnapshot(r, now, 60), settings, state, now);
      if (d.chosen.length > settings.max_actions_per_cycle)
        failures.push(`run ${run}: per-cycle limit exceeded`);
      taken.push(...d.chosen.map(() => now));
      state = {
        ...state,
        shedding: d.shedding,
        recentActions: [...state.recentActions, ...d.chosen.map(() => now)],
      };
    }
    // Sliding window over the (sorted) action times: the most in any 60 s.
    let from = 0;
    for (let to = 0; to < taken.length; to++) {
      while ((taken[to] as number) - (taken[from] as number) >= RATE_WINDOW_MS) from += 1;
      if (to - from + 1 > settings.max_actions_per_minute)
        failures.push(`run ${run}: ${to - from + 1} actions within 60 s`);
    }
  }
  expect(failures.slice(0, 10)).toEqual([]);
});
