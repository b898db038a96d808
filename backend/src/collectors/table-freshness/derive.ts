import { deadRatio } from '../relations/derive';
import { AGE_METRICS, VALUE_METRICS } from '../../catalog/collectors/table-freshness';
import { CollectResult, Labels, Sample, SnapshotRow } from '../types';

/** A row of sql/collectors/table-freshness.pg*.sql. */
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
