import { deriveStatisticsHealth, StaleStatisticsRow, TableBloatRow } from './derive';

const stale = (overrides: Partial<StaleStatisticsRow>): StaleStatisticsRow => ({
  datname: 'app',
  schemaname: 'public',
  relname: 't',
  reltuples: 1000,
  n_live_tup: 1000,
  n_mod_since_analyze: 500,
  never_analyzed: false,
  last_analyzed_ms: 1_000,
  stale_count: 1,
  ...overrides,
});

const bloat = (overrides: Partial<TableBloatRow>): TableBloatRow => ({
  datname: 'app',
  schemaname: 'public',
  relname: 'big',
  table_bytes: 8192 * 300,
  expected_bytes: 8192 * 100,
  bloat_bytes: 8192 * 200,
  bloat_ratio: 2 / 3,
  reltuples: 10_000,
  fillfactor: 100,
  is_na: false,
  ...overrides,
});

describe('deriveStatisticsHealth', () => {
  it('counts every stale table, not only the rows returned', () => {
    const result = deriveStatisticsHealth(
      'app',
      [stale({ stale_count: 120 }), stale({ relname: 'u', stale_count: 120 })],
      [],
    );
    expect(result.samples).toEqual([
      { metric: 'pg_tables_stale_statistics', labels: { datname: 'app' }, value: 120 },
    ]);
    expect(result.snapshots?.find((s) => s.kind === 'stale_statistics')?.rows).toHaveLength(2);
  });

  it('shows a never analyzed table without a planner row count and its modified share', () => {
    const result = deriveStatisticsHealth(
      'app',
      [stale({ reltuples: -1, never_analyzed: true, last_analyzed_ms: null }), stale({ relname: 'u' })],
      [],
    );
    const rows = result.snapshots?.find((s) => s.kind === 'stale_statistics')?.rows ?? [];
    expect(rows[0]).toMatchObject({ reltuples: null, modified_ratio: null, never_analyzed: true });
    expect(rows[1]).toMatchObject({ modified_ratio: 0.5 });
  });

  it('reports 0 stale tables when none are, and nothing when not collected (standby)', () => {
    expect(deriveStatisticsHealth('app', [], []).samples).toEqual([
      { metric: 'pg_tables_stale_statistics', labels: { datname: 'app' }, value: 0 },
    ]);
    const standby = deriveStatisticsHealth('app', undefined, []);
    expect(standby.samples).toEqual([]);
    expect(standby.snapshots?.map((s) => s.kind)).toEqual(['table_bloat']);
  });

  it('exports bloat estimates, but none where the estimate does not apply', () => {
    const result = deriveStatisticsHealth('app', undefined, [
      bloat({}),
      bloat({ relname: 'no_stats', is_na: true }),
    ]);
    const labels = { datname: 'app', schemaname: 'public', relname: 'big' };
    expect(result.samples).toEqual([
      { metric: 'pg_table_bloat_bytes', labels, value: 8192 * 200 },
      { metric: 'pg_table_bloat_ratio', labels, value: 2 / 3 },
    ]);
    const rows = result.snapshots?.find((s) => s.kind === 'table_bloat')?.rows ?? [];
    expect(rows[1]).toMatchObject({ relname: 'no_stats', bloat_bytes: null, estimate_applicable: false });
  });
});
