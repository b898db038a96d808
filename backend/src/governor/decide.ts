import { GovernorSettings } from '../config/schema';
import { circuitAllowance } from './circuit-breaker';
import { Action, ChosenAction, Decision, Requalification, Rule, SkippedSession } from './decision';
import { GovernorState, sessionKey, stillRunsCancelled } from './governor-state';
import { atLeast, Level, levelOf, mostBelow } from './levels';
import { perMinuteLeft } from './rate-limit';
import { CLIENT_BACKEND, isProtected } from './safety-filter';
import { ACTIVE, ActivitySnapshot, GovernedSession, IDLE, IDLE_IN_TRANSACTION } from './snapshot';

/** A session a rule selected, before the safety filter and the limits. */
interface Proposal {
  session: GovernedSession;
  action: Action;
  rule: Rule;
  reason: string;
  seconds: number;
  requalify: Requalification;
  /** Selected, but not to act on this cycle (e.g. a cancel's grace period): skipped with this. */
  heldBack?: string;
}

/** Proposals in priority order, and how many of them (not protected) are wanted. */
interface Group {
  proposals: Proposal[];
  want: number;
}

const secs = (s: number) => `${Math.round(s)} s`;
const percent = (ratio: number) => `${(ratio * 100).toFixed(1)} %`;
const stateAge = (s: GovernedSession) => s.stateSeconds ?? 0;
const queryAge = (s: GovernedSession) => s.querySeconds ?? s.stateSeconds ?? 0;

/** Longest first; pid breaks ties so that the same snapshot always gives the same order. */
function longestFirst(sessions: GovernedSession[], age: (s: GovernedSession) => number): GovernedSession[] {
  return [...sessions].sort((a, b) => age(b) - age(a) || a.pid - b.pid);
}

function inStates(sessions: GovernedSession[], states: string[]): GovernedSession[] {
  return sessions.filter((s) => s.state !== null && states.includes(s.state));
}

function proposal(
  session: GovernedSession,
  action: Action,
  rule: Rule,
  seconds: number,
  reason: string,
  requalify: Requalification,
): Proposal {
  return { session, action, rule, seconds, reason, requalify };
}

/** ≥ optimize: idle sessions over the limit, all of them; while shedding: by priority, as many as needed. */
function pressureGroup(
  clients: GovernedSession[],
  settings: GovernorSettings,
  level: Level,
  shedding: boolean,
  need: number,
  usage: number,
): Group | undefined {
  if (!shedding && !atLeast(level, 'optimize')) return undefined;
  const limit = settings.idle_terminate_after_s;
  const idle = longestFirst(inStates(clients, IDLE), stateAge);
  const stale = idle.filter((s) => stateAge(s) > limit);
  const staleProposals = stale.map((s) =>
    proposal(
      s,
      'terminate',
      'idle_over_limit',
      stateAge(s),
      `idle ${secs(stateAge(s))} (over ${secs(limit)}) at ${percent(usage)} usage`,
      {
        states: IDLE,
        stateOlderThanS: limit,
      },
    ),
  );
  if (!shedding) return { proposals: staleProposals, want: Number.POSITIVE_INFINITY };
  const shed = (s: GovernedSession, what: string, states: string[], age: number) =>
    proposal(
      s,
      'terminate',
      'shed_load',
      age,
      `shedding load at ${percent(usage)} usage: ${what} ${secs(age)}, longest first`,
      { states },
    );
  const proposals = [
    ...staleProposals,
    ...idle.filter((s) => stateAge(s) <= limit).map((s) => shed(s, 'idle', IDLE, stateAge(s))),
    ...longestFirst(inStates(clients, IDLE_IN_TRANSACTION), stateAge).map((s) =>
      shed(s, 'idle in transaction', IDLE_IN_TRANSACTION, stateAge(s)),
    ),
    ...longestFirst(inStates(clients, ACTIVE), queryAge).map((s) =>
      shed(s, 'query running', ACTIVE, queryAge(s)),
    ),
  ];
  const staleWanted = staleProposals.filter((p) => isProtected(p.session, settings) === undefined).length;
  return { proposals, want: Math.max(need, staleWanted) };
}

/** Whatever the pressure: idle in transaction longer than idle_in_transaction_timeout_s. */
function idleInTransactionGroup(clients: GovernedSession[], settings: GovernorSettings): Group | undefined {
  const limit = settings.idle_in_transaction_timeout_s;
  if (limit <= 0) return undefined;
  // Terminated straight away: a cancel is ignored by a backend waiting for its client's next command.
  const over = longestFirst(inStates(clients, IDLE_IN_TRANSACTION), stateAge).filter(
    (s) => stateAge(s) > limit,
  );
  return {
    proposals: over.map((s) =>
      proposal(
        s,
        'terminate',
        'idle_in_transaction_timeout',
        stateAge(s),
        `idle in transaction ${secs(stateAge(s))} (over ${secs(limit)})`,
        {
          states: IDLE_IN_TRANSACTION,
          stateOlderThanS: limit,
        },
      ),
    ),
    want: Number.POSITIVE_INFINITY,
  };
}

/** Whatever the pressure: cancel queries over active_query_timeout_s; terminate them if they outlive the grace. */
function activeQueryGroup(
  clients: GovernedSession[],
  settings: GovernorSettings,
  state: GovernorState,
  now: number,
): Group | undefined {
  const limit = settings.active_query_timeout_s;
  if (limit <= 0) return undefined;
  const grace = settings.cancel_grace_s;
  const over = longestFirst(inStates(clients, ACTIVE), queryAge).filter((s) => queryAge(s) > limit);
  const proposals = over.map((s): Proposal => {
    const cancel = state.cancels.get(sessionKey(s.pid, s.backendStartUs));
    if (!cancel || !stillRunsCancelled(s, cancel)) {
      return proposal(
        s,
        'cancel',
        'active_query_timeout',
        queryAge(s),
        `query running ${secs(queryAge(s))} (over ${secs(limit)}): cancel first`,
        {
          states: ACTIVE,
          queryOlderThanS: limit,
        },
      );
    }
    const since = (now - cancel.cancelledAt) / 1000;
    const escalate = proposal(
      s,
      'terminate',
      'still_running_after_cancel',
      queryAge(s),
      `query still running ${secs(queryAge(s))}, ${secs(since)} after its cancel (grace ${secs(grace)})`,
      {
        states: ACTIVE,
        queryOlderThanS: limit,
        ...(cancel.queryStartMs !== null ? { queryStartedByMs: cancel.queryStartMs } : {}),
      },
    );
    return since >= grace
      ? escalate
      : {
          ...escalate,
          heldBack: `cancelled ${secs(since)} ago; terminated if still running after ${secs(grace)}`,
        };
  });
  return { proposals, want: Number.POSITIVE_INFINITY };
}

function chosenOf(p: Proposal): ChosenAction {
  const s = p.session;
  return {
    pid: s.pid,
    backendStartUs: s.backendStartUs,
    action: p.action,
    rule: p.rule,
    reason: p.reason,
    state: s.state ?? 'unknown',
    seconds: p.seconds,
    usename: s.usename,
    datname: s.datname,
    applicationName: s.applicationName,
    queryStartMs: s.queryStartMs,
    requalify: p.requalify,
  };
}

/**
 * The governor's decision on one snapshot: pure, for a given (snapshot, settings, state, now).
 *
 * - ≥ warn: nothing to do but say so (and look more often: see the target governor).
 * - ≥ optimize: terminate idle sessions idle longer than idle_terminate_after_s, longest idle first.
 * - ≥ critical: shed load until usage would be below optimize (and keep shedding, cycle after cycle,
 *   until it is): idle, then idle in transaction, then active sessions, longest first.
 * - Independently of pressure, when configured: idle-in-transaction and active-query timeouts.
 *
 * Every candidate goes through the safety filter; at most max_actions_per_cycle are chosen, within
 * what is left of max_actions_per_minute and what the circuit breaker allows.
 */
export function decide(
  snapshot: ActivitySnapshot,
  settings: GovernorSettings,
  state: GovernorState,
  now: number,
): Decision {
  const level = levelOf(snapshot.usage, settings.thresholds);
  const shedding = level === 'critical' || (state.shedding && atLeast(level, 'optimize'));
  const need = shedding
    ? Math.max(0, snapshot.used - mostBelow(settings.thresholds.optimize, snapshot.usable))
    : 0;
  const clients = snapshot.sessions.filter((s) => s.backendType === CLIENT_BACKEND);
  const groups = [
    pressureGroup(clients, settings, level, shedding, need, snapshot.usage),
    idleInTransactionGroup(clients, settings),
    activeQueryGroup(clients, settings, state, now),
  ].filter((g): g is Group => g !== undefined);

  const limits = {
    perCycle: settings.max_actions_per_cycle,
    perMinuteLeft: perMinuteLeft(state.recentActions, settings.max_actions_per_minute, now),
    circuit: circuitAllowance(state.circuit),
  };
  const allowance = Math.min(limits.perCycle, limits.perMinuteLeft, limits.circuit);
  const chosen: ChosenAction[] = [];
  const skipped: SkippedSession[] = [];
  const limitReached = (): string => {
    if (chosen.length >= limits.circuit) {
      if (state.circuit.state === 'open') return 'circuit open';
      return chosen.length === 0
        ? 'circuit half-open: waiting for the probe to be judged'
        : 'circuit half-open: one probe at a time';
    }
    if (chosen.length >= limits.perMinuteLeft)
      return `per-minute limit (${settings.max_actions_per_minute}) reached`;
    return `per-cycle limit (${limits.perCycle}) reached`;
  };

  const seen = new Set<number>();
  const candidates = new Set<number>();
  for (const group of groups) {
    let wanted = 0;
    for (const p of group.proposals) {
      candidates.add(p.session.pid);
      if (wanted >= group.want || seen.has(p.session.pid)) continue;
      seen.add(p.session.pid);
      const skip = (why: string) =>
        skipped.push({ pid: p.session.pid, backendStartUs: p.session.backendStartUs, why });
      const protectedWhy = isProtected(p.session, settings);
      if (protectedWhy !== undefined) skip(protectedWhy);
      else if (p.heldBack !== undefined) skip(p.heldBack);
      else {
        wanted += 1;
        if (chosen.length >= allowance) skip(limitReached());
        else chosen.push(chosenOf(p));
      }
    }
  }

  return {
    target: snapshot.target,
    time: snapshot.time,
    level,
    usage: snapshot.usage,
    used: snapshot.used,
    usable: snapshot.usable,
    shedding,
    need,
    candidates: candidates.size,
    chosen,
    skipped,
    limits,
  };
}
