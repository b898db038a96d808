import { CollectResult, Sample, SnapshotRow } from '../types';

/**
 * A row of sql/collectors/unused-indexes.pg*.sql. Every row carries the totals; with no unused index
 * there is one row whose per-index columns are null.
 */
export interface UnusedIndexRow {
  unused_count: number;
  unused_estimated_bytes: number;
  schemaname: string | null;
  relname: string | null;
  indexrelname: string | null;
  size_bytes: number | null;
  /** False for a partitioned index: the sum of its partitions' relpages estimates. */
  size_exact: boolean | null;
  /** Partition indexes rolled up into a partitioned index (0 for a plain index). */
  partitions: number | null;
  idx_scan: number | null;
  is_valid: boolean | null;
  definition: string | null;
  stats_reset_ms: number | null;
  [key: string]: unknown;
}

/** Count and estimated size of all never-scanned droppable indexes, and the Top-N of them by size. */
export function deriveUnusedIndexes(datname: string, rows: UnusedIndexRow[]): CollectResult {
  const first = rows[0];
  const samples: Sample[] = [
    { metric: 'pg_unused_indexes', labels: { datname }, value: first?.unused_count ?? 0 },
    { metric: 'pg_unused_index_bytes', labels: { datname }, value: first?.unused_estimated_bytes ?? 0 },
  ];
  const snapshotRows: SnapshotRow[] = [];
  for (const r of rows) {
    // No index in this row (none unused), or one dropped between ranking and sizing.
    if (r.indexrelname === null || r.schemaname === null || r.relname === null || r.size_bytes === null)
      continue;
    samples.push({
      metric: 'pg_index_unused',
      labels: { datname, schemaname: r.schemaname, relname: r.relname, indexrelname: r.indexrelname },
      value: r.size_bytes,
    });
    snapshotRows.push({
      schemaname: r.schemaname,
      relname: r.relname,
      indexrelname: r.indexrelname,
      size_bytes: r.size_bytes,
      size_exact: r.size_exact,
      partitions: r.partitions,
      idx_scan: r.idx_scan,
      is_valid: r.is_valid,
      definition: r.definition,
      stats_reset: r.stats_reset_ms,
    });
  }
  return { samples, snapshots: [{ kind: 'unused_indexes', rows: snapshotRows }] };
}
