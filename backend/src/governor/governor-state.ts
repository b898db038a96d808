import { CircuitState, CLOSED } from './circuit-breaker';
import { ACTIVE, GovernedSession } from './snapshot';

/** A query the governor cancelled (or, in dry-run, would have): terminated if it outlives the grace. */
export interface PendingCancel {
  cancelledAt: number;
  /** query_start of the cancelled query (ms, server clock): a later query is another one. */
  queryStartMs: number | null;
}

/** Actions taken under pressure, judged on the next snapshot (relief.ts). */
export interface PendingRelief {
  actedAt: number;
  /** Client backends in the snapshot acted on. */
  usedBefore: number;
  /** The sessions signalled (sessionKey): a snapshot that still shows one is too early to judge. */
  signalled: readonly string[];
}

/** What one target's governor carries from cycle to cycle; decide() reads it, never changes it. */
export interface GovernorState {
  /** When recent actions were taken (ms), for the per-minute limit. */
  recentActions: readonly number[];
  /** By sessionKey. */
  cancels: ReadonlyMap<string, PendingCancel>;
  /** A critical episode in progress (hysteresis: until usage is below optimize). */
  shedding: boolean;
  circuit: CircuitState;
  pendingRelief?: PendingRelief;
}

export const initialState = (): GovernorState => ({
  recentActions: [],
  cancels: new Map(),
  shedding: false,
  circuit: CLOSED,
});

/** pid alone is not an identity: the server reuses pids. */
export const sessionKey = (pid: number, backendStartUs: string): string => `${pid}:${backendStartUs}`;

/** Whether the session still runs the query that was cancelled. */
export function stillRunsCancelled(session: GovernedSession, cancel: PendingCancel): boolean {
  return (
    session.state !== null && ACTIVE.includes(session.state) && session.queryStartMs === cancel.queryStartMs
  );
}

/** The pending cancels whose query still runs; the others are done with (it ended, or the session went). */
export function liveCancels(
  cancels: ReadonlyMap<string, PendingCancel>,
  sessions: readonly GovernedSession[],
): Map<string, PendingCancel> {
  const live = new Map<string, PendingCancel>();
  if (cancels.size === 0) return live;
  const byKey = new Map(sessions.map((s) => [sessionKey(s.pid, s.backendStartUs), s]));
  for (const [key, cancel] of cancels) {
    const session = byKey.get(key);
    if (session && stillRunsCancelled(session, cancel)) live.set(key, cancel);
  }
  return live;
}
