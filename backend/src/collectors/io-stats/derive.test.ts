import { deriveIoStats, IoStatsRow } from './derive';

const row = (overrides: Partial<IoStatsRow>): IoStatsRow => ({
  backend_type: 'client backend',
  object: 'relation',
  context: 'normal',
  reads: 10,
  read_bytes: 81_920,
  read_time_seconds: 0.5,
  writes: 2,
  write_bytes: 16_384,
  write_time_seconds: 0.1,
  writebacks: 0,
  writeback_time_seconds: 0,
  extends: 1,
  extend_bytes: 8192,
  extend_time_seconds: 0,
  hits: 1000,
  evictions: 3,
  reuses: null,
  fsyncs: 0,
  fsync_time_seconds: 0,
  ...overrides,
});

describe('deriveIoStats', () => {
  it('exports every counter of a row, labelled by backend type, object and context', () => {
    const samples = deriveIoStats([row({})]);
    const labels = { backend_type: 'client backend', object: 'relation', context: 'normal' };
    expect(samples.find((s) => s.metric === 'pg_io_reads_total')).toEqual({
      metric: 'pg_io_reads_total',
      labels,
      value: 10,
    });
    expect(samples.find((s) => s.metric === 'pg_io_read_bytes_total')?.value).toBe(81_920);
    expect(samples.find((s) => s.metric === 'pg_io_read_time_seconds_total')?.value).toBe(0.5);
    expect(samples.find((s) => s.metric === 'pg_io_hits_total')?.value).toBe(1000);
    // reuses is NULL: the normal context has no buffer ring.
    expect(samples.map((s) => s.metric)).not.toContain('pg_io_reuses_total');
    expect(samples).toHaveLength(15);
    for (const s of samples) expect(s.labels).toEqual(labels);
  });

  it('leaves out the times when the server does not measure them (track_io_timing off)', () => {
    const samples = deriveIoStats([
      row({
        read_time_seconds: null,
        write_time_seconds: null,
        writeback_time_seconds: null,
        extend_time_seconds: null,
        fsync_time_seconds: null,
      }),
    ]);
    expect(samples.filter((s) => s.metric.includes('_time_'))).toEqual([]);
  });

  it('keeps the rows apart', () => {
    const samples = deriveIoStats([
      row({}),
      row({ backend_type: 'checkpointer', reads: null, read_bytes: null, writes: 500 }),
    ]);
    const writes = samples.filter((s) => s.metric === 'pg_io_writes_total');
    expect(writes.map((s) => [s.labels.backend_type, s.value])).toEqual([
      ['client backend', 2],
      ['checkpointer', 500],
    ]);
  });
});
