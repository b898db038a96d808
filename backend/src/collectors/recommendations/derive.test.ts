import { deriveRecommendations, PartialIndexRow, RecommendationRows } from './derive';

const none: RecommendationRows = {
  publicCreate: [],
  superusers: [],
  securityDefiner: [],
  nestedViews: [],
  partialIndexes: [],
};

const index = (overrides: Partial<PartialIndexRow>): PartialIndexRow => ({
  datname: 'app',
  schemaname: 'public',
  relname: 't',
  indexrelname: 't_a',
  column_name: 'a',
  reltuples: 200_000,
  size_bytes: 8192,
  null_frac: 0.9,
  statistics: 'visible',
  ...overrides,
});

describe('deriveRecommendations', () => {
  it('publishes 0 for every count when nothing is found, and empty tables', () => {
    const result = deriveRecommendations(none, 'app');
    expect(result.samples).toEqual([
      { metric: 'pg_schemas_public_create', labels: { datname: 'app' }, value: 0 },
      { metric: 'pg_superusers', labels: {}, value: 0 },
      { metric: 'pg_security_definer_functions_without_search_path', labels: { datname: 'app' }, value: 0 },
      { metric: 'pg_views_nested_deep', labels: { datname: 'app' }, value: 0 },
      { metric: 'pg_indexes_partial_candidates', labels: { datname: 'app' }, value: 0 },
    ]);
    expect(result.snapshots?.map((s) => [s.kind, s.rows.length])).toEqual([
      ['public_create_schemas', 0],
      ['superusers', 0],
      ['security_definer_functions', 0],
      ['nested_views', 0],
      ['partial_index_candidates', 0],
    ]);
  });

  it('counts all that SQL counted, not only the rows returned; no name reaches a label', () => {
    const result = deriveRecommendations(
      {
        ...none,
        superusers: [{ rolname: 'root', valid_until_ms: null, connection_limit: -1, superuser_count: 12 }],
        nestedViews: [
          {
            datname: 'app',
            schemaname: 'public',
            view_name: 'v5',
            depth: 5,
            built_on: 'public.v4',
            deep_count: 7,
          },
        ],
      },
      'app',
    );
    const value = (metric: string) => result.samples.find((s) => s.metric === metric)?.value;
    expect(value('pg_superusers')).toBe(12);
    expect(value('pg_views_nested_deep')).toBe(7);
    for (const sample of result.samples) expect(Object.keys(sample.labels)).not.toContain('rolname');
    expect(result.snapshots?.find((s) => s.kind === 'superusers')?.rows).toEqual([
      { rolname: 'root', valid_until: null, connection_limit: -1 },
    ]);
  });

  it('lists partial index candidates with hidden statistics, but counts only those it can see', () => {
    const result = deriveRecommendations(
      {
        ...none,
        partialIndexes: [index({}), index({ indexrelname: 't_b', null_frac: null, statistics: 'hidden' })],
      },
      'app',
    );
    expect(result.samples.find((s) => s.metric === 'pg_indexes_partial_candidates')?.value).toBe(1);
    const rows = result.snapshots?.find((s) => s.kind === 'partial_index_candidates')?.rows ?? [];
    expect(rows.map((r) => [r.indexrelname, r.statistics])).toEqual([
      ['t_a', 'visible'],
      ['t_b', 'hidden'],
    ]);
  });
});
