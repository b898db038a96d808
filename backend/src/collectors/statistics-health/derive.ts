import { CollectResult, Sample, Snapshot, SnapshotRow } from '../types';

/** A row of sql/collectors/stale-statistics.pg*.sql. */
export interface StaleStatisticsRow {
  datname: string;
  schemaname: string;
  relname: string;
  reltuples: number;
  n_live_tup: number;
  n_mod_since_analyze: number;
  never_analyzed: boolean;
  last_analyzed_ms: number | null;
  /** All stale tables, not only the rows returned. */
  stale_count: number;
  [key: string]: unknown;
}

/** A row of sql/collectors/table-bloat.pg*.sql. */
export interface TableBloatRow {
  datname: string;
  schemaname: string;
  relname: string;
  table_bytes: number;
  expected_bytes: number;
  bloat_bytes: number;
  bloat_ratio: number;
  reltuples: number;
  fillfactor: number;
  is_na: boolean;
  [key: string]: unknown;
}

/**
 * Stale planner statistics (count and Top-N rows) and estimated table bloat. `stale` is undefined
 * when not collected (a standby: its statistics counters are its own, not the primary's).
 */
export function deriveStatisticsHealth(
  datname: string,
  stale: StaleStatisticsRow[] | undefined,
  bloat: TableBloatRow[],
): CollectResult {
  const samples: Sample[] = [];
  const snapshots: Snapshot[] = [];
  if (stale) {
    samples.push({
      metric: 'pg_tables_stale_statistics',
      labels: { datname },
      value: stale[0]?.stale_count ?? 0,
    });
    snapshots.push({
      kind: 'stale_statistics',
      rows: stale.map((r): SnapshotRow => ({
        datname: r.datname,
        schemaname: r.schemaname,
        relname: r.relname,
        reltuples: r.reltuples < 0 ? null : r.reltuples,
        n_live_tup: r.n_live_tup,
        n_mod_since_analyze: r.n_mod_since_analyze,
        modified_ratio: r.reltuples > 0 ? r.n_mod_since_analyze / r.reltuples : null,
        never_analyzed: r.never_analyzed,
        last_analyzed: r.last_analyzed_ms,
      })),
    });
  }
  // A table whose estimate is not applicable gets no sample: no number beats a wrong one.
  for (const b of bloat) {
    if (b.is_na) continue;
    const labels = { datname: b.datname, schemaname: b.schemaname, relname: b.relname };
    samples.push(
      { metric: 'pg_table_bloat_bytes', labels, value: b.bloat_bytes },
      { metric: 'pg_table_bloat_ratio', labels, value: b.bloat_ratio },
    );
  }
  snapshots.push({
    kind: 'table_bloat',
    rows: bloat.map((b): SnapshotRow => ({
      datname: b.datname,
      schemaname: b.schemaname,
      relname: b.relname,
      table_bytes: b.table_bytes,
      expected_bytes: b.is_na ? null : b.expected_bytes,
      bloat_bytes: b.is_na ? null : b.bloat_bytes,
      bloat_ratio: b.is_na ? null : b.bloat_ratio,
      fillfactor: b.fillfactor,
      estimate_applicable: !b.is_na,
    })),
  });
  return { samples, snapshots };
}
