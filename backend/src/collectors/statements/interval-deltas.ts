/**
 * Calls and execution time of each Top-N entry in the last interval, from its cumulative counters
 * now and one cycle ago. Counters go backwards or restart after pg_stat_statements_reset() (all
 * entries, or one), or when an entry was evicted and came back: a delta is then never negative.
 * It is the counters since the reset, which all fall inside the interval (as Prometheus does for
 * a counter reset).
 */

/** Cumulative counters of one entry (userid, dbid, queryid, toplevel) at one cycle. */
export interface EntryCounters {
  calls: number;
  totalTimeMs: number;
  /** PG17+: when the entry started counting (a newer value means it was reset or re-created). */
  statsSinceMs: number | null;
}

/** What one cycle leaves for the next. Only the Top-N entries: bounded by 3 * top_n.statements. */
export interface PreviousCycle {
  /** The server's clock when it was read (statement_timestamp()), ms since epoch. */
  serverNowMs: number;
  /** pg_stat_statements_info.stats_reset: the last reset of all entries. */
  statsResetMs: number | null;
  entries: Map<string, EntryCounters>;
}

export interface IntervalDelta {
  calls: number;
  timeMs: number;
}

function wasReset(now: EntryCounters, before: EntryCounters): boolean {
  if (now.statsSinceMs !== null && before.statsSinceMs !== null && now.statsSinceMs !== before.statsSinceMs)
    return true;
  return now.calls < before.calls || now.totalTimeMs < before.totalTimeMs;
}

/**
 * The entry's calls and time since the previous cycle, or null when unknown: no previous cycle,
 * or the entry was not in the previous Top-N (its counters then were not read) and cannot be shown
 * to be new. Limit: on PG14-16 (no stats_since), an entry reset on its own and then called more
 * often than before within one interval is not detected; that interval then shows fewer calls
 * than it had (never a negative number).
 */
export function intervalDelta(
  key: string,
  now: EntryCounters,
  statsResetMs: number | null,
  previous: PreviousCycle | undefined,
): IntervalDelta | null {
  if (!previous) return null;
  const sinceStart = { calls: now.calls, timeMs: now.totalTimeMs };
  // pg_stat_statements_reset() of everything since the last cycle: every counter started at zero.
  if (statsResetMs !== null && previous.statsResetMs !== null && statsResetMs !== previous.statsResetMs)
    return sinceStart;
  const before = previous.entries.get(key);
  if (!before) {
    // Not read last cycle: only a PG17+ entry created since then is known to be all new.
    return now.statsSinceMs !== null && now.statsSinceMs > previous.serverNowMs ? sinceStart : null;
  }
  if (wasReset(now, before)) return sinceStart;
  return { calls: now.calls - before.calls, timeMs: now.totalTimeMs - before.totalTimeMs };
}
