import { deriveStatements, entryKey, StatementRow, StatementsInput } from './derive';
import { PreviousCycle } from './interval-deltas';

const totals = { tracked: 120, dealloc: 3, stats_reset_ms: 1_000, server_now_ms: 120_000 };

function row(over: Partial<StatementRow>): StatementRow {
  return {
    ...totals,
    userid: 10,
    dbid: 5,
    toplevel: true,
    queryid: '42',
    datname: 'shop',
    username: 'app',
    plans: 0,
    total_plan_time: 0,
    calls: 10,
    total_exec_time: 100,
    mean_exec_time: 10,
    stddev_exec_time: 0,
    min_exec_time: 10,
    max_exec_time: 10,
    rows: 10,
    shared_blks_hit: 50,
    shared_blks_read: 5,
    temp_blks_read: 0,
    temp_blks_written: 2,
    blk_read_time: 1.5,
    blk_write_time: 0,
    wal_bytes: 0,
    stats_since_ms: null,
    ...over,
  };
}

const EMPTY: StatementRow = {
  ...row({}),
  userid: null,
  dbid: null,
  toplevel: null,
  queryid: null,
  datname: null,
  username: null,
  calls: null,
  total_exec_time: null,
  mean_exec_time: null,
  tracked: 0,
};

function derive(rows: StatementRow[], over: Partial<StatementsInput> = {}) {
  return deriveStatements({ rows, previous: undefined, textOf: () => undefined, redact: true, ...over });
}

const value = (result: ReturnType<typeof derive>, metric: string, labels: Record<string, string> = {}) =>
  result.samples
    .filter((s) => s.metric === metric && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .map((s) => s.value);

const topStatements = (result: ReturnType<typeof derive>) =>
  result.snapshots?.find((s) => s.kind === 'top_statements')?.rows ?? [];

describe('deriveStatements', () => {
  it('exports the counters of an entry per database and query id, times in seconds', () => {
    const result = derive([row({})]);
    const labels = { datname: 'shop', queryid: '42' };
    expect(value(result, 'pg_statement_calls_total', labels)).toEqual([10]);
    expect(value(result, 'pg_statement_exec_time_seconds_total', labels)).toEqual([0.1]);
    expect(value(result, 'pg_statement_rows_total', labels)).toEqual([10]);
    expect(value(result, 'pg_statement_shared_blks_read_total', labels)).toEqual([5]);
    expect(value(result, 'pg_statement_shared_blks_hit_total', labels)).toEqual([50]);
    expect(value(result, 'pg_statement_temp_blks_written_total', labels)).toEqual([2]);
    expect(value(result, 'pg_statement_mean_time_seconds', labels)).toEqual([0.01]);
    expect(value(result, 'pg_statement_p95_time_seconds', labels)).toEqual([0.01]);
    expect(value(result, 'pg_statements_tracked')).toEqual([120]);
    expect(value(result, 'pg_statements_dealloc_total')).toEqual([3]);
  });

  it('sums one query id run by two users into one label set, and keeps a snapshot row per user', () => {
    const result = derive([
      row({
        userid: 10,
        username: 'app',
        calls: 10,
        total_exec_time: 100,
        mean_exec_time: 10,
        min_exec_time: 10,
        max_exec_time: 10,
      }),
      row({
        userid: 11,
        username: 'report',
        calls: 30,
        total_exec_time: 900,
        mean_exec_time: 30,
        min_exec_time: 30,
        max_exec_time: 30,
      }),
      row({
        queryid: '43',
        calls: 1,
        total_exec_time: 1,
        mean_exec_time: 1,
        min_exec_time: 1,
        max_exec_time: 1,
      }),
    ]);
    const labels = { datname: 'shop', queryid: '42' };
    expect(value(result, 'pg_statement_calls_total', labels)).toEqual([40]);
    expect(value(result, 'pg_statement_exec_time_seconds_total', labels)).toEqual([1]);
    expect(value(result, 'pg_statement_mean_time_seconds', labels)[0]).toBeCloseTo(0.025, 12);
    // Pooled: 10 calls at 10 ms and 30 at 30 ms; p95 lies between the means, at most the max.
    const p95 = value(result, 'pg_statement_p95_time_seconds', labels)[0] as number;
    expect(p95).toBeGreaterThan(0.025);
    expect(p95).toBeLessThanOrEqual(0.03);
    const labelSets = result.samples
      .filter((s) => s.metric === 'pg_statement_calls_total')
      .map((s) => JSON.stringify(s.labels));
    expect(new Set(labelSets).size).toBe(labelSets.length);
    expect(topStatements(result).map((r) => [r.queryid, r.user])).toEqual([
      ['42', 'report'],
      ['42', 'app'],
      ['43', 'app'],
    ]);
  });

  it('never labels a metric with a user name or query text', () => {
    const result = derive([row({ username: 'alice' })], { textOf: () => 'SELECT secret' });
    const labelNames = new Set(result.samples.flatMap((s) => Object.keys(s.labels)));
    expect([...labelNames].sort()).toEqual(['datname', 'queryid']);
    expect(result.samples.flatMap((s) => Object.values(s.labels))).not.toContain('alice');
  });

  it('puts the redacted, cached text in the snapshot, or the text as is when redaction is off', () => {
    const text = () => "SELECT * FROM users WHERE email = 'a@b.c'";
    expect(topStatements(derive([row({})], { textOf: text }))[0]?.query).toBe(
      'SELECT * FROM users WHERE email = ?',
    );
    expect(topStatements(derive([row({})], { textOf: text, redact: false }))[0]?.query).toBe(text());
    expect(topStatements(derive([row({})]))[0]?.query).toBeNull();
  });

  it('computes calls and time in the interval from the previous cycle, and keeps this one', () => {
    const first = derive([row({ calls: 10, total_exec_time: 100, server_now_ms: 60_000 })]);
    expect(topStatements(first)[0]).toMatchObject({
      interval_calls: null,
      interval_time_ms: null,
      interval_s: null,
    });
    const second = derive([row({ calls: 25, total_exec_time: 160, server_now_ms: 120_000 })], {
      previous: first.cycle,
    });
    expect(topStatements(second)[0]).toMatchObject({
      calls: 25,
      interval_calls: 15,
      interval_time_ms: 60,
      interval_s: 60,
    });
    expect(
      second.cycle.entries.get(entryKey({ userid: 10, dbid: 5, queryid: '42', toplevel: true })),
    ).toEqual({
      calls: 25,
      totalTimeMs: 160,
      statsSinceMs: null,
    });
  });

  it('shows no negative delta after pg_stat_statements_reset()', () => {
    const previous: PreviousCycle = {
      serverNowMs: 60_000,
      statsResetMs: 1_000,
      entries: new Map([
        [
          entryKey({ userid: 10, dbid: 5, queryid: '42', toplevel: true }),
          { calls: 500, totalTimeMs: 900, statsSinceMs: null },
        ],
      ]),
    };
    const afterReset = derive([row({ calls: 4, total_exec_time: 8, stats_reset_ms: 90_000 })], { previous });
    expect(topStatements(afterReset)[0]).toMatchObject({ interval_calls: 4, interval_time_ms: 8 });
  });

  it('tells top-level and nested runs of one statement apart in the snapshot and deltas', () => {
    const result = derive([row({ toplevel: true, calls: 1 }), row({ toplevel: false, calls: 2 })]);
    expect(
      topStatements(result)
        .map((r) => r.toplevel)
        .sort(),
    ).toEqual([false, true]);
    expect(result.cycle.entries.size).toBe(2);
    expect(value(result, 'pg_statement_calls_total', { queryid: '42' })).toEqual([3]);
  });

  it('reports the totals when no entry qualifies (the one all-NULL row)', () => {
    const result = derive([EMPTY]);
    expect(value(result, 'pg_statements_tracked')).toEqual([0]);
    expect(value(result, 'pg_statement_calls_total')).toEqual([]);
    expect(topStatements(result)).toEqual([]);
  });
});
