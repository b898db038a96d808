import { presentQuery } from '../query-text';
import { CollectResult, Sample, SnapshotRow } from '../types';
import { EntryCounters, intervalDelta, PreviousCycle } from './interval-deltas';
import { approximateP95, poolMoments, TimingMoments } from './p95';

/**
 * A row of sql/collectors/statements.pg*.sql: the totals (same on every row) and one Top-N entry,
 * whose columns are all NULL on the single row returned when no entry qualifies. Times in ms.
 */
export interface StatementRow {
  tracked: number;
  dealloc: number | null;
  stats_reset_ms: number | null;
  server_now_ms: number;
  userid: number | null;
  dbid: number | null;
  toplevel: boolean | null;
  queryid: string | null;
  datname: string | null;
  username: string | null;
  plans: number | null;
  total_plan_time: number | null;
  calls: number | null;
  total_exec_time: number | null;
  mean_exec_time: number | null;
  stddev_exec_time: number | null;
  min_exec_time: number | null;
  max_exec_time: number | null;
  rows: number | null;
  shared_blks_hit: number | null;
  shared_blks_read: number | null;
  temp_blks_read: number | null;
  temp_blks_written: number | null;
  blk_read_time: number | null;
  blk_write_time: number | null;
  wal_bytes: number | null;
  stats_since_ms: number | null;
  [key: string]: unknown;
}

/** One pg_stat_statements entry: what the SQL returned for a non-empty row, NULLs as 0. */
interface Entry {
  key: string;
  queryid: string;
  datname: string;
  user: string;
  toplevel: boolean;
  counters: EntryCounters;
  timing: TimingMoments;
  plans: number;
  planTimeMs: number;
  rows: number;
  sharedBlksHit: number;
  sharedBlksRead: number;
  tempBlksRead: number;
  tempBlksWritten: number;
  blkReadTimeMs: number;
  blkWriteTimeMs: number;
  walBytes: number;
}

/** Identity of an entry in pg_stat_statements: (userid, dbid, queryid, toplevel). */
export function entryKey(row: Pick<StatementRow, 'userid' | 'dbid' | 'queryid' | 'toplevel'>): string {
  return `${row.userid}/${row.dbid}/${row.queryid}/${row.toplevel ? 't' : 'f'}`;
}

const n = (value: number | null): number => value ?? 0;

function toEntry(row: StatementRow): Entry | null {
  if (row.queryid === null || row.calls === null) return null;
  return {
    key: entryKey(row),
    queryid: row.queryid,
    datname: row.datname ?? '',
    user: row.username ?? '',
    toplevel: row.toplevel ?? true,
    counters: { calls: row.calls, totalTimeMs: n(row.total_exec_time), statsSinceMs: row.stats_since_ms },
    timing: {
      calls: row.calls,
      meanMs: n(row.mean_exec_time),
      stddevMs: n(row.stddev_exec_time),
      minMs: n(row.min_exec_time),
      maxMs: n(row.max_exec_time),
    },
    plans: n(row.plans),
    planTimeMs: n(row.total_plan_time),
    rows: n(row.rows),
    sharedBlksHit: n(row.shared_blks_hit),
    sharedBlksRead: n(row.shared_blks_read),
    tempBlksRead: n(row.temp_blks_read),
    tempBlksWritten: n(row.temp_blks_written),
    blkReadTimeMs: n(row.blk_read_time),
    blkWriteTimeMs: n(row.blk_write_time),
    walBytes: n(row.wal_bytes),
  };
}

export interface StatementsInput {
  rows: StatementRow[];
  previous: PreviousCycle | undefined;
  /** The cached text of a query id (truncated, not yet redacted); undefined or null when unknown. */
  textOf: (queryid: string) => string | null | undefined;
  redact: boolean;
}

export interface StatementsOutput extends CollectResult {
  /** To keep in state for the next cycle's deltas. */
  cycle: PreviousCycle;
}

/** The query ids of the Top-N entries in the rows (for the text lookup). */
export function queryIdsOf(rows: StatementRow[]): string[] {
  return rows.flatMap((r) => (r.queryid === null ? [] : [r.queryid]));
}

/**
 * Samples, the top_statements snapshot and the counters to keep, from one read of the Top-N.
 * Snapshot rows are per entry (one per user, database, query id and top-level flag). Metrics are
 * per (datname, queryid): entries of the same statement run by several roles, or both at top level
 * and nested, are summed (their timing pooled), so that a label set is never exported twice.
 * A sum covers only the entries in the Top-N, so it can drop when one of them leaves it.
 */
export function deriveStatements(input: StatementsInput): StatementsOutput {
  const first = input.rows[0];
  const serverNowMs = first?.server_now_ms ?? 0;
  const statsResetMs = first?.stats_reset_ms ?? null;
  const entries = input.rows.map(toEntry).filter((e): e is Entry => e !== null);

  const samples: Sample[] = [];
  if (first) {
    samples.push({ metric: 'pg_statements_tracked', labels: {}, value: first.tracked });
    if (first.dealloc !== null)
      samples.push({ metric: 'pg_statements_dealloc_total', labels: {}, value: first.dealloc });
  }
  samples.push(...statementSamples(entries));

  const intervalS = input.previous ? Math.max(0, (serverNowMs - input.previous.serverNowMs) / 1000) : null;
  const snapshotRows = entries
    .sort((a, b) => b.counters.totalTimeMs - a.counters.totalTimeMs)
    .map((e) =>
      snapshotRow(e, intervalDelta(e.key, e.counters, statsResetMs, input.previous), intervalS, input),
    );

  return {
    samples,
    snapshots: [{ kind: 'top_statements', rows: snapshotRows }],
    cycle: { serverNowMs, statsResetMs, entries: new Map(entries.map((e) => [e.key, e.counters])) },
  };
}

function statementSamples(entries: Entry[]): Sample[] {
  const groups = new Map<string, Entry[]>();
  for (const e of entries) {
    const key = `${e.datname}\u0000${e.queryid}`;
    const group = groups.get(key);
    if (group) group.push(e);
    else groups.set(key, [e]);
  }
  const samples: Sample[] = [];
  for (const group of groups.values()) {
    const { datname, queryid } = group[0] as Entry;
    const labels = { datname, queryid };
    const sum = (pick: (e: Entry) => number) => group.reduce((total, e) => total + pick(e), 0);
    const timing = poolMoments(group.map((e) => e.timing));
    samples.push(
      { metric: 'pg_statement_calls_total', labels, value: sum((e) => e.counters.calls) },
      {
        metric: 'pg_statement_exec_time_seconds_total',
        labels,
        value: sum((e) => e.counters.totalTimeMs) / 1000,
      },
      { metric: 'pg_statement_rows_total', labels, value: sum((e) => e.rows) },
      { metric: 'pg_statement_shared_blks_read_total', labels, value: sum((e) => e.sharedBlksRead) },
      { metric: 'pg_statement_shared_blks_hit_total', labels, value: sum((e) => e.sharedBlksHit) },
      { metric: 'pg_statement_temp_blks_written_total', labels, value: sum((e) => e.tempBlksWritten) },
      { metric: 'pg_statement_mean_time_seconds', labels, value: timing.meanMs / 1000 },
      { metric: 'pg_statement_p95_time_seconds', labels, value: approximateP95(timing) / 1000 },
    );
  }
  return samples;
}

function snapshotRow(
  e: Entry,
  delta: { calls: number; timeMs: number } | null,
  intervalS: number | null,
  input: StatementsInput,
): SnapshotRow {
  return {
    queryid: e.queryid,
    datname: e.datname,
    user: e.user,
    toplevel: e.toplevel,
    calls: e.counters.calls,
    total_time_ms: e.counters.totalTimeMs,
    mean_time_ms: e.timing.meanMs,
    p95_time_ms: approximateP95(e.timing),
    stddev_time_ms: e.timing.stddevMs,
    min_time_ms: e.timing.minMs,
    max_time_ms: e.timing.maxMs,
    rows: e.rows,
    shared_blks_hit: e.sharedBlksHit,
    shared_blks_read: e.sharedBlksRead,
    temp_blks_read: e.tempBlksRead,
    temp_blks_written: e.tempBlksWritten,
    blk_read_time_ms: e.blkReadTimeMs,
    blk_write_time_ms: e.blkWriteTimeMs,
    wal_bytes: e.walBytes,
    plans: e.plans,
    total_plan_time_ms: e.planTimeMs,
    interval_s: intervalS,
    interval_calls: delta?.calls ?? null,
    interval_time_ms: delta?.timeMs ?? null,
    query: presentQuery(input.textOf(e.queryid) ?? null, input.redact),
  };
}
