import { CheckpointHistory, CheckpointsRow, deriveCheckpoints, REQUESTED_RATIO_WINDOW_MS } from './derive';

function row(timed: number, requested: number, overrides: Partial<CheckpointsRow> = {}): CheckpointsRow {
  return {
    checkpoints_timed: timed,
    checkpoints_requested: requested,
    write_time_seconds: 12.5,
    sync_time_seconds: 0.25,
    buffers_written: 4000,
    buffers_clean: 300,
    maxwritten_clean: 2,
    buffers_alloc: 9000,
    stats_reset_ms: null,
    ...overrides,
  };
}
const ratio = (result: { samples: { metric: string; value: number }[] }) =>
  result.samples.find((s) => s.metric === 'pg_checkpoint_requested_ratio')?.value;

/** Runs cycles a minute apart, each with (timed, requested) as read. */
function cycles(readings: [number, number][], start = 0): ReturnType<typeof deriveCheckpoints> {
  let history: CheckpointHistory | undefined;
  let result: ReturnType<typeof deriveCheckpoints> | undefined;
  readings.forEach(([timed, requested], i) => {
    result = deriveCheckpoints(row(timed, requested), history, start + i * 60_000);
    history = result.history;
  });
  return result as ReturnType<typeof deriveCheckpoints>;
}

describe('deriveCheckpoints', () => {
  it('exports one schema of counters as read, and no ratio on the first cycle', () => {
    const result = deriveCheckpoints(row(10, 2), undefined, 0);
    const byName = Object.fromEntries(result.samples.map((s) => [s.metric, s.value]));
    expect(byName).toEqual({
      pg_checkpoints_timed_total: 10,
      pg_checkpoints_requested_total: 2,
      pg_checkpoint_write_time_seconds_total: 12.5,
      pg_checkpoint_sync_time_seconds_total: 0.25,
      pg_checkpoint_buffers_written_total: 4000,
      pg_bgwriter_buffers_clean_total: 300,
      pg_bgwriter_maxwritten_clean_total: 2,
      pg_buffers_alloc_total: 9000,
    });
  });

  it('is 0 when no checkpoint happened, not a division by zero', () => {
    expect(
      ratio(
        cycles([
          [10, 2],
          [10, 2],
        ]),
      ),
    ).toBe(0);
  });

  it('gives the requested share of the checkpoints since the first cycle within the window', () => {
    // +3 timed, +1 requested over three minutes: not the lifetime 2/12.
    expect(
      ratio(
        cycles([
          [10, 2],
          [11, 2],
          [13, 3],
        ]),
      ),
    ).toBe(1 / 4);
    // Thrash: only requested checkpoints.
    expect(
      ratio(
        cycles([
          [10, 2],
          [10, 5],
        ]),
      ),
    ).toBe(1);
  });

  it('forgets checkpoints older than the window', () => {
    const minutes = REQUESTED_RATIO_WINDOW_MS / 60_000;
    // 5 requested in the first minute, then only timed ones for more than the window.
    const readings: [number, number][] = [
      [0, 0],
      [0, 5],
    ];
    for (let i = 1; i <= minutes + 1; i++) readings.push([i, 5]);
    const result = cycles(readings);
    expect(ratio(result)).toBe(0);
    expect(result.history.points.length).toBeLessThanOrEqual(minutes + 2);
  });

  it('counts from the reset after pg_stat_reset_shared, never negative', () => {
    const first = deriveCheckpoints(row(50, 20), undefined, 0);
    // Reset in the interval, then 1 timed and 3 requested.
    const second = deriveCheckpoints(row(1, 3, { stats_reset_ms: 30_000 }), first.history, 60_000);
    expect(ratio(second)).toBe(3 / 4);
    // A count going back without stats_reset (stats lost in a crash) is a reset too.
    const crashed = deriveCheckpoints(row(0, 1), first.history, 60_000);
    expect(ratio(crashed)).toBe(1);
  });

  it('replaces the reading of a zero interval instead of adding one', () => {
    const first = deriveCheckpoints(row(10, 2), undefined, 5000);
    const second = deriveCheckpoints(row(10, 3), first.history, 5000);
    expect(second.history.points).toHaveLength(1);
    expect(ratio(second)).toBeUndefined();
  });
});
