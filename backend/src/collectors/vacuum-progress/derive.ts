import { CollectResult, Sample, SnapshotRow } from '../types';

/** A row of sql/collectors/vacuum-progress.pg*.sql (the same columns on every major). */
export interface VacuumProgressRow {
  pid: number;
  datname: string | null;
  relid: number;
  /** Resolved only for vacuums in the connected database. */
  schemaname: string | null;
  relname: string | null;
  phase: string;
  heap_blks_total: number | null;
  heap_blks_scanned: number | null;
  heap_blks_vacuumed: number | null;
  index_vacuum_count: number | null;
  dead_tuples: number | null;
  /** 14-16 only. */
  max_dead_tuples: number | null;
  /** 17+ only. */
  dead_tuple_bytes: number | null;
  max_dead_tuple_bytes: number | null;
  indexes_total: number | null;
  indexes_processed: number | null;
  is_autovacuum: boolean;
  is_wraparound: boolean;
  /** The autovacuum worker's activity string; NULL for manual vacuums. */
  autovacuum_activity: string | null;
  duration_seconds: number | null;
  [key: string]: unknown;
}

/** The one row of sql/collectors/autovacuum-workers.pg*.sql. */
export interface AutovacuumWorkersRow {
  autovacuum_workers: number;
  autovacuum_max_workers: number;
  [key: string]: unknown;
}

/** Phases of pg_stat_progress_vacuum (14-18), each exported even when no vacuum is in it. */
export const VACUUM_PHASES = [
  'initializing',
  'scanning heap',
  'vacuuming indexes',
  'vacuuming heap',
  'cleaning up indexes',
  'truncating heap',
  'performing final cleanup',
];

// "autovacuum: VACUUM ANALYZE public.orders (to prevent wraparound)"; names are not quoted.
const AUTOVACUUM_ACTIVITY = /^autovacuum: VACUUM(?: ANALYZE)? (.+?)(?: \(to prevent wraparound\))?$/;

/** The schema-qualified table an autovacuum worker says it is vacuuming, or null. */
export function autovacuumRelation(activity: string | null): string | null {
  return activity ? (AUTOVACUUM_ACTIVITY.exec(activity)?.[1] ?? null) : null;
}

function relation(row: VacuumProgressRow): string | null {
  if (row.schemaname !== null && row.relname !== null) return `${row.schemaname}.${row.relname}`;
  return autovacuumRelation(row.autovacuum_activity);
}

function scannedPercent(row: VacuumProgressRow): number | null {
  if (row.heap_blks_total === null || row.heap_blks_scanned === null) return null;
  return row.heap_blks_total > 0 ? (100 * row.heap_blks_scanned) / row.heap_blks_total : 0;
}

/** Counts of running vacuums by phase and of autovacuum workers, and a row per running vacuum. */
export function deriveVacuumProgress(
  rows: VacuumProgressRow[],
  workers: AutovacuumWorkersRow,
): CollectResult {
  const byPhase = new Map<string, number>(VACUUM_PHASES.map((phase) => [phase, 0]));
  for (const row of rows) byPhase.set(row.phase, (byPhase.get(row.phase) ?? 0) + 1);
  const samples: Sample[] = [
    { metric: 'pg_autovacuum_workers_running', labels: {}, value: workers.autovacuum_workers },
    { metric: 'pg_autovacuum_max_workers', labels: {}, value: workers.autovacuum_max_workers },
    {
      metric: 'pg_autovacuum_wraparound_running',
      labels: {},
      value: rows.filter((r) => r.is_wraparound).length,
    },
    ...[...byPhase].map(([phase, value]) => ({ metric: 'pg_vacuum_running', labels: { phase }, value })),
  ];
  const snapshotRows: SnapshotRow[] = rows.map((row) => ({
    pid: row.pid,
    datname: row.datname,
    relation: relation(row),
    relid: row.relid,
    phase: row.phase,
    is_autovacuum: row.is_autovacuum,
    is_wraparound: row.is_wraparound,
    scanned_percent: scannedPercent(row),
    duration_seconds: row.duration_seconds === null ? null : Math.max(0, row.duration_seconds),
    heap_blks_total: row.heap_blks_total,
    heap_blks_scanned: row.heap_blks_scanned,
    heap_blks_vacuumed: row.heap_blks_vacuumed,
    index_vacuum_count: row.index_vacuum_count,
    indexes_total: row.indexes_total,
    indexes_processed: row.indexes_processed,
    dead_tuples: row.dead_tuples,
    max_dead_tuples: row.max_dead_tuples,
    dead_tuple_bytes: row.dead_tuple_bytes,
    max_dead_tuple_bytes: row.max_dead_tuple_bytes,
  }));
  return { samples, snapshots: [{ kind: 'vacuum_progress', rows: snapshotRows }] };
}
