import { deriveUnusedIndexes, UnusedIndexRow } from './derive';

const none: UnusedIndexRow = {
  unused_count: 0,
  unused_estimated_bytes: 0,
  schemaname: null,
  relname: null,
  indexrelname: null,
  size_bytes: null,
  size_exact: null,
  partitions: null,
  idx_scan: null,
  is_valid: null,
  definition: null,
  stats_reset_ms: null,
};

describe('deriveUnusedIndexes', () => {
  it('reports zero unused indexes from the totals-only row', () => {
    const result = deriveUnusedIndexes('app', [none]);
    expect(result.samples).toEqual([
      { metric: 'pg_unused_indexes', labels: { datname: 'app' }, value: 0 },
      { metric: 'pg_unused_index_bytes', labels: { datname: 'app' }, value: 0 },
    ]);
    expect(result.snapshots).toEqual([{ kind: 'unused_indexes', rows: [] }]);
  });

  it('exports the totals once and each Top-N index by size, with its definition in the snapshot only', () => {
    const totals = { unused_count: 5, unused_estimated_bytes: 90_000 };
    const result = deriveUnusedIndexes('app', [
      {
        ...none,
        ...totals,
        schemaname: 'public',
        relname: 'events',
        indexrelname: 'events_kind_idx',
        size_bytes: 65_536,
        size_exact: false,
        partitions: 3,
        idx_scan: 0,
        is_valid: true,
        definition: 'CREATE INDEX events_kind_idx ON ONLY public.events USING btree (kind)',
        stats_reset_ms: 1000,
      },
      {
        ...none,
        ...totals,
        schemaname: 'public',
        relname: 'orders',
        indexrelname: 'orders_note_idx',
        size_bytes: 8192,
        size_exact: true,
        partitions: 0,
        idx_scan: 0,
        is_valid: false,
        definition: 'CREATE INDEX orders_note_idx ON public.orders USING btree (note)',
      },
    ]);
    expect(result.samples.filter((s) => s.metric === 'pg_unused_indexes')).toEqual([
      { metric: 'pg_unused_indexes', labels: { datname: 'app' }, value: 5 },
    ]);
    expect(result.samples.find((s) => s.metric === 'pg_unused_index_bytes')?.value).toBe(90_000);
    expect(result.samples.filter((s) => s.metric === 'pg_index_unused')).toEqual([
      {
        metric: 'pg_index_unused',
        labels: { datname: 'app', schemaname: 'public', relname: 'events', indexrelname: 'events_kind_idx' },
        value: 65_536,
      },
      {
        metric: 'pg_index_unused',
        labels: { datname: 'app', schemaname: 'public', relname: 'orders', indexrelname: 'orders_note_idx' },
        value: 8192,
      },
    ]);
    const rows = result.snapshots?.[0]?.rows ?? [];
    expect(rows[0]).toMatchObject({
      partitions: 3,
      size_exact: false,
      stats_reset: 1000,
      definition: expect.stringContaining('ON ONLY public.events'),
    });
    expect(rows[1]).toMatchObject({ is_valid: false, idx_scan: 0 });
    expect(result.samples.every((s) => !Object.values(s.labels).some((v) => v.includes('CREATE')))).toBe(
      true,
    );
  });
});
