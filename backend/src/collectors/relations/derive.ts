import { TABLE_IO_COUNTERS } from '../../catalog/collectors/relations';
import { CollectResult, Sample, SnapshotRow } from '../types';

/** A row of sql/collectors/relations.pg*.sql: a Top-N relation by size, by dead tuples, or both. */
export interface RelationRow {
  schemaname: string;
  relname: string;
  relkind: string;
  /** 1-based rank by size, null when only in the dead-tuple ranking. */
  size_rank: number | null;
  dead_rank: number | null;
  /** Leaf partitions folded into a partitioned table. */
  partitions: number;
  /** False for partitioned tables: their sizes are relpages estimates summed over partitions. */
  size_exact: boolean;
  estimated_bytes: number | null;
  /** pg_table_size: heap, TOAST, free space and visibility maps. Null when the relation was dropped meanwhile. */
  table_bytes: number | null;
  indexes_bytes: number | null;
  toast_bytes: number | null;
  live_tuples: number | null;
  dead_tuples: number | null;
  seq_scan: number | null;
  idx_scan: number | null;
  /** Block I/O (pg_statio_user_tables): heap, all indexes, TOAST table with its index. */
  heap_blks_read: number | null;
  heap_blks_hit: number | null;
  idx_blks_read: number | null;
  idx_blks_hit: number | null;
  toast_blks_read: number | null;
  toast_blks_hit: number | null;
  last_vacuum_ms: number | null;
  last_autovacuum_ms: number | null;
  autovacuum_disabled: boolean;
  [key: string]: unknown;
}

/** A row of sql/collectors/relation-indexes.pg*.sql. */
export interface IndexSizeRow {
  schemaname: string;
  relname: string;
  indexrelname: string;
  size_bytes: number | null;
  idx_scan: number | null;
  [key: string]: unknown;
}

/** A row of sql/collectors/relation-counts.pg*.sql. */
export interface RelationCountRow {
  relkind: string;
  relations: number;
  [key: string]: unknown;
}

const RELKINDS: Record<string, string> = {
  r: 'table',
  p: 'partitioned_table',
  m: 'materialized_view',
  i: 'index',
  I: 'partitioned_index',
  S: 'sequence',
  v: 'view',
  c: 'composite_type',
  f: 'foreign_table',
  t: 'toast_table',
};

export const relkindName = (relkind: string): string => RELKINDS[relkind] ?? relkind;

/** dead / (live + dead); 0 for an empty table. */
export function deadRatio(live: number, dead: number): number {
  return live + dead > 0 ? dead / (live + dead) : 0;
}

/** Sizes, tuples and scans of the Top-N relations and indexes, and relation counts by kind. */
export function deriveRelations(
  datname: string,
  relations: RelationRow[],
  indexes: IndexSizeRow[],
  counts: RelationCountRow[],
): CollectResult {
  const samples: Sample[] = [];
  const storage: SnapshotRow[] = [];
  const vacuum: SnapshotRow[] = [];

  for (const r of relations) {
    const labels = { datname, schemaname: r.schemaname, relname: r.relname };
    const live = r.live_tuples ?? 0;
    const dead = r.dead_tuples ?? 0;
    const ratio = deadRatio(live, dead);
    const sized = r.size_rank !== null && r.table_bytes !== null && r.indexes_bytes !== null;
    if (sized) {
      const table = r.table_bytes as number;
      const indexes = r.indexes_bytes as number;
      samples.push(
        { metric: 'pg_relation_size_bytes', labels, value: table + indexes },
        { metric: 'pg_relation_table_bytes', labels, value: table },
        { metric: 'pg_relation_indexes_bytes', labels, value: indexes },
      );
    }
    samples.push(
      { metric: 'pg_table_live_tuples', labels, value: live },
      { metric: 'pg_table_dead_tuples', labels, value: dead },
      { metric: 'pg_table_dead_ratio', labels, value: ratio },
      { metric: 'pg_table_seq_scan_total', labels, value: r.seq_scan ?? 0 },
      { metric: 'pg_table_idx_scan_total', labels, value: r.idx_scan ?? 0 },
    );
    const io = TABLE_IO_COUNTERS.map((c) => [c, Number(r[c.column] ?? 0)] as const);
    for (const [c, value] of io) samples.push({ metric: c.metric, labels, value });
    const common = {
      schemaname: r.schemaname,
      relname: r.relname,
      kind: relkindName(r.relkind),
      live_tuples: live,
      dead_tuples: dead,
      dead_ratio: ratio,
    };
    if (sized) {
      storage.push({
        ...common,
        partitions: r.partitions,
        total_bytes: (r.table_bytes as number) + (r.indexes_bytes as number),
        table_bytes: r.table_bytes,
        indexes_bytes: r.indexes_bytes,
        toast_bytes: r.toast_bytes,
        size_exact: r.size_exact,
        seq_scan: r.seq_scan ?? 0,
        idx_scan: r.idx_scan ?? 0,
        ...Object.fromEntries(io.map(([c, value]) => [c.column, value])),
      });
    }
    if (r.dead_rank !== null) {
      vacuum.push({
        ...common,
        table_bytes: r.table_bytes,
        autovacuum_disabled: r.autovacuum_disabled,
        last_vacuum: r.last_vacuum_ms,
        last_autovacuum: r.last_autovacuum_ms,
      });
    }
  }

  for (const i of indexes) {
    if (i.size_bytes === null) continue; // dropped between ranking and sizing
    samples.push({
      metric: 'pg_index_size_bytes',
      labels: { datname, schemaname: i.schemaname, relname: i.relname, indexrelname: i.indexrelname },
      value: i.size_bytes,
    });
  }
  for (const c of counts)
    samples.push({
      metric: 'pg_relations_count',
      labels: { datname, relkind: relkindName(c.relkind) },
      value: c.relations,
    });

  vacuum.sort((a, b) => (b.dead_tuples as number) - (a.dead_tuples as number));
  return {
    samples,
    snapshots: [
      { kind: 'storage', rows: storage },
      { kind: 'vacuum_tuples', rows: vacuum },
    ],
  };
}
