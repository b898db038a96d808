import { rowCounterMetric } from '../../catalog/findings';
import { Labels, SnapshotRow } from '../../collectors/types';
import { Check, CheckInput, CounterIncrease, FindingDraft } from '../types';
import { count, duration, num, text } from './helpers';

const SNAPSHOT = 'top_statements';
const KEY = ['queryid', 'datname', 'user', 'toplevel'] as const;

const keyOf = (values: Labels | SnapshotRow) => KEY.map((k) => String(values[k] ?? '')).join('\u0000');

function increases(input: CheckInput, column: string): Map<string, CounterIncrease> {
  const windowMs = (input.params.window_s as number) * 1000;
  return new Map(
    input.increase(rowCounterMetric(SNAPSHOT, column), windowMs).map((i) => [keyOf(i.labels), i]),
  );
}

const ms = (value: number) => `${value < 10 ? value.toFixed(2) : Math.round(value)} ms`;

/**
 * statement_regression: a pg_stat_statements entry whose mean time per call over the window is
 * min_ratio times its mean before the window. The baseline is what pg_stat_statements counted for
 * the entry up to the window (its counters now less their increase in the window): the whole
 * history since its last reset, without keeping one here. Per entry (role, database, query id,
 * top level), as pg_stat_statements keeps them: the metrics' per-statement sums would mix a fast
 * role's calls with a slow one's as entries enter and leave the Top-N.
 */
export const statementRegression: Check = (input) => {
  const { rows, params } = input;
  const calls = increases(input, 'calls');
  const times = increases(input, 'total_time_ms');
  const findings: FindingDraft[] = [];
  for (const row of rows(SNAPSHOT)) {
    const key = keyOf(row);
    const windowCalls = calls.get(key)?.increase ?? 0;
    const windowMs = times.get(key)?.increase ?? 0;
    if (windowCalls < (params.min_calls as number) || windowCalls <= 0) continue;
    const recentMean = windowMs / windowCalls;
    if (recentMean < (params.min_mean_s as number) * 1000) continue;
    // A reset in the window leaves no baseline (the counters now are all in the window).
    const baseCalls = (num(row, 'calls') ?? 0) - windowCalls;
    const baseMs = (num(row, 'total_time_ms') ?? 0) - windowMs;
    if (baseCalls < (params.min_baseline_calls as number) || baseCalls <= 0 || baseMs <= 0) continue;
    const baseMean = baseMs / baseCalls;
    const ratio = recentMean / baseMean;
    if (ratio < (params.min_ratio as number)) continue;
    const queryid = text(row, 'queryid') ?? '?';
    const database = text(row, 'datname') ?? null;
    const user = text(row, 'user');
    const spanS = (calls.get(key)?.spanMs ?? 0) / 1000;
    const query = text(row, 'query');
    findings.push({
      object: { type: 'statement', name: queryid, database },
      key: keyOf(row),
      severity: 'warning',
      title: `Statement ${queryid}${user ? ` (${user})` : ''}: ${ms(recentMean)} a call, ${ratio.toFixed(1)}× its ${ms(baseMean)} before`,
      detail:
        `${count(windowCalls)} calls in the last ${duration(spanS)} took ${ms(recentMean)} each on average, against ${ms(baseMean)} over its ${count(baseCalls)} calls before` +
        `${row.toplevel === false ? ' (run inside a function or procedure)' : ''}.` +
        (query ? ` Query: ${query}` : ' Its text is not known yet.'),
      evidence: [
        {
          queryid,
          datname: database,
          user: user ?? null,
          toplevel: typeof row.toplevel === 'boolean' ? row.toplevel : null,
          query: query ?? null,
          window_seconds: Math.round(spanS),
          window_calls: windowCalls,
          window_mean_ms: recentMean,
          baseline_calls: baseCalls,
          baseline_mean_ms: baseMean,
          ratio,
        },
        row,
      ],
      remediation: {
        statements: [],
        steps: [
          `In database ${database ?? '?'}: run the statement with representative parameters under EXPLAIN (ANALYZE, BUFFERS) (off-peak, or inside BEGIN ... ROLLBACK if it writes) and compare the plan with the expected one: a sequential scan where an index scan was, estimates far from the actual rows.`,
          'If the estimates are off, ANALYZE the tables it reads (ANALYZE (VERBOSE) schema.table; cheap, a sample) and look at the plan again; if an index it used is gone or invalid, recreate it CONCURRENTLY.',
          'If it waits rather than works (wait_event_type Lock in pg_stat_activity), fix the blocker (blocking_chain finding), not the statement.',
          'The baseline is what pg_stat_statements counted before the window: a pg_stat_statements_reset() discards it. Reset after the fix, if at all.',
        ],
      },
    });
  }
  return findings;
};
