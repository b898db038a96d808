import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  const settings = { initialMs: 1000, maxMs: 60_000 };

  it('waits nothing before the first failure', () => {
    expect(backoffDelay(0, settings)).toBe(0);
  });

  it('doubles per failure, between half and all of the ceiling', () => {
    expect(backoffDelay(1, settings, () => 0)).toBe(500);
    expect(backoffDelay(1, settings, () => 1)).toBe(1000);
    expect(backoffDelay(3, settings, () => 0)).toBe(2000);
    expect(backoffDelay(3, settings, () => 1)).toBe(4000);
  });

  it('never exceeds the maximum, even after very many failures', () => {
    expect(backoffDelay(10_000, settings, () => 1)).toBe(60_000);
    expect(backoffDelay(10_000, settings, () => 0)).toBe(30_000);
  });

  it('spreads retries of many clients (jitter)', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(4, settings)));
    expect(delays.size).toBeGreaterThan(10);
  });
});
