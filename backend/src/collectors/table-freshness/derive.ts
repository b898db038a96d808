import { deadRatio } from '../relations/derive';
import { CollectResult, Labels, Sample, SnapshotRow } from '../types';

/** A row of sql/collectors/table_freshness.pg*.sql. */
export interface TableFreshnessRow {
  datname: string;
  schemaname: string;
  relname: string;
  live_tuples: number;
  dead_tuples: number;
  mods_since_analyze: number;
  inserts_since_vacuum: number;
  last_vacuum_ms: number | null;
  last_autovacuum_ms: number | null;
  last_analyze_ms: number | null;
  last_autoanalyze_ms: number | null;
  vacuum_count: number;
  autovacuum_count: number;
  analyze_count: number;
  autoanalyze_count: number;
  server_now_ms: number;
  [key: string]: unknown;
}

type TimeColumn = 'last_vacuum_ms' | 'last_autovacuum_ms' | 'last_analyze_ms' | 'last_autoanalyze_ms';
type NumberColumn =
  | 'mods_since_analyze'
  | 'inserts_since_vacuum'
  | 'vacuum_count'
  | 'autovacuum_count'
  | 'analyze_count'
  | 'autoanalyze_count';

/** Age gauges: seconds since the event; absent while it never happened. */
export const AGE_METRICS: [TimeColumn, string, string][] = [
  ['last_vacuum_ms', 'pg_table_last_vacuum_seconds', 'Seconds since the last manual VACUUM'],
  ['last_autovacuum_ms', 'pg_table_last_autovacuum_seconds', 'Seconds since the last autovacuum'],
  ['last_analyze_ms', 'pg_table_last_analyze_seconds', 'Seconds since the last manual ANALYZE'],
  ['last_autoanalyze_ms', 'pg_table_last_autoanalyze_seconds', 'Seconds since the last autoanalyze'],
];

/** Live and dead rows are in the snapshot only: the relations collector exports them as metrics. */
export const VALUE_METRICS: [NumberColumn, string, 'gauge' | 'counter', string][] = [
  ['mods_since_analyze', 'pg_table_mods_since_analyze', 'gauge', 'Rows modified since the last analyze'],
  ['inserts_since_vacuum', 'pg_table_inserts_since_vacuum', 'gauge', 'Rows inserted since the last vacuum'],
  ['vacuum_count', 'pg_table_vacuums_total', 'counter', 'Manual VACUUMs'],
  ['autovacuum_count', 'pg_table_autovacuums_total', 'counter', 'Autovacuums'],
  ['analyze_count', 'pg_table_analyzes_total', 'counter', 'Manual ANALYZEs'],
  ['autoanalyze_count', 'pg_table_autoanalyzes_total', 'counter', 'Autoanalyzes'],
];

const ageSeconds = (atMs: number | null, nowMs: number): number | null =>
  atMs === null ? null : Math.max(0, (nowMs - atMs) / 1000);

const latest = (a: number | null, b: number | null): number | null =>
  a === null ? b : b === null ? a : Math.max(a, b);

/** Freshness gauges per table and the 'vacuum' snapshot (vacuum health). */
export function deriveTableFreshness(rows: TableFreshnessRow[]): CollectResult {
  const samples: Sample[] = [];
  const snapshotRows: SnapshotRow[] = [];
  for (const row of rows) {
    const labels: Labels = { datname: row.datname, schemaname: row.schemaname, relname: row.relname };
    for (const [column, metric] of AGE_METRICS) {
      const age = ageSeconds(row[column], row.server_now_ms);
      if (age !== null) samples.push({ metric, labels, value: age });
    }
    for (const [column, metric] of VALUE_METRICS) samples.push({ metric, labels, value: row[column] });
    snapshotRows.push({
      datname: row.datname,
      schemaname: row.schemaname,
      relname: row.relname,
      live_tuples: row.live_tuples,
      dead_tuples: row.dead_tuples,
      dead_percent: 100 * deadRatio(row.live_tuples, row.dead_tuples),
      mods_since_analyze: row.mods_since_analyze,
      inserts_since_vacuum: row.inserts_since_vacuum,
      last_vacuum: row.last_vacuum_ms,
      last_autovacuum: row.last_autovacuum_ms,
      last_analyze: row.last_analyze_ms,
      last_autoanalyze: row.last_autoanalyze_ms,
      since_vacuum_seconds: ageSeconds(latest(row.last_vacuum_ms, row.last_autovacuum_ms), row.server_now_ms),
      since_analyze_seconds: ageSeconds(
        latest(row.last_analyze_ms, row.last_autoanalyze_ms),
        row.server_now_ms,
      ),
      vacuum_count: row.vacuum_count,
      autovacuum_count: row.autovacuum_count,
      analyze_count: row.analyze_count,
      autoanalyze_count: row.autoanalyze_count,
    });
  }
  return { samples, snapshots: [{ kind: 'vacuum', rows: snapshotRows }] };
}
