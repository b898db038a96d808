import { SnapshotRow } from '../../collectors/types';
import { runCheck } from './testing/run-check';

/** A row of the vacuum_progress snapshot: 1,000 heap blocks. */
function vacuum(over: Partial<SnapshotRow>): SnapshotRow {
  return {
    pid: 4242,
    datname: 'shop',
    relation: 'public.orders',
    relid: 16400,
    phase: 'scanning heap',
    is_autovacuum: true,
    is_wraparound: false,
    heap_blks_total: 1000,
    heap_blks_scanned: 500,
    index_vacuum_count: 0,
    max_dead_tuples: null,
    max_dead_tuple_bytes: null,
    ...over,
  };
}

const run = (rows: SnapshotRow[], params: Record<string, number> = {}) =>
  runCheck('vacuum_index_passes', { vacuum_progress: rows }, { params });

const MB = 1024 ** 2;

describe('vacuum_index_passes', () => {
  it('finds an autovacuum whose memory ran out before the end of the table (17+: bytes)', () => {
    const [finding, ...rest] = run([
      vacuum({ index_vacuum_count: 1, max_dead_tuple_bytes: 64 * MB }),
      vacuum({ relation: 'public.small', index_vacuum_count: 0, max_dead_tuple_bytes: 64 * MB }),
    ]);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      object: { type: 'relation', name: 'public.orders', database: 'shop' },
      severity: 'warning',
      title: 'Autovacuum of public.orders: 1 index pass so far, 64.0 MB of dead-tuple memory',
    });
    expect(finding?.evidence[0]).toMatchObject({
      index_vacuum_count: 1,
      index_passes: 2,
      memory_setting: 'autovacuum_work_mem (maintenance_work_mem when -1)',
      dead_tuple_memory_bytes: 64 * MB,
      // One pass per half of the table: twice the memory does it in one.
      suggested_memory: '128MB',
    });
    expect(finding?.remediation.statements).toEqual([
      "ALTER SYSTEM SET autovacuum_work_mem = '128MB';",
      'SELECT pg_reload_conf();',
    ]);
  });

  it('counts a pass under way, and none for a vacuum that fits its memory', () => {
    // First index pass at half the table: a second one is certain.
    expect(run([vacuum({ phase: 'vacuuming indexes', max_dead_tuples: 174_762 })])).toHaveLength(1);
    // The one final pass after the whole heap: efficient.
    const fits = vacuum({ phase: 'vacuuming indexes', heap_blks_scanned: 1000, max_dead_tuples: 174_762 });
    expect(run([fits])).toEqual([]);
    expect(
      run([vacuum({ phase: 'vacuuming heap', heap_blks_scanned: 1000, index_vacuum_count: 1 })]),
    ).toEqual([]);
    expect(run([vacuum({ index_vacuum_count: 1 })], { min_index_passes: 3 })).toEqual([]);
  });

  it('gives a manual VACUUM its session setting (14-16: 6 bytes a dead tuple)', () => {
    const [finding] = run([
      vacuum({
        is_autovacuum: false,
        index_vacuum_count: 3,
        heap_blks_scanned: 1000,
        max_dead_tuples: 174_762,
      }),
    ]);
    expect(finding?.title).toBe(
      'VACUUM of public.orders: 3 index passes so far, 1024.0 kB of dead-tuple memory',
    );
    expect(finding?.evidence[0]).toMatchObject({
      memory_setting: 'maintenance_work_mem',
      suggested_memory: '64MB',
    });
    expect(finding?.remediation.statements).toEqual(["SET maintenance_work_mem = '64MB';"]);
  });

  it('is info, with no memory to add, at the 1 GB ceiling before PostgreSQL 17', () => {
    const [finding] = run([vacuum({ index_vacuum_count: 2, max_dead_tuples: 178_956_970 })]);
    expect(finding?.severity).toBe('info');
    expect(finding?.remediation.statements).toEqual([]);
    expect(finding?.remediation.steps[0]).toMatch(/ceiling/);
  });
});
