import { AlertState, evaluateAlerts } from './evaluator';
import { Series } from './expr/vector';
import { effectiveRules } from './rules';
import { WindowStore } from './windows';

const FAILURES = 'pg_database_checksum_failures_total';
const rule = effectiveRules().find((r) => r.definition.id === 'data_checksum_failure');
if (!rule) throw new Error('data_checksum_failure is not in the alert catalog');

/** A fleet's per-database counter: `targets` targets of 11 databases, one failing page on `failing`. */
function fleet(targets: number, failing?: string): Map<string, Series[]> {
  const series: Series[] = [];
  for (let t = 0; t < targets; t++)
    for (let d = 0; d < 11; d++) {
      const target = `t${String(t).padStart(3, '0')}`;
      const datname = `db${d}`;
      series.push({ labels: { target, datname }, value: target === failing && d === 0 ? 1 : 0 });
    }
  return new Map([[FAILURES, series]]);
}

describe('WindowStore', () => {
  it('keeps the history of every target of a 200-target replica, so the last one alerts too', () => {
    const windows = new WindowStore([rule], { minSpacingMs: 0, maxSeriesPerTarget: 1000 });
    const start = Date.UTC(2024, 0, 1);
    let state: AlertState = new Map();
    const readings = [fleet(200), fleet(200, 't199')];
    for (const [minute, samples] of readings.entries()) {
      const now = start + minute * 60_000;
      windows.record(samples, now);
      state = evaluateAlerts({ rules: [rule], samples, windows, state, now }).state;
    }
    expect(windows.range(FAILURES, start, start + 60_000)).toHaveLength(2200);
    expect(windows.droppedSeries).toBe(0);
    expect([...state.values()].map((s) => s.instance)).toEqual([
      expect.objectContaining({ target: 't199', datname: 'db0' }),
    ]);
  });

  it("bounds each target's series of a metric, and counts what it leaves out", () => {
    const windows = new WindowStore([rule], { minSpacingMs: 0, maxSeriesPerTarget: 4 });
    windows.record(fleet(3), 0);
    // 4 of each target's 11 databases, every target alike.
    const kept = windows.range(FAILURES, 0, 0);
    expect(kept).toHaveLength(12);
    expect(new Set(kept.map((s) => s.labels.target))).toEqual(new Set(['t000', 't001', 't002']));
    expect(windows.droppedSeries).toBe(21);
  });
});
