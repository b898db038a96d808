import { TimeRange } from './time-range';

/**
 * The bucket width of a time series: Grafana's interval, widened so that the range yields at most
 * maxDataPoints buckets (a panel cannot show more points than it has pixels).
 */
export function stepMs(range: TimeRange, intervalMs: number, maxDataPoints: number): number {
  const span = range.to - range.from;
  return Math.max(1, Math.ceil(intervalMs), Math.ceil(span / maxDataPoints));
}
