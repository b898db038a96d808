import { deriveTableFreshness, TableFreshnessRow } from './derive';

const NOW = 1_700_000_000_000;

function row(overrides: Partial<TableFreshnessRow> = {}): TableFreshnessRow {
  return {
    datname: 'shop',
    schemaname: 'public',
    relname: 'orders',
    live_tuples: 900,
    dead_tuples: 100,
    mods_since_analyze: 250,
    inserts_since_vacuum: 40,
    last_vacuum_ms: NOW - 3_600_000,
    last_autovacuum_ms: null,
    last_analyze_ms: NOW - 60_000,
    last_autoanalyze_ms: NOW - 120_000,
    vacuum_count: 2,
    autovacuum_count: 0,
    analyze_count: 1,
    autoanalyze_count: 4,
    server_now_ms: NOW,
    ...overrides,
  };
}
const value = (samples: { metric: string; value: number }[], metric: string) =>
  samples.find((s) => s.metric === metric)?.value;

describe('deriveTableFreshness', () => {
  it('gives ages in seconds, absent for what never happened', () => {
    const { samples } = deriveTableFreshness([row()]);
    expect(value(samples, 'pg_table_last_vacuum_seconds')).toBe(3600);
    expect(value(samples, 'pg_table_last_autovacuum_seconds')).toBeUndefined();
    expect(value(samples, 'pg_table_last_analyze_seconds')).toBe(60);
    expect(value(samples, 'pg_table_last_autoanalyze_seconds')).toBe(120);
    expect(value(samples, 'pg_table_mods_since_analyze')).toBe(250);
    expect(value(samples, 'pg_table_inserts_since_vacuum')).toBe(40);
    expect(value(samples, 'pg_table_autoanalyzes_total')).toBe(4);
    expect(samples.every((s) => Object.keys(s.labels).join() === 'datname,schemaname,relname')).toBe(true);
  });

  it('fills the vacuum health row: % dead, timestamps, time since the latest of either kind', () => {
    const [snapshotRow] = deriveTableFreshness([row()]).snapshots?.[0]?.rows ?? [];
    expect(snapshotRow).toMatchObject({
      schemaname: 'public',
      relname: 'orders',
      dead_percent: 10,
      last_vacuum: NOW - 3_600_000,
      last_autovacuum: null,
      since_vacuum_seconds: 3600,
      since_analyze_seconds: 60,
    });
  });

  it('handles an empty or never vacuumed table without dividing by zero', () => {
    const never = row({
      live_tuples: 0,
      dead_tuples: 0,
      last_vacuum_ms: null,
      last_analyze_ms: null,
      last_autoanalyze_ms: null,
    });
    const { samples, snapshots } = deriveTableFreshness([never]);
    expect(samples.filter((s) => s.metric.startsWith('pg_table_last_'))).toHaveLength(0);
    expect(snapshots?.[0]?.rows[0]).toMatchObject({
      dead_percent: 0,
      since_vacuum_seconds: null,
      since_analyze_seconds: null,
    });
  });
});
