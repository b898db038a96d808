/**
 * PromQL's range functions over one series' samples in a window, the way Prometheus computes them,
 * so that a baseline or an increase means the same number in the backend as in a rule file.
 */

type Points = readonly (readonly [number, number])[];

export function avgOverTime(points: Points): number | undefined {
  if (points.length === 0) return undefined;
  return points.reduce((sum, [, v]) => sum + v, 0) / points.length;
}

/** Population standard deviation, as stddev_over_time. */
export function stddevOverTime(points: Points): number | undefined {
  const mean = avgOverTime(points);
  if (mean === undefined) return undefined;
  const variance = points.reduce((sum, [, v]) => sum + (v - mean) ** 2, 0) / points.length;
  return Math.sqrt(variance);
}

/**
 * increase(): the counter's growth over the window (resets count as growth from zero), extrapolated
 * to the window's edges the way Prometheus does (extrapolatedRate): by the gap to an edge when it is
 * less than 1.1 average sample intervals, else by half an interval, and never below zero.
 */
export function increase(points: Points, windowStartMs: number, windowEndMs: number): number | undefined {
  if (points.length < 2) return undefined;
  const [firstT, firstV] = points[0] as readonly [number, number];
  const [lastT, lastV] = points[points.length - 1] as readonly [number, number];
  let result = lastV - firstV;
  for (let i = 1; i < points.length; i++) {
    const previous = (points[i - 1] as readonly [number, number])[1];
    if ((points[i] as readonly [number, number])[1] < previous) result += previous;
  }
  let durationToStart = (firstT - windowStartMs) / 1000;
  const durationToEnd = (windowEndMs - lastT) / 1000;
  const sampledInterval = (lastT - firstT) / 1000;
  const averageInterval = sampledInterval / (points.length - 1);
  if (result > 0 && firstV >= 0) {
    // A counter does not go below zero: do not extrapolate past the time it would have been zero.
    const durationToZero = sampledInterval * (firstV / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  const threshold = averageInterval * 1.1;
  let extrapolateTo = sampledInterval;
  extrapolateTo += durationToStart < threshold ? durationToStart : averageInterval / 2;
  extrapolateTo += durationToEnd < threshold ? durationToEnd : averageInterval / 2;
  return result * (extrapolateTo / sampledInterval);
}
