import { Sample, Snapshot, SnapshotRow } from '../types';

/** A row of sql/collectors/index-bloat.pg*.sql. */
export interface IndexBloatRow {
  datname: string;
  schemaname: string;
  relname: string;
  indexrelname: string;
  index_bytes: number;
  expected_bytes: number;
  bloat_bytes: number;
  bloat_ratio: number;
  reltuples: number;
  fillfactor: number;
  is_na: boolean;
  [key: string]: unknown;
}

/** Estimated b-tree index bloat: samples for the indexes the estimate applies to, a row for each. */
export function deriveIndexBloat(rows: IndexBloatRow[]): { samples: Sample[]; snapshot: Snapshot } {
  const samples: Sample[] = [];
  // As for tables: an index whose estimate is not applicable gets no sample rather than a wrong one.
  for (const r of rows) {
    if (r.is_na) continue;
    const labels = {
      datname: r.datname,
      schemaname: r.schemaname,
      relname: r.relname,
      indexrelname: r.indexrelname,
    };
    samples.push(
      { metric: 'pg_index_bloat_bytes', labels, value: r.bloat_bytes },
      { metric: 'pg_index_bloat_ratio', labels, value: r.bloat_ratio },
    );
  }
  return {
    samples,
    snapshot: {
      kind: 'index_bloat',
      rows: rows.map((r): SnapshotRow => ({
        datname: r.datname,
        schemaname: r.schemaname,
        relname: r.relname,
        indexrelname: r.indexrelname,
        index_bytes: r.index_bytes,
        expected_bytes: r.is_na ? null : r.expected_bytes,
        bloat_bytes: r.is_na ? null : r.bloat_bytes,
        bloat_ratio: r.is_na ? null : r.bloat_ratio,
        fillfactor: r.fillfactor,
        estimate_applicable: !r.is_na,
      })),
    },
  };
}
