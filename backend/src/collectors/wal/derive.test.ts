import { deriveWal, WalRow } from './derive';

function row(overrides: Partial<WalRow> = {}): WalRow {
  return {
    wal_records: 1000,
    wal_fpi: 50,
    wal_bytes: 1_000_000,
    wal_buffers_full: 0,
    wal_write: 80,
    wal_sync: 40,
    wal_write_time_seconds: 0,
    wal_sync_time_seconds: 0,
    stats_reset_ms: null,
    lsn_bytes: 25_000_000,
    ...overrides,
  };
}
const value = (samples: { metric: string; value: number }[], metric: string) =>
  samples.find((s) => s.metric === metric)?.value;

describe('deriveWal', () => {
  it('exports the counters and the WAL position; no rate on the first cycle', () => {
    const { samples } = deriveWal(row(), undefined, 0);
    expect(value(samples, 'pg_wal_bytes_total')).toBe(1_000_000);
    expect(value(samples, 'pg_wal_records_total')).toBe(1000);
    expect(value(samples, 'pg_wal_sync_total')).toBe(40);
    expect(value(samples, 'pg_wal_lsn_bytes')).toBe(25_000_000);
    expect(value(samples, 'pg_wal_bytes_per_second')).toBeUndefined();
  });

  it('gives WAL bytes per second over the interval', () => {
    const first = deriveWal(row(), undefined, 0);
    const { samples } = deriveWal(row({ wal_bytes: 7_000_000 }), first.reading, 60_000);
    expect(value(samples, 'pg_wal_bytes_per_second')).toBe(100_000);
  });

  it('has no WAL position on a standby and leaves out counters the major lacks', () => {
    const { samples } = deriveWal(
      row({ lsn_bytes: null, wal_write: null, wal_write_time_seconds: null }),
      undefined,
      0,
    );
    expect(value(samples, 'pg_wal_lsn_bytes')).toBeUndefined();
    expect(value(samples, 'pg_wal_write_total')).toBeUndefined();
    expect(value(samples, 'pg_wal_bytes_total')).toBe(1_000_000);
  });

  it('never gives a negative rate after a reset', () => {
    const first = deriveWal(row(), undefined, 0);
    const { samples } = deriveWal(row({ wal_bytes: 600, stats_reset_ms: 1000 }), first.reading, 10_000);
    expect(value(samples, 'pg_wal_bytes_per_second')).toBe(60);
  });

  it('is not fooled by a reset of the write counters alone (pg_stat_io on 18)', () => {
    const first = deriveWal(row(), undefined, 0);
    const { samples } = deriveWal(
      row({ wal_bytes: 1_100_000, wal_write: 0, wal_sync: 0 }),
      first.reading,
      10_000,
    );
    expect(value(samples, 'pg_wal_bytes_per_second')).toBe(10_000);
  });

  it('gives no rate for a zero interval', () => {
    const first = deriveWal(row(), undefined, 1000);
    expect(
      value(deriveWal(row({ wal_bytes: 2_000_000 }), first.reading, 1000).samples, 'pg_wal_bytes_per_second'),
    ).toBeUndefined();
  });
});
