import { deriveTempPulse, TempPulseRow } from './derive';

const row = (
  datid: number,
  temp_files: number,
  temp_bytes: number,
  stats_reset_ms: number | null = null,
): TempPulseRow => ({
  datid,
  temp_files,
  temp_bytes,
  stats_reset_ms,
});
const value = (samples: { metric: string; value: number }[], metric: string) =>
  samples.find((s) => s.metric === metric)?.value;

describe('deriveTempPulse', () => {
  it('sums the counters over databases; no interval gauge on the first cycle', () => {
    const { samples } = deriveTempPulse([row(1, 2, 1000), row(2, 3, 5000)], undefined, 0);
    expect(value(samples, 'pg_temp_files_total')).toBe(5);
    expect(value(samples, 'pg_temp_bytes_total')).toBe(6000);
    expect(value(samples, 'pg_temp_bytes_since_previous_cycle')).toBeUndefined();
    expect(samples.every((s) => Object.keys(s.labels).length === 0)).toBe(true);
  });

  it('gives the bytes written since the previous cycle and per second', () => {
    const first = deriveTempPulse([row(1, 2, 1000), row(2, 3, 5000)], undefined, 0);
    const { samples } = deriveTempPulse([row(1, 3, 9000), row(2, 3, 5000)], first.readings, 10_000);
    expect(value(samples, 'pg_temp_bytes_since_previous_cycle')).toBe(8000);
    expect(value(samples, 'pg_temp_bytes_per_second')).toBe(800);
  });

  it('never goes negative when one database is reset or dropped', () => {
    const first = deriveTempPulse([row(1, 2, 100_000), row(2, 3, 5000)], undefined, 0);
    // Database 1 reset (then wrote 300 bytes), database 2 wrote 700; database 3 is new with 50.
    const { samples } = deriveTempPulse(
      [row(1, 1, 300, 5000), row(2, 4, 5700), row(3, 1, 50)],
      first.readings,
      10_000,
    );
    expect(value(samples, 'pg_temp_bytes_since_previous_cycle')).toBe(300 + 700 + 50);
    const dropped = deriveTempPulse([row(2, 4, 5700)], first.readings, 10_000);
    expect(value(dropped.samples, 'pg_temp_bytes_since_previous_cycle')).toBe(700);
  });

  it('gives no interval gauges for a zero interval', () => {
    const first = deriveTempPulse([row(1, 2, 100)], undefined, 5000);
    const { samples } = deriveTempPulse([row(1, 3, 900)], first.readings, 5000);
    expect(value(samples, 'pg_temp_bytes_per_second')).toBeUndefined();
    expect(value(samples, 'pg_temp_bytes_total')).toBe(900);
  });
});
