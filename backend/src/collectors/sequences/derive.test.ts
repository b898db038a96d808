import { deriveSequences, SequenceRow } from './derive';

const row = (overrides: Partial<SequenceRow>): SequenceRow => ({
  datname: 'shop',
  schemaname: 'public',
  sequencename: 'orders_id_seq',
  data_type: 'bigint',
  table_schema: 'public',
  table_name: 'orders',
  column_name: 'id',
  column_type: 'integer',
  last_value: 2_000_000_000,
  limit_value: 2_147_483_647,
  increment_by: 1,
  cycle: false,
  used_ratio: 0.93,
  calls_left: 147_483_647,
  sequences_total: 3,
  unreadable: 1,
  ...overrides,
});

describe('deriveSequences', () => {
  const result = deriveSequences(
    [row({}), row({ sequencename: 'secret_seq', last_value: null, used_ratio: null, table_name: null })],
    'shop',
  );

  it('exports the used share of readable sequences and counts the unreadable ones', () => {
    expect(result.samples).toEqual([
      { metric: 'pg_sequences_unreadable', labels: { datname: 'shop' }, value: 1 },
      {
        metric: 'pg_sequence_used_ratio',
        labels: { datname: 'shop', schemaname: 'public', sequencename: 'orders_id_seq' },
        value: 0.93,
      },
    ]);
  });

  it('names the column a sequence feeds', () => {
    const rows = result.snapshots?.[0]?.rows ?? [];
    expect(rows[0]).toMatchObject({ owned_by: 'public.orders.id', column_type: 'integer' });
    expect(rows[1]).toMatchObject({ owned_by: null, used_ratio: null });
  });

  it('reports 0 unreadable when the database has no sequence', () => {
    expect(deriveSequences([], 'shop').samples).toEqual([
      { metric: 'pg_sequences_unreadable', labels: { datname: 'shop' }, value: 0 },
    ]);
  });
});
