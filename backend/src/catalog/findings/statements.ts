import { sql } from '../alerts/helpers';
import { FindingKind, runbookOf } from './types';

export const STATEMENT_FINDINGS: FindingKind[] = [
  {
    id: 'statement_regression',
    title: 'Statement slower than its own baseline',
    category: 'queries',
    description:
      'A statement (pg_stat_statements entry) took, per call over the recent window, several times as long as its own mean before the window: a plan change, stale statistics, a dropped index, more data read or lock waits.',
    severity: 'warning',
    inputs: [{ collector: 'statements', queries: ['statements'] }],
    rowCounters: {
      snapshot: 'top_statements',
      key: ['queryid', 'datname', 'user', 'toplevel'],
      columns: ['calls', 'total_time_ms'],
    },
    params: {
      window_s: { default: 900, unit: 'seconds', description: 'Recent window the mean is measured over' },
      min_ratio: {
        default: 2,
        unit: 'ratio',
        description: 'Mean time per call in the window / mean before it, at least',
      },
      min_mean_s: {
        default: 0.01,
        unit: 'seconds',
        description: 'Mean time per call in the window, at least (fast statements jitter)',
      },
      min_calls: { default: 20, unit: 'count', description: 'Calls in the window, at least' },
      min_baseline_calls: {
        default: 100,
        unit: 'count',
        description: 'Calls counted before the window (the baseline), at least',
      },
    },
    anchors:
      'pganalyze Queries: Slowness (a query slower than its own history); the ratio, floor and call counts are ours',
    runbook: runbookOf('statement_regression'),
    guide: {
      meaning:
        'A statement that used to be fast now takes several times as long per call: its users wait, it holds locks and connections longer, and a busy one can take the whole server down with it. The usual causes: the planner chose another plan (stale or changed statistics, a new parameter value, a dropped or invalid index), the data it reads grew or left the cache, or it waits for locks.',
      checks: [
        {
          what: 'In the database of the finding: the statement, with its timing and buffers since its counters began (queryid from the finding).',
          sql: sql`
            SELECT queryid, calls, round(mean_exec_time::numeric, 2) AS mean_ms,
                   round(stddev_exec_time::numeric, 2) AS stddev_ms, round(max_exec_time::numeric, 2) AS max_ms,
                   rows, shared_blks_hit, shared_blks_read, temp_blks_written, left(query, 300) AS query
            FROM pg_stat_statements
            ORDER BY mean_exec_time * calls DESC
            LIMIT 20;`,
        },
        {
          what: 'Whether its tables changed a lot since their last ANALYZE (a stale estimate flips plans).',
          sql: sql`
            SELECT schemaname, relname, n_live_tup, n_mod_since_analyze, last_analyze, last_autoanalyze
            FROM pg_stat_user_tables
            ORDER BY n_mod_since_analyze DESC
            LIMIT 20;`,
        },
        {
          what: 'Sessions running it now and what they wait for (a lock wait shows as wait_event_type Lock).',
          sql: sql`
            SELECT pid, usename, state, wait_event_type, wait_event, now() - query_start AS running_for,
                   left(query, 200) AS query
            FROM pg_stat_activity
            WHERE state = 'active' AND backend_type = 'client backend'
            ORDER BY query_start;`,
        },
      ],
      remediation: [
        'Run the statement (the text of the finding, with representative parameter values) under `EXPLAIN (ANALYZE, BUFFERS)` in a session of its database, off-peak or on a copy if it writes, and compare the plan with what it should be: a sequential scan where an index scan was, row estimates far from the actual rows.',
        'Stale estimates: `ANALYZE (VERBOSE) <schema>.<table>;` for the tables it reads (cheap: a sample), then check the plan again.',
        'A missing or invalid index: recreate it with `CREATE INDEX CONCURRENTLY` (see the invalid_index finding).',
        'Lock waits: find the blocker (the blocking_chain finding) rather than tuning the statement.',
        'The baseline is the mean pg_stat_statements has counted for the entry: `pg_stat_statements_reset()` discards it, and the next finding then compares with the regressed times only. Reset after the fix, not before.',
      ],
    },
  },
];
