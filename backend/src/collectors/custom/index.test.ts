import { CustomMetricConfig } from '../../config/schema';
import { CollectContext, CollectResult } from '../types';
import { customMetricsCollectors } from '.';

const metric = (name: string, overrides: Partial<CustomMetricConfig> = {}): CustomMetricConfig => ({
  name,
  help: name,
  sql: `SELECT 1 AS n /* ${name} */`,
  interval_s: 60,
  value_columns: ['n'],
  label_columns: [],
  max_rows: 100,
  ...overrides,
});

/** A context whose configured queries answer from `answer` and advance a fake clock by their cost. */
function fakeContext(options: {
  target?: string;
  now: number;
  state: Map<string, unknown>;
  budgetMs?: number;
  /** costMs: time the query takes, capped at its timeout unless it overruns (network, overhead). */
  answer: (
    sql: string,
    timeoutMs: number,
  ) => { rows?: Record<string, unknown>[]; costMs?: number; overrun?: boolean; error?: Error };
}): { context: CollectContext; calls: { sql: string; timeoutMs: number; params: unknown[] }[] } {
  let clock = options.now;
  const deadline = options.now + (options.budgetMs ?? 5000);
  const calls: { sql: string; timeoutMs: number; params: unknown[] }[] = [];
  const context = {
    target: options.target ?? 'main',
    state: options.state,
    now: options.now,
    budgetLeftMs: () => Math.max(0, deadline - clock),
    async queryConfigured<Row>(
      sql: string,
      { params = [], timeoutMs }: { params?: unknown[]; timeoutMs: number },
    ) {
      calls.push({ sql, timeoutMs, params });
      const { rows = [], costMs = 10, overrun = false, error } = options.answer(sql, timeoutMs);
      clock += overrun ? costMs : Math.min(costMs, timeoutMs);
      if (error) throw error;
      return rows as Row[];
    },
  } as unknown as CollectContext;
  return { context, calls };
}

const value = (result: CollectResult, name: string, labels: Record<string, string> = {}) =>
  result.samples.find((s) => s.metric === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    ?.value;

describe('custom metrics collector', () => {
  it('runs each metric when its interval has elapsed and serves its last values in between', async () => {
    const [collector] = customMetricsCollectors({
      custom_metrics: [metric('fast', { interval_s: 10 }), metric('slow', { interval_s: 60 })],
    });
    const state = new Map<string, unknown>();
    let n = 0;
    const tick = async (now: number) => {
      const { context, calls } = fakeContext({ now, state, answer: () => ({ rows: [{ n: ++n }] }) });
      const result = await collector!.collect(context);
      return { result, ran: calls.map((c) => /\/\* (\w+) \*\//.exec(c.sql)?.[1]) };
    };
    const t0 = 1_000_000;
    expect((await tick(t0)).ran).toEqual(['fast', 'slow']);
    const second = await tick(t0 + 10_000);
    expect(second.ran).toEqual(['fast']);
    expect(value(second.result, 'pg_custom_fast_n')).toBe(3);
    expect(value(second.result, 'pg_custom_slow_n')).toBe(2); // served again from the first run
    // A tick that fires a little early still runs what is due.
    expect((await tick(t0 + 19_600)).ran).toEqual(['fast']);
    // Both due: the one that waited longest first.
    expect((await tick(t0 + 60_000)).ran).toEqual(['slow', 'fast']);
  });

  it('caps rows with a bound parameter of max_rows + 1', async () => {
    const [collector] = customMetricsCollectors({ custom_metrics: [metric('m', { max_rows: 7 })] });
    const { context, calls } = fakeContext({ now: 0, state: new Map(), answer: () => ({ rows: [] }) });
    await collector!.collect(context);
    expect(calls[0]?.params).toEqual([8]);
    expect(calls[0]?.sql).toMatch(/^SELECT \* FROM \(\nSELECT 1 AS n .*\n\) AS custom_metric LIMIT \$1$/);
  });

  it('gives each due metric a fair share of the budget left, so a slow one cannot starve the next', async () => {
    const [collector] = customMetricsCollectors({ custom_metrics: [metric('slow'), metric('next')] });
    const timeout = Object.assign(new Error('canceling statement due to statement timeout'), {
      code: '57014',
    });
    const { context, calls } = fakeContext({
      now: 0,
      state: new Map(),
      budgetMs: 5000,
      answer: (sql) => (sql.includes('slow') ? { costMs: 60_000, error: timeout } : { rows: [{ n: 1 }] }),
    });
    const result = await collector!.collect(context);
    expect(calls.map((c) => c.timeoutMs)).toEqual([2500, 2500]);
    expect(value(result, 'pg_custom_next_n')).toBe(1);
    expect(value(result, 'pgg_custom_metric_success', { metric: 'slow' })).toBe(0);
    expect(result.error).toBe(
      "custom metric slow: canceling statement due to statement timeout (its share of the loop's budget: 2500 ms)",
    );
  });

  it('leaves a metric for the next tick, first in line, when too little budget is left to start it', async () => {
    const [collector] = customMetricsCollectors({
      custom_metrics: [metric('a', { interval_s: 60 }), metric('b', { interval_s: 60 })],
    });
    const state = new Map<string, unknown>();
    const ran = async (now: number, costMs: number) => {
      const { context, calls } = fakeContext({
        now,
        state,
        budgetMs: 300,
        answer: () => ({ rows: [{ n: 1 }], costMs, overrun: true }),
      });
      const result = await collector!.collect(context);
      return { names: calls.map((c) => /\/\* (\w+) \*\//.exec(c.sql)?.[1]), result };
    };
    const first = await ran(0, 290);
    expect(first.names).toEqual(['a']);
    // Not run is not failed: no series for b yet, no error.
    expect(first.result.error).toBeUndefined();
    expect(value(first.result, 'pgg_custom_metric_success', { metric: 'b' })).toBeUndefined();
    expect((await ran(10_000, 10)).names).toEqual(['b']);
    // Both due again: the one that waited longest goes first.
    expect((await ran(70_000, 10)).names).toEqual(['a', 'b']);
  });

  it('runs only the metrics meant for the target', async () => {
    const [collector] = customMetricsCollectors({
      custom_metrics: [metric('everywhere'), metric('replica_only', { targets: ['replica'] })],
    });
    const { context, calls } = fakeContext({
      now: 0,
      state: new Map(),
      target: 'main',
      answer: () => ({ rows: [{ n: 1 }] }),
    });
    const result = await collector!.collect(context);
    expect(calls).toHaveLength(1);
    expect(result.samples.map((s) => s.metric)).toEqual([
      'pgg_custom_metric_success',
      'pg_custom_everywhere_n',
      'pgg_custom_metric_truncated',
    ]);
  });
});
