import { grafanaIntervalMs, intervalMs, roundInterval } from './grafana-interval';

const HOUR = 3_600_000;

describe("Grafana's panel interval", () => {
  it('rounds the range over the max data points to a nice interval', () => {
    expect(grafanaIntervalMs(3 * HOUR, 1000)).toBe(10_000); // 10.8 s
    expect(grafanaIntervalMs(24 * HOUR, 1000)).toBe(60_000); // 86.4 s
    expect(grafanaIntervalMs(7 * 24 * HOUR, 1000)).toBe(600_000); // 604.8 s
    expect(roundInterval(12_499)).toBe(10_000);
    expect(roundInterval(12_500)).toBe(15_000);
  });

  it('never goes below the panel Min interval', () => {
    expect(grafanaIntervalMs(3 * HOUR, 1000, '1m')).toBe(60_000);
    expect(grafanaIntervalMs(7 * 24 * HOUR, 1000, '1m')).toBe(600_000);
    expect(grafanaIntervalMs(HOUR, 1000, '30')).toBe(30_000); // a bare number: seconds
  });

  it('reads interval strings and refuses what Grafana would not', () => {
    expect(intervalMs('1m')).toBe(60_000);
    expect(intervalMs('500ms')).toBe(500);
    expect(intervalMs('2h')).toBe(2 * HOUR);
    expect(() => intervalMs('$__auto')).toThrow('"$__auto" is not an interval');
  });
});
