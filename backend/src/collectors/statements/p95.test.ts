import { approximateP95, poolMoments, TimingMoments } from './p95';

const moments = (m: Partial<TimingMoments>): TimingMoments => ({
  calls: 100,
  meanMs: 10,
  stddevMs: 0,
  minMs: 0,
  maxMs: 1e9,
  ...m,
});

describe('approximateP95', () => {
  it('is the mean when every call took the same time', () => {
    expect(approximateP95(moments({ meanMs: 7, stddevMs: 0, minMs: 7, maxMs: 7 }))).toBe(7);
  });

  it('is the mean for a single call, whatever the stddev says', () => {
    expect(approximateP95(moments({ calls: 1, meanMs: 3, stddevMs: 5 }))).toBe(3);
  });

  it('is 0 without calls or time', () => {
    expect(approximateP95(moments({ calls: 0 }))).toBe(0);
    expect(approximateP95(moments({ meanMs: 0 }))).toBe(0);
  });

  it('matches the lognormal 95th percentile with the same mean and stddev', () => {
    // mean 10, stddev 10: sigma² = ln 2, mu = ln 10 - ln(2)/2; p95 = exp(mu + 1.6449 sqrt(ln 2)) ≈ 27.81.
    const expected = Math.exp(Math.log(10) - Math.log(2) / 2 + 1.6448536269514722 * Math.sqrt(Math.log(2)));
    expect(approximateP95(moments({ meanMs: 10, stddevMs: 10 }))).toBeCloseTo(expected, 10);
    expect(expected).toBeCloseTo(27.81, 1);
  });

  it('approaches the normal 95th percentile when the spread is small against the mean', () => {
    // A lognormal with a small coefficient of variation is nearly normal: m + 1.645 s.
    expect(approximateP95(moments({ meanMs: 100, stddevMs: 1 }))).toBeCloseTo(101.64, 1);
  });

  it('lies between the mean and the normal estimate for a skewed distribution', () => {
    const p95 = approximateP95(moments({ meanMs: 10, stddevMs: 30 }));
    expect(p95).toBeGreaterThan(10);
    expect(p95).toBeLessThan(10 + 1.645 * 30);
  });

  it('is clamped to the observed maximum and minimum', () => {
    expect(approximateP95(moments({ meanMs: 10, stddevMs: 10, minMs: 1, maxMs: 20 }))).toBe(20);
    // A tight spread just above a high minimum: the fit never goes below min.
    expect(
      approximateP95(moments({ meanMs: 10, stddevMs: 0.001, minMs: 10, maxMs: 10.5 })),
    ).toBeGreaterThanOrEqual(10);
  });

  it('ignores min and max that do not bracket the mean (reset on their own)', () => {
    expect(approximateP95(moments({ meanMs: 10, stddevMs: 10, minMs: 0, maxMs: 0 }))).toBeCloseTo(27.81, 1);
  });
});

describe('poolMoments', () => {
  it('keeps one entry as it is', () => {
    const one = moments({ calls: 4, meanMs: 2, stddevMs: 1, minMs: 1, maxMs: 4 });
    expect(poolMoments([one])).toEqual(one);
  });

  it('pools two groups into the moments of all their calls together', () => {
    // Group A: 1, 3 (mean 2, population stddev 1). Group B: 10, 10, 10, 10 (mean 10, stddev 0).
    // All six: mean 44/6, E[x²] = (1 + 9 + 400) / 6, variance = E[x²] - mean².
    const pooled = poolMoments([
      { calls: 2, meanMs: 2, stddevMs: 1, minMs: 1, maxMs: 3 },
      { calls: 4, meanMs: 10, stddevMs: 0, minMs: 10, maxMs: 10 },
    ]);
    const mean = 44 / 6;
    expect(pooled.calls).toBe(6);
    expect(pooled.meanMs).toBeCloseTo(mean, 12);
    expect(pooled.stddevMs).toBeCloseTo(Math.sqrt(410 / 6 - mean ** 2), 12);
    expect(pooled).toMatchObject({ minMs: 1, maxMs: 10 });
  });

  it('ignores entries without calls and is empty when none has any', () => {
    expect(
      poolMoments([moments({ calls: 0, minMs: -5 }), moments({ calls: 3, meanMs: 1, minMs: 1, maxMs: 1 })]),
    ).toMatchObject({ calls: 3, minMs: 1 });
    expect(poolMoments([]).calls).toBe(0);
  });
});
