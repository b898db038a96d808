import { ROLLUP_MS } from '../store/types';
import { TimeRange } from './time-range';

/**
 * The bucket width of a time series: Grafana's interval, widened so that the range yields at most
 * maxDataPoints buckets (a panel cannot show more points than it has pixels). Over a minute it is
 * rounded up to whole minutes, which the store reads from its minute rollups: every interval
 * Grafana picks from 1m up already is one; a step between them (24 h / 1,000 points = 86.4 s)
 * becomes 2m, fewer points than allowed, never more.
 */
export function stepMs(range: TimeRange, intervalMs: number, maxDataPoints: number): number {
  const span = range.to - range.from;
  const step = Math.max(1, Math.ceil(intervalMs), Math.ceil(span / maxDataPoints));
  return step > ROLLUP_MS ? Math.ceil(step / ROLLUP_MS) * ROLLUP_MS : step;
}
