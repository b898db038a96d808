/**
 * pg_stat_statements keeps, per statement, the number of calls and the mean, population standard
 * deviation, minimum and maximum of its execution time since its counters were last reset; it
 * keeps no histogram. The 95th percentile is therefore an approximation:
 *
 * Method: fit a lognormal distribution with the same mean m and standard deviation s (moment
 * matching: sigma² = ln(1 + s²/m²), mu = ln m - sigma²/2) and take its 95th percentile,
 * exp(mu + 1.6449 sigma), then clamp it to [min, max], which are exact. A lognormal rather than
 * a normal distribution because latencies are positive and skewed to the right: a normal fit puts
 * mass below zero and over-states the tail of a skewed distribution (m + 1.645 s).
 *
 * Limits: it is a shape assumption, not a measurement. Bimodal statements (cache hit vs. miss,
 * small vs. large parameter values) are poorly described by two moments; the figure covers every
 * call since the entry's last reset, not the last interval; max and min can have been reset on
 * their own (PG17 pg_stat_statements_reset(minmax_only => true)) and are then ignored when they
 * do not bracket the mean. Use it to rank and trend statements, not as an SLO measurement.
 */

/** The timing figures pg_stat_statements keeps per entry (or a pooled set of entries), in ms. */
export interface TimingMoments {
  calls: number;
  meanMs: number;
  stddevMs: number;
  minMs: number;
  maxMs: number;
}

/** z such that P(Z <= z) = 0.95 for a standard normal Z. */
const Z_95 = 1.6448536269514722;

export function approximateP95(moments: TimingMoments): number {
  const { calls, meanMs, stddevMs, minMs, maxMs } = moments;
  if (!(calls > 0) || !(meanMs > 0)) return 0;
  let p95 = meanMs;
  if (calls > 1 && stddevMs > 0) {
    const sigma2 = Math.log1p((stddevMs / meanMs) ** 2);
    p95 = Math.exp(Math.log(meanMs) - sigma2 / 2 + Z_95 * Math.sqrt(sigma2));
  }
  // min and max are exact, but only usable when they bracket the mean (see above).
  if (minMs <= meanMs && meanMs <= maxMs) p95 = Math.min(Math.max(p95, minMs), maxMs);
  return p95;
}

/**
 * The moments of several entries taken together (one statement run by several roles, or both
 * top-level and nested): call-weighted mean, pooled population variance
 * (E[x²] - E[x]², with E[x²] = sum(n_i (s_i² + m_i²)) / N), smallest min and largest max.
 */
export function poolMoments(parts: TimingMoments[]): TimingMoments {
  const withCalls = parts.filter((p) => p.calls > 0);
  const calls = withCalls.reduce((n, p) => n + p.calls, 0);
  if (calls === 0) return { calls: 0, meanMs: 0, stddevMs: 0, minMs: 0, maxMs: 0 };
  const meanMs = withCalls.reduce((sum, p) => sum + p.calls * p.meanMs, 0) / calls;
  const meanOfSquares =
    withCalls.reduce((sum, p) => sum + p.calls * (p.stddevMs ** 2 + p.meanMs ** 2), 0) / calls;
  return {
    calls,
    meanMs,
    stddevMs: Math.sqrt(Math.max(0, meanOfSquares - meanMs ** 2)),
    minMs: Math.min(...withCalls.map((p) => p.minMs)),
    maxMs: Math.max(...withCalls.map((p) => p.maxMs)),
  };
}
