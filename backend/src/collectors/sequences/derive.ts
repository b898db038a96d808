import { CollectResult, Sample, SnapshotRow } from '../types';

/** A row of sql/collectors/sequences.pg*.sql. */
export interface SequenceRow {
  datname: string;
  schemaname: string;
  sequencename: string;
  data_type: string;
  table_schema: string | null;
  table_name: string | null;
  column_name: string | null;
  column_type: string | null;
  last_value: number | null;
  limit_value: number;
  increment_by: number;
  cycle: boolean;
  used_ratio: number | null;
  calls_left: number | null;
  sequences_total: number;
  unreadable: number;
  [key: string]: unknown;
}

/** Used share per readable sequence, the unreadable count, and the rows with what each feeds. */
export function deriveSequences(rows: SequenceRow[], datname: string): CollectResult {
  const samples: Sample[] = [
    { metric: 'pg_sequences_unreadable', labels: { datname }, value: rows[0]?.unreadable ?? 0 },
  ];
  const snapshot: SnapshotRow[] = [];
  for (const r of rows) {
    if (r.used_ratio !== null)
      samples.push({
        metric: 'pg_sequence_used_ratio',
        labels: { datname: r.datname, schemaname: r.schemaname, sequencename: r.sequencename },
        value: r.used_ratio,
      });
    snapshot.push({
      datname: r.datname,
      schemaname: r.schemaname,
      sequencename: r.sequencename,
      data_type: r.data_type,
      owned_by: r.table_name ? `${r.table_schema}.${r.table_name}.${r.column_name}` : null,
      table_schema: r.table_schema,
      table_name: r.table_name,
      column_name: r.column_name,
      column_type: r.column_type,
      last_value: r.last_value,
      limit_value: r.limit_value,
      increment_by: r.increment_by,
      cycle: r.cycle,
      used_ratio: r.used_ratio,
      calls_left: r.calls_left,
    });
  }
  return { samples, snapshots: [{ kind: 'sequences', rows: snapshot }] };
}
