import { deriveServerControl, ServerControlMemory, ServerControlRow } from './derive';

const row = (overrides: Partial<ServerControlRow> = {}): ServerControlRow => ({
  checkpoint_ms: 1_000_000,
  system_identifier: '7714991322891104641',
  started_ms: 500_000,
  server_now_ms: 1_300_500,
  wal_files: 4,
  wal_bytes: 4 * 16 * 1024 ** 2,
  ...overrides,
});

const value = (samples: { metric: string; value: number }[], metric: string) =>
  samples.find((s) => s.metric === metric)?.value;

describe('deriveServerControl', () => {
  it('gives the checkpoint age, start time, clock skew and WAL directory', () => {
    const memory: ServerControlMemory = { identifierChanges: 0 };
    const samples = deriveServerControl(row(), memory, { sentAt: 1_300_000, receivedAt: 1_300_000 });
    expect(value(samples, 'pg_checkpoint_age_seconds')).toBe(300.5);
    expect(value(samples, 'pg_postmaster_start_time_seconds')).toBe(500);
    expect(value(samples, 'pg_clock_skew_seconds')).toBe(0.5);
    expect(value(samples, 'pg_wal_directory_files')).toBe(4);
    expect(value(samples, 'pg_system_identifier_changes_total')).toBe(0);
  });

  it('counts a change of system identifier, not the first sight', () => {
    const memory: ServerControlMemory = { identifierChanges: 0 };
    const timing = { sentAt: 0, receivedAt: 0 };
    deriveServerControl(row(), memory, timing);
    deriveServerControl(row(), memory, timing);
    const samples = deriveServerControl(row({ system_identifier: '1' }), memory, timing);
    expect(value(samples, 'pg_system_identifier_changes_total')).toBe(1);
  });
});
