import { deriveWraparound, TableAgeRow, WRAPAROUND_LIMIT } from './derive';

const table = (overrides: Partial<TableAgeRow>): TableAgeRow => ({
  datname: 'app',
  schemaname: 'public',
  relname: 't',
  relkind: 'r',
  is_temporary: false,
  xid_age: 0,
  table_xid_age: 0,
  toast_xid_age: null,
  mxid_age: 0,
  size_bytes: 8192,
  freeze_max_age: 200_000_000,
  last_vacuum_ms: null,
  last_autovacuum_ms: null,
  ...overrides,
});

describe('deriveWraparound', () => {
  const result = deriveWraparound(
    [
      {
        datname: 'app',
        xid_age: 150_000_000,
        mxid_age: 40_000_000,
        freeze_max_age: 200_000_000,
        multixact_freeze_max_age: 400_000_000,
      },
    ],
    [
      table({
        relname: 'orders',
        xid_age: 149_000_000,
        table_xid_age: 10,
        toast_xid_age: 149_000_000,
        mxid_age: 5,
      }),
      table({ relname: 'users', xid_age: 1000, table_xid_age: 1000 }),
    ],
  );
  const value = (metric: string) => result.samples.find((s) => s.metric === metric)?.value;

  it('exports ages and ratios to the freeze limits and to 2^31', () => {
    expect(value('pg_database_xid_age')).toBe(150_000_000);
    expect(value('pg_database_mxid_age')).toBe(40_000_000);
    expect(value('pg_database_xid_freeze_max_age_ratio')).toBeCloseTo(0.75, 10);
    expect(value('pg_database_mxid_freeze_max_age_ratio')).toBeCloseTo(0.1, 10);
    expect(value('pg_database_xid_wraparound_ratio')).toBeCloseTo(150_000_000 / WRAPAROUND_LIMIT, 12);
    expect(value('pg_database_mxid_wraparound_ratio')).toBeCloseTo(40_000_000 / 2147483648, 12);
  });

  it('takes the oldest table (its TOAST table counted) as the worst', () => {
    expect(result.samples.find((s) => s.metric === 'pg_table_xid_age_max')).toEqual({
      metric: 'pg_table_xid_age_max',
      labels: { datname: 'app' },
      value: 149_000_000,
    });
  });

  it('lists databases, then tables oldest first, in one snapshot', () => {
    const rows = result.snapshots?.[0]?.rows ?? [];
    expect(rows.map((r) => [r.object, r.relname])).toEqual([
      ['database', null],
      ['table', 'orders'],
      ['table', 'users'],
    ]);
    expect(rows[1]).toMatchObject({
      toast_xid_age: 149_000_000,
      table_xid_age: 10,
      xid_freeze_max_age_ratio: 0.745,
    });
  });

  it('exports no table maximum when the database has no tables', () => {
    expect(deriveWraparound([], []).samples).toEqual([]);
  });
});
