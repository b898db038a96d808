import { deriveSchemaHealth, SchemaProblemRow } from './derive';

const row = (overrides: Partial<SchemaProblemRow>): SchemaProblemRow => ({
  problem: 'invalid_index',
  datname: 'shop',
  schemaname: 'public',
  relname: 'orders',
  object_name: 'orders_note',
  other_name: null,
  is_unique: false,
  backs_constraint: false,
  is_internal: null,
  constraint_name: null,
  size_bytes: 8192,
  definition: 'CREATE INDEX orders_note ON public.orders USING btree (note)',
  ...overrides,
});

describe('deriveSchemaHealth', () => {
  it('counts each problem, 0 for the absent ones, and keeps the rows', () => {
    const result = deriveSchemaHealth(
      [
        row({}),
        row({ problem: 'duplicate_index', object_name: 'orders_note2', other_name: 'orders_note' }),
        row({ problem: 'duplicate_index', object_name: 'orders_note3', other_name: 'orders_note' }),
      ],
      'shop',
    );
    const count = (problem: string) =>
      result.samples.find((s) => s.labels.problem === problem && s.labels.datname === 'shop')?.value;
    expect(count('invalid_index')).toBe(1);
    expect(count('duplicate_index')).toBe(2);
    expect(count('disabled_trigger')).toBe(0);
    expect(result.snapshots?.[0]?.rows[1]).toMatchObject({
      problem: 'duplicate_index',
      object_name: 'orders_note2',
      other_name: 'orders_note',
    });
  });
});
