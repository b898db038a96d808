import { CollectResult } from '../types';
import { DATABASE_COUNTERS } from '../../catalog/collectors/database-stats';
import { DatabaseStatsRow, deriveDatabaseStats } from './derive';

function row(overrides: Partial<DatabaseStatsRow> = {}): DatabaseStatsRow {
  return {
    datid: 16384,
    datname: 'shop',
    xact_commit: 1000,
    xact_rollback: 10,
    blks_read: 100,
    blks_hit: 900,
    tup_returned: 5000,
    tup_fetched: 4000,
    tup_inserted: 300,
    tup_updated: 200,
    tup_deleted: 100,
    conflicts: 0,
    temp_files: 2,
    temp_bytes: 1_048_576,
    deadlocks: 1,
    checksum_failures: null,
    blk_read_time_seconds: 1.5,
    blk_write_time_seconds: 0.5,
    session_time_seconds: 3600,
    active_time_seconds: 600,
    idle_in_transaction_time_seconds: 60,
    sessions: 40,
    sessions_abandoned: 1,
    sessions_fatal: 2,
    sessions_killed: 3,
    stats_reset_ms: null,
    size_bytes: 8_000_000,
    ...overrides,
  };
}

const value = (result: { samples: CollectResult['samples'] }, metric: string, datname = 'shop') =>
  result.samples.find((s) => s.metric === metric && s.labels.datname === datname)?.value;

describe('deriveDatabaseStats', () => {
  it('exports every counter as read, with the size, and no rate on the first cycle', () => {
    const result = deriveDatabaseStats([row()], undefined, 0);
    expect(value(result, 'pg_database_xact_commit_total')).toBe(1000);
    expect(value(result, 'pg_database_temp_bytes_total')).toBe(1_048_576);
    expect(value(result, 'pg_database_blk_read_time_seconds_total')).toBe(1.5);
    expect(value(result, 'pg_database_sessions_killed_total')).toBe(3);
    expect(value(result, 'pg_database_size_bytes')).toBe(8_000_000);
    // Checksums off: no checksum failure counter rather than a made-up zero.
    expect(value(result, 'pg_database_checksum_failures_total')).toBeUndefined();
    expect(value(result, 'pg_tps')).toBeUndefined();
    expect(value(result, 'pg_cache_hit_ratio')).toBeUndefined();
    expect(result.samples.filter((s) => s.metric.endsWith('_total'))).toHaveLength(
      DATABASE_COUNTERS.length - 1,
    );
  });

  it('computes TPS and the cache hit ratio from the increases over the interval', () => {
    const first = deriveDatabaseStats([row()], undefined, 0);
    const second = deriveDatabaseStats(
      [row({ xact_commit: 1550, xact_rollback: 60, blks_read: 125, blks_hit: 1875 })],
      first.readings,
      60_000,
    );
    expect(value(second, 'pg_tps')).toBe(600 / 60);
    // 975 hits, 25 reads over the interval: not the lifetime 90 %.
    expect(value(second, 'pg_cache_hit_ratio')).toBe(975 / 1000);
  });

  it('gives no cache hit ratio when no block was accessed, and zero TPS when idle', () => {
    const first = deriveDatabaseStats([row()], undefined, 0);
    const second = deriveDatabaseStats([row()], first.readings, 60_000);
    expect(value(second, 'pg_tps')).toBe(0);
    expect(value(second, 'pg_cache_hit_ratio')).toBeUndefined();
  });

  it('never produces a negative rate after a reset', () => {
    const first = deriveDatabaseStats([row()], undefined, 0);
    // pg_stat_reset(): counters back near zero, stats_reset set.
    const reset = row({
      xact_commit: 30,
      xact_rollback: 0,
      blks_read: 1,
      blks_hit: 3,
      stats_reset_ms: 30_000,
    });
    const second = deriveDatabaseStats([reset], first.readings, 60_000);
    expect(value(second, 'pg_tps')).toBe(30 / 60);
    expect(value(second, 'pg_cache_hit_ratio')).toBe(0.75);
  });

  it('treats a database dropped and created again under the same name as a reset', () => {
    const first = deriveDatabaseStats([row()], undefined, 0);
    const second = deriveDatabaseStats(
      [row({ datid: 20000, xact_commit: 1200, xact_rollback: 0 })],
      first.readings,
      10_000,
    );
    expect(value(second, 'pg_tps')).toBe(120);
  });

  it('gives no rate for a zero interval', () => {
    const first = deriveDatabaseStats([row()], undefined, 5000);
    const second = deriveDatabaseStats([row({ xact_commit: 2000 })], first.readings, 5000);
    expect(value(second, 'pg_tps')).toBeUndefined();
  });

  it('keeps databases apart and forgets dropped ones', () => {
    const first = deriveDatabaseStats([row(), row({ datid: 1, datname: 'crm' })], undefined, 0);
    const second = deriveDatabaseStats(
      [row({ datid: 1, datname: 'crm', xact_commit: 1100 })],
      first.readings,
      10_000,
    );
    expect(value(second, 'pg_tps', 'crm')).toBe(10);
    expect([...second.readings.keys()]).toEqual(['crm']);
  });

  it('leaves the size out when the role may not see it', () => {
    expect(
      value(deriveDatabaseStats([row({ size_bytes: null })], undefined, 0), 'pg_database_size_bytes'),
    ).toBeUndefined();
  });
});
