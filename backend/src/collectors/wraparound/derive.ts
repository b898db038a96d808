import { CollectResult, Sample, SnapshotRow } from '../types';

/** XIDs and multixact IDs are 32-bit and compared modulo 2^32: a database stops at 2^31 of age. */
export const WRAPAROUND_LIMIT = 2 ** 31;

/** A row of sql/collectors/wraparound-databases.pg*.sql. */
export interface DatabaseAgeRow {
  datname: string;
  xid_age: number;
  mxid_age: number;
  freeze_max_age: number;
  multixact_freeze_max_age: number;
  [key: string]: unknown;
}

/** A row of sql/collectors/wraparound-tables.pg*.sql (the connected database's oldest tables). */
export interface TableAgeRow {
  datname: string;
  schemaname: string;
  relname: string;
  relkind: string;
  is_temporary: boolean;
  /** The older of the table and its TOAST table. */
  xid_age: number;
  table_xid_age: number;
  toast_xid_age: number | null;
  mxid_age: number;
  size_bytes: number;
  freeze_max_age: number;
  last_vacuum_ms: number | null;
  last_autovacuum_ms: number | null;
  [key: string]: unknown;
}

const ratio = (value: number, limit: number) => (limit > 0 ? value / limit : 0);

/** Ages per database against the autovacuum freeze limits and the hard 2^31 limit; the worst tables. */
export function deriveWraparound(databases: DatabaseAgeRow[], tables: TableAgeRow[]): CollectResult {
  const samples: Sample[] = [];
  const rows: SnapshotRow[] = [];
  for (const d of databases) {
    const labels = { datname: d.datname };
    samples.push(
      { metric: 'pg_database_xid_age', labels, value: d.xid_age },
      { metric: 'pg_database_mxid_age', labels, value: d.mxid_age },
      { metric: 'pg_database_xid_freeze_max_age_ratio', labels, value: ratio(d.xid_age, d.freeze_max_age) },
      {
        metric: 'pg_database_mxid_freeze_max_age_ratio',
        labels,
        value: ratio(d.mxid_age, d.multixact_freeze_max_age),
      },
      { metric: 'pg_database_xid_wraparound_ratio', labels, value: d.xid_age / WRAPAROUND_LIMIT },
      { metric: 'pg_database_mxid_wraparound_ratio', labels, value: d.mxid_age / WRAPAROUND_LIMIT },
    );
    rows.push({
      object: 'database',
      datname: d.datname,
      schemaname: null,
      relname: null,
      xid_age: d.xid_age,
      mxid_age: d.mxid_age,
      xid_freeze_max_age_ratio: ratio(d.xid_age, d.freeze_max_age),
      mxid_freeze_max_age_ratio: ratio(d.mxid_age, d.multixact_freeze_max_age),
      xid_wraparound_ratio: d.xid_age / WRAPAROUND_LIMIT,
      mxid_wraparound_ratio: d.mxid_age / WRAPAROUND_LIMIT,
    });
  }
  const worst = tables[0];
  if (worst)
    samples.push({
      metric: 'pg_table_xid_age_max',
      labels: { datname: worst.datname },
      value: worst.xid_age,
    });
  for (const t of tables) {
    rows.push({
      object: 'table',
      datname: t.datname,
      schemaname: t.schemaname,
      relname: t.relname,
      relkind: t.relkind,
      is_temporary: t.is_temporary,
      xid_age: t.xid_age,
      table_xid_age: t.table_xid_age,
      toast_xid_age: t.toast_xid_age,
      mxid_age: t.mxid_age,
      xid_freeze_max_age_ratio: ratio(t.xid_age, t.freeze_max_age),
      xid_wraparound_ratio: t.xid_age / WRAPAROUND_LIMIT,
      size_bytes: t.size_bytes,
      last_vacuum: t.last_vacuum_ms,
      last_autovacuum: t.last_autovacuum_ms,
    });
  }
  return { samples, snapshots: [{ kind: 'wraparound', rows }] };
}
