import { stepMs } from './step';

describe('stepMs', () => {
  const hour = { from: 0, to: 3_600_000 };

  it("is Grafana's interval when the range fits in maxDataPoints", () => {
    expect(stepMs(hour, 15_000, 1000)).toBe(15_000);
  });

  it('widens so that at most maxDataPoints buckets result', () => {
    expect(stepMs(hour, 1000, 100)).toBe(36_000);
    expect(stepMs({ from: 0, to: 1001 }, 1, 1000)).toBe(2);
  });

  it('over a minute, is whole minutes (read from the rollups): never more buckets than maxDataPoints', () => {
    const day = { from: 0, to: 86_400_000 };
    expect(stepMs(day, 60_000, 1000)).toBe(120_000);
    expect(stepMs(day, 60_000, 1440)).toBe(60_000);
    expect(stepMs(day, 300_000, 1000)).toBe(300_000);
    expect(stepMs(hour, 61_000, 1000)).toBe(120_000);
    expect(stepMs(hour, 45_000, 1000)).toBe(45_000);
  });

  it('is at least 1 ms, even for an empty range', () => {
    expect(stepMs({ from: 5, to: 5 }, 0.2, 1)).toBe(1);
  });
});
