import { CollectResult } from '../types';
import { deadRatio, deriveRelations, RelationRow } from './derive';

const valueOf = (result: CollectResult, metric: string, labels: Record<string, string> = {}) =>
  result.samples.find(
    (s) => s.metric === metric && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  )?.value;

function relation(overrides: Partial<RelationRow>): RelationRow {
  return {
    schemaname: 'public',
    relname: 'orders',
    relkind: 'r',
    size_rank: 1,
    dead_rank: null,
    partitions: 0,
    size_exact: true,
    estimated_bytes: 900_000,
    table_bytes: 1_000_000,
    indexes_bytes: 250_000,
    toast_bytes: 10_000,
    live_tuples: 900,
    dead_tuples: 100,
    seq_scan: 7,
    idx_scan: 30,
    heap_blks_read: 11,
    heap_blks_hit: 120,
    idx_blks_read: 3,
    idx_blks_hit: 40,
    toast_blks_read: null,
    toast_blks_hit: null,
    last_vacuum_ms: null,
    last_autovacuum_ms: 1_700_000_000_000,
    autovacuum_disabled: false,
    ...overrides,
  };
}

describe('deriveRelations', () => {
  it('exports sizes, tuples and scans of a Top-N relation, total = table + indexes', () => {
    const result = deriveRelations('app', [relation({})], [], []);
    const labels = { datname: 'app', schemaname: 'public', relname: 'orders' };
    expect(valueOf(result, 'pg_relation_size_bytes', labels)).toBe(1_250_000);
    expect(valueOf(result, 'pg_relation_table_bytes', labels)).toBe(1_000_000);
    expect(valueOf(result, 'pg_relation_indexes_bytes', labels)).toBe(250_000);
    expect(valueOf(result, 'pg_table_dead_tuples', labels)).toBe(100);
    expect(valueOf(result, 'pg_table_live_tuples', labels)).toBe(900);
    expect(valueOf(result, 'pg_table_dead_ratio', labels)).toBeCloseTo(0.1, 10);
    expect(valueOf(result, 'pg_table_seq_scan_total', labels)).toBe(7);
    expect(valueOf(result, 'pg_table_idx_scan_total', labels)).toBe(30);
    expect(valueOf(result, 'pg_table_heap_blks_read_total', labels)).toBe(11);
    expect(valueOf(result, 'pg_table_heap_blks_hit_total', labels)).toBe(120);
    expect(valueOf(result, 'pg_table_idx_blks_read_total', labels)).toBe(3);
    expect(valueOf(result, 'pg_table_idx_blks_hit_total', labels)).toBe(40);
    // No TOAST table: nothing read from one.
    expect(valueOf(result, 'pg_table_toast_blks_read_total', labels)).toBe(0);
    expect(valueOf(result, 'pg_table_toast_blks_hit_total', labels)).toBe(0);
    const storage = result.snapshots?.find((s) => s.kind === 'storage')?.rows;
    expect(storage).toEqual([
      expect.objectContaining({
        relname: 'orders',
        kind: 'table',
        total_bytes: 1_250_000,
        toast_bytes: 10_000,
        size_exact: true,
        dead_ratio: 0.1,
        heap_blks_read: 11,
        heap_blks_hit: 120,
        idx_blks_hit: 40,
        toast_blks_read: 0,
      }),
    ]);
    expect(result.snapshots?.find((s) => s.kind === 'vacuum_tuples')?.rows).toEqual([]);
  });

  it('keeps a table ranked only by dead tuples out of the size metrics and in vacuum_tuples, most dead first', () => {
    const result = deriveRelations(
      'app',
      [
        relation({ relname: 'big', size_rank: 1, dead_rank: 2, dead_tuples: 10 }),
        relation({
          relname: 'churn_1',
          size_rank: null,
          dead_rank: 1,
          dead_tuples: 5000,
          live_tuples: 5000,
          autovacuum_disabled: true,
        }),
      ],
      [],
      [],
    );
    expect(valueOf(result, 'pg_relation_size_bytes', { relname: 'churn_1' })).toBeUndefined();
    expect(valueOf(result, 'pg_table_dead_ratio', { relname: 'churn_1' })).toBe(0.5);
    const vacuum = result.snapshots?.find((s) => s.kind === 'vacuum_tuples')?.rows ?? [];
    expect(vacuum.map((r) => r.relname)).toEqual(['churn_1', 'big']);
    expect(vacuum[0]).toMatchObject({ autovacuum_disabled: true, last_autovacuum: 1_700_000_000_000 });
    expect(result.snapshots?.find((s) => s.kind === 'storage')?.rows.map((r) => r.relname)).toEqual(['big']);
  });

  it('marks partitioned tables as estimates and skips relations dropped between ranking and sizing', () => {
    const result = deriveRelations(
      'app',
      [
        relation({ relname: 'events', relkind: 'p', partitions: 12, size_exact: false }),
        relation({ relname: 'gone', size_rank: 2, table_bytes: null, indexes_bytes: null }),
      ],
      [],
      [],
    );
    const storage = result.snapshots?.find((s) => s.kind === 'storage')?.rows ?? [];
    expect(storage).toEqual([
      expect.objectContaining({
        relname: 'events',
        kind: 'partitioned_table',
        partitions: 12,
        size_exact: false,
      }),
    ]);
    expect(valueOf(result, 'pg_relation_size_bytes', { relname: 'gone' })).toBeUndefined();
  });

  it('exports index sizes and relation counts by readable kind', () => {
    const result = deriveRelations(
      'app',
      [],
      [
        {
          schemaname: 'public',
          relname: 'orders',
          indexrelname: 'orders_pkey',
          size_bytes: 8192,
          idx_scan: 3,
        },
        {
          schemaname: 'public',
          relname: 'orders',
          indexrelname: 'dropped',
          size_bytes: null,
          idx_scan: null,
        },
      ],
      [
        { relkind: 'r', relations: 10 },
        { relkind: 'I', relations: 2 },
      ],
    );
    expect(
      valueOf(result, 'pg_index_size_bytes', {
        indexrelname: 'orders_pkey',
        relname: 'orders',
        datname: 'app',
      }),
    ).toBe(8192);
    expect(valueOf(result, 'pg_index_size_bytes', { indexrelname: 'dropped' })).toBeUndefined();
    expect(valueOf(result, 'pg_relations_count', { relkind: 'table' })).toBe(10);
    expect(valueOf(result, 'pg_relations_count', { relkind: 'partitioned_index' })).toBe(2);
  });
});

describe('deadRatio', () => {
  it('is 0 for an empty table', () => {
    expect(deadRatio(0, 0)).toBe(0);
    expect(deadRatio(0, 3)).toBe(1);
  });
});
