import { autovacuumRelation, deriveVacuumProgress, VACUUM_PHASES, VacuumProgressRow } from './derive';

function row(overrides: Partial<VacuumProgressRow> = {}): VacuumProgressRow {
  return {
    pid: 4242,
    datname: 'shop',
    relid: 16400,
    schemaname: 'public',
    relname: 'orders',
    phase: 'scanning heap',
    heap_blks_total: 1000,
    heap_blks_scanned: 250,
    heap_blks_vacuumed: 100,
    index_vacuum_count: 0,
    dead_tuples: 500,
    max_dead_tuples: 10_000,
    dead_tuple_bytes: null,
    max_dead_tuple_bytes: null,
    indexes_total: null,
    indexes_processed: null,
    is_autovacuum: false,
    is_wraparound: false,
    autovacuum_activity: null,
    duration_seconds: 12.5,
    ...overrides,
  };
}
const workers = { autovacuum_workers: 1, autovacuum_max_workers: 3 };
const value = (
  samples: { metric: string; labels: Record<string, string>; value: number }[],
  metric: string,
  phase?: string,
) => samples.find((s) => s.metric === metric && (phase === undefined || s.labels.phase === phase))?.value;

describe('autovacuumRelation', () => {
  it('reads the table from an autovacuum worker activity string', () => {
    expect(autovacuumRelation('autovacuum: VACUUM public.orders')).toBe('public.orders');
    expect(autovacuumRelation('autovacuum: VACUUM ANALYZE sales.line items')).toBe('sales.line items');
    expect(autovacuumRelation('autovacuum: VACUUM pg_catalog.pg_class (to prevent wraparound)')).toBe(
      'pg_catalog.pg_class',
    );
    expect(autovacuumRelation('VACUUM (VERBOSE) orders')).toBeNull();
    expect(autovacuumRelation(null)).toBeNull();
  });
});

describe('deriveVacuumProgress', () => {
  it('exports every phase, zero when idle, and the worker counts', () => {
    const { samples, snapshots } = deriveVacuumProgress([], {
      autovacuum_workers: 0,
      autovacuum_max_workers: 3,
    });
    expect(VACUUM_PHASES.map((phase) => value(samples, 'pg_vacuum_running', phase))).toEqual(
      VACUUM_PHASES.map(() => 0),
    );
    expect(value(samples, 'pg_autovacuum_workers_running')).toBe(0);
    expect(value(samples, 'pg_autovacuum_max_workers')).toBe(3);
    expect(snapshots).toEqual([{ kind: 'vacuum_progress', rows: [] }]);
  });

  it('counts vacuums by phase and anti-wraparound autovacuums', () => {
    const rows = [
      row(),
      row({ pid: 2, phase: 'scanning heap', is_autovacuum: true, is_wraparound: true }),
      row({ pid: 3, phase: 'vacuuming indexes' }),
    ];
    const { samples } = deriveVacuumProgress(rows, workers);
    expect(value(samples, 'pg_vacuum_running', 'scanning heap')).toBe(2);
    expect(value(samples, 'pg_vacuum_running', 'vacuuming indexes')).toBe(1);
    expect(value(samples, 'pg_autovacuum_wraparound_running')).toBe(1);
  });

  it('keeps a row per vacuum with progress, duration and the relation by either path', () => {
    const rows = [
      row(),
      // Autovacuum in another database: name from the activity string.
      row({
        pid: 7,
        datname: 'crm',
        schemaname: null,
        relname: null,
        is_autovacuum: true,
        autovacuum_activity: 'autovacuum: VACUUM ANALYZE public.leads',
      }),
      // Manual vacuum in another database: unknown name, relid kept.
      row({
        pid: 8,
        datname: 'crm',
        schemaname: null,
        relname: null,
        heap_blks_total: 0,
        heap_blks_scanned: 0,
      }),
    ];
    const snapshot = deriveVacuumProgress(rows, workers).snapshots?.[0]?.rows ?? [];
    expect(snapshot[0]).toMatchObject({
      pid: 4242,
      relation: 'public.orders',
      scanned_percent: 25,
      duration_seconds: 12.5,
      is_autovacuum: false,
    });
    expect(snapshot[1]).toMatchObject({ relation: 'public.leads', is_autovacuum: true });
    expect(snapshot[2]).toMatchObject({ relation: null, relid: 16400, scanned_percent: 0 });
  });

  it('carries the dead tuple columns of 17+ and clamps a negative duration from clock skew', () => {
    const pg17 = row({
      max_dead_tuples: null,
      dead_tuple_bytes: 6000,
      max_dead_tuple_bytes: 67_108_864,
      indexes_total: 2,
      indexes_processed: 1,
      duration_seconds: -0.01,
    });
    const [snapshotRow] = deriveVacuumProgress([pg17], workers).snapshots?.[0]?.rows ?? [];
    expect(snapshotRow).toMatchObject({
      max_dead_tuples: null,
      dead_tuple_bytes: 6000,
      max_dead_tuple_bytes: 67_108_864,
      indexes_total: 2,
      duration_seconds: 0,
    });
  });
});
