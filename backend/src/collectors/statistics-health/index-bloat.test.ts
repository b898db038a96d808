import { deriveIndexBloat, IndexBloatRow } from './index-bloat';

const row = (overrides: Partial<IndexBloatRow>): IndexBloatRow => ({
  datname: 'app',
  schemaname: 'public',
  relname: 'orders',
  indexrelname: 'orders_created_idx',
  index_bytes: 8192 * 400,
  expected_bytes: 8192 * 100,
  bloat_bytes: 8192 * 300,
  bloat_ratio: 0.75,
  reltuples: 20_000,
  fillfactor: 90,
  is_na: false,
  ...overrides,
});

describe('deriveIndexBloat', () => {
  it('exports the estimate of each index, labelled by table and index', () => {
    const { samples, snapshot } = deriveIndexBloat([row({})]);
    const labels = {
      datname: 'app',
      schemaname: 'public',
      relname: 'orders',
      indexrelname: 'orders_created_idx',
    };
    expect(samples).toEqual([
      { metric: 'pg_index_bloat_bytes', labels, value: 8192 * 300 },
      { metric: 'pg_index_bloat_ratio', labels, value: 0.75 },
    ]);
    expect(snapshot).toEqual({
      kind: 'index_bloat',
      rows: [
        {
          datname: 'app',
          schemaname: 'public',
          relname: 'orders',
          indexrelname: 'orders_created_idx',
          index_bytes: 8192 * 400,
          expected_bytes: 8192 * 100,
          bloat_bytes: 8192 * 300,
          bloat_ratio: 0.75,
          fillfactor: 90,
          estimate_applicable: true,
        },
      ],
    });
  });

  it('exports nothing where the estimate does not apply, and shows the index without figures', () => {
    const { samples, snapshot } = deriveIndexBloat([row({ indexrelname: 'hidden_idx', is_na: true })]);
    expect(samples).toEqual([]);
    expect(snapshot.rows[0]).toMatchObject({
      indexrelname: 'hidden_idx',
      index_bytes: 8192 * 400,
      expected_bytes: null,
      bloat_bytes: null,
      bloat_ratio: null,
      estimate_applicable: false,
    });
  });

  it('gives an empty table when there is no b-tree index', () => {
    expect(deriveIndexBloat([])).toEqual({ samples: [], snapshot: { kind: 'index_bloat', rows: [] } });
  });
});
