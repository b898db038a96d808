import { rowCounterMetric } from '../../catalog/findings';
import { Labels, SnapshotRow } from '../../collectors/types';
import { CounterIncrease } from '../types';
import { runCheck } from './testing/run-check';

interface Entry {
  queryid: string;
  user: string;
  /** Cumulative counters now. */
  calls: number;
  total_time_ms: number;
  /** Their increase over the window. */
  windowCalls: number;
  windowMs: number;
}

const labelsOf = (e: Entry): Labels => ({
  queryid: e.queryid,
  datname: 'shop',
  user: e.user,
  toplevel: 'true',
});

function run(entries: Entry[], params: Record<string, number> = {}) {
  const rows: SnapshotRow[] = entries.map((e) => ({
    ...labelsOf(e),
    toplevel: true,
    calls: e.calls,
    total_time_ms: e.total_time_ms,
    query: `SELECT * FROM orders WHERE id = $1 /* ${e.queryid} */`,
  }));
  const increases = (increase: (e: Entry) => number): CounterIncrease[] =>
    entries.map((e) => ({ labels: labelsOf(e), increase: increase(e), spanMs: 600_000 }));
  return runCheck(
    'statement_regression',
    { top_statements: rows },
    {
      params,
      increases: {
        [rowCounterMetric('top_statements', 'calls')]: increases((e) => e.windowCalls),
        [rowCounterMetric('top_statements', 'total_time_ms')]: increases((e) => e.windowMs),
      },
    },
  );
}

/** 1,000 calls at baseMs before the window, then windowCalls at windowMean. */
const entry = (
  queryid: string,
  baseMs: number,
  windowCalls: number,
  windowMean: number,
  user = 'app',
): Entry => ({
  queryid,
  user,
  calls: 1000 + windowCalls,
  total_time_ms: 1000 * baseMs + windowCalls * windowMean,
  windowCalls,
  windowMs: windowCalls * windowMean,
});

describe('statement_regression', () => {
  it('finds a statement whose mean per call over the window is twice its baseline', () => {
    const [finding, ...rest] = run([entry('42', 10, 50, 25), entry('43', 10, 50, 12)]);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      object: { type: 'statement', name: '42', database: 'shop' },
      severity: 'warning',
    });
    expect(finding?.title).toBe('Statement 42 (app): 25 ms a call, 2.5× its 10 ms before');
    expect(finding?.evidence[0]).toMatchObject({
      queryid: '42',
      query: 'SELECT * FROM orders WHERE id = $1 /* 42 */',
      window_calls: 50,
      window_mean_ms: 25,
      baseline_calls: 1000,
      baseline_mean_ms: 10,
    });
    expect(finding?.remediation.statements).toEqual([]);
    expect(finding?.remediation.steps.join(' ')).toMatch(/EXPLAIN \(ANALYZE, BUFFERS\)/);
  });

  it('leaves fast statements, few calls and thin baselines alone', () => {
    // 0.1 ms to 5 ms: fifty times slower, yet under the 10 ms floor.
    expect(run([entry('1', 0.1, 500, 5)])).toEqual([]);
    expect(run([entry('2', 10, 5, 100)])).toEqual([]);
    const thin: Entry = { ...entry('3', 10, 50, 100), calls: 80, total_time_ms: 30 * 10 + 50 * 100 };
    expect(run([thin])).toEqual([]);
    expect(run([entry('4', 10, 50, 25)], { min_ratio: 3 })).toEqual([]);
  });

  it('has no baseline after a reset in the window (every call counted is in it)', () => {
    const reset: Entry = { ...entry('5', 10, 50, 40), calls: 50, total_time_ms: 2000 };
    expect(run([reset])).toEqual([]);
  });

  it('keeps the entries of two roles apart, as pg_stat_statements does', () => {
    const findings = run([entry('42', 10, 50, 11, 'app'), entry('42', 100, 50, 300, 'report')]);
    expect(findings.map((f) => f.title)).toEqual([
      'Statement 42 (report): 300 ms a call, 3.0× its 100 ms before',
    ]);
  });
});
