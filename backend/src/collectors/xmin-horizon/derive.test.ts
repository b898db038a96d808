import { deriveXminHorizon, XminHolderRow } from './derive';

const holder = (overrides: Partial<XminHolderRow>): XminHolderRow => ({
  holder_kind: 'session',
  holder: '42',
  pid: 42,
  usename: 'app',
  application_name: 'web',
  client_addr: null,
  datname: 'shop',
  state: 'idle in transaction',
  backend_type: 'client backend',
  backend_start_us: '1700000000000000',
  slot_type: null,
  active: null,
  xmin: '1000',
  age_transactions: 10,
  age_seconds: 30,
  since_ms: 1_700_000_000_000,
  ...overrides,
});

describe('deriveXminHorizon', () => {
  const result = deriveXminHorizon([
    holder({ holder: '42', age_transactions: 10, age_seconds: 30 }),
    holder({ holder: '43', pid: 43, age_transactions: 500, age_seconds: 5 }),
    holder({
      holder_kind: 'replication_slot',
      holder: 'standby1',
      pid: null,
      slot_type: 'physical',
      active: false,
      age_transactions: 9000,
      age_seconds: null,
      since_ms: null,
    }),
  ]);
  const value = (metric: string, kind: string) =>
    result.samples.find((s) => s.metric === metric && s.labels.holder_kind === kind)?.value;

  it('reports the oldest holder of each kind, 0 for kinds holding nothing', () => {
    expect(value('pg_xmin_horizon_age_transactions', 'session')).toBe(500);
    expect(value('pg_xmin_horizon_age_transactions', 'replication_slot')).toBe(9000);
    expect(value('pg_xmin_horizon_age_transactions', 'prepared_transaction')).toBe(0);
    expect(value('pg_xmin_horizon_age_transactions', 'standby_feedback')).toBe(0);
    // Time is known for sessions and prepared transactions only; the oldest in time may be another session.
    expect(value('pg_xmin_horizon_age_seconds', 'session')).toBe(30);
    expect(value('pg_xmin_horizon_age_seconds', 'prepared_transaction')).toBe(0);
    expect(value('pg_xmin_horizon_age_seconds', 'replication_slot')).toBeUndefined();
  });

  it('names no pid, user or holder in any label', () => {
    for (const sample of result.samples) expect(Object.keys(sample.labels)).toEqual(['holder_kind']);
  });

  it('lists every holder, oldest first, with its start as a time', () => {
    const rows = result.snapshots?.[0]?.rows ?? [];
    expect(rows.map((r) => r.holder)).toEqual(['standby1', '43', '42']);
    expect(rows[2]).toMatchObject({ holder_kind: 'session', pid: 42, since: 1_700_000_000_000 });
  });
});
