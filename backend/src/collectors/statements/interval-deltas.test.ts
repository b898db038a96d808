import { EntryCounters, intervalDelta, PreviousCycle } from './interval-deltas';

const counters = (calls: number, totalTimeMs: number, statsSinceMs: number | null = null): EntryCounters => ({
  calls,
  totalTimeMs,
  statsSinceMs,
});

function previous(
  entries: Record<string, EntryCounters>,
  statsResetMs: number | null = 1_000,
): PreviousCycle {
  return { serverNowMs: 60_000, statsResetMs, entries: new Map(Object.entries(entries)) };
}

describe('intervalDelta', () => {
  it('is unknown on the first cycle', () => {
    expect(intervalDelta('a', counters(10, 5), 1_000, undefined)).toBeNull();
  });

  it('is the difference of the cumulative counters', () => {
    expect(intervalDelta('a', counters(15, 8), 1_000, previous({ a: counters(10, 5) }))).toEqual({
      calls: 5,
      timeMs: 3,
    });
  });

  it('is zero for an entry that did not run', () => {
    expect(intervalDelta('a', counters(10, 5), 1_000, previous({ a: counters(10, 5) }))).toEqual({
      calls: 0,
      timeMs: 0,
    });
  });

  it('counts from zero after pg_stat_statements_reset() of everything, even when counters grew past the old ones', () => {
    expect(intervalDelta('a', counters(50, 90), 70_000, previous({ a: counters(10, 5) }))).toEqual({
      calls: 50,
      timeMs: 90,
    });
  });

  it('never goes negative when an entry was reset or evicted and re-created', () => {
    expect(intervalDelta('a', counters(3, 1), 1_000, previous({ a: counters(10, 5) }))).toEqual({
      calls: 3,
      timeMs: 1,
    });
    // Time went backwards while calls did not: a reset too.
    expect(intervalDelta('a', counters(12, 1), 1_000, previous({ a: counters(10, 5) }))).toEqual({
      calls: 12,
      timeMs: 1,
    });
  });

  it('sees a PG17+ single-entry reset through stats_since even when the counters grew', () => {
    expect(
      intervalDelta('a', counters(40, 50, 65_000), 1_000, previous({ a: counters(10, 5, 2_000) })),
    ).toEqual({ calls: 40, timeMs: 50 });
  });

  it('is unknown for an entry that was outside the previous Top-N', () => {
    expect(intervalDelta('b', counters(40, 50), 1_000, previous({ a: counters(1, 1) }))).toBeNull();
    expect(intervalDelta('b', counters(40, 50, 2_000), 1_000, previous({ a: counters(1, 1) }))).toBeNull();
  });

  it('counts all of a PG17+ entry created since the previous cycle', () => {
    expect(intervalDelta('b', counters(40, 50, 61_000), 1_000, previous({}))).toEqual({
      calls: 40,
      timeMs: 50,
    });
  });
});
