import { CustomMetricConfig } from '../../config/schema';
import { Sample } from '../types';

/** A custom metric's last run on one target, kept in the collector's state between ticks. */
export interface CustomMetricRun {
  /** Cycle time of the run (ms since epoch). */
  at: number;
  samples: Sample[];
  truncated: boolean;
  error?: string;
}

/** Timer jitter: a run due in less than this is run on this tick rather than a whole tick late. */
const EARLY_MS = 1000;

export function isDue(metric: CustomMetricConfig, last: CustomMetricRun | undefined, now: number): boolean {
  return last === undefined || now - last.at >= metric.interval_s * 1000 - EARLY_MS;
}

/**
 * The metrics to run this tick, the longest-waiting first: when the budget runs out, those left
 * over are first on the next tick.
 */
export function dueMetrics(
  metrics: CustomMetricConfig[],
  runs: Map<string, CustomMetricRun>,
  now: number,
): CustomMetricConfig[] {
  return metrics
    .filter((m) => isDue(m, runs.get(m.name), now))
    .sort((a, b) => (runs.get(a.name)?.at ?? -Infinity) - (runs.get(b.name)?.at ?? -Infinity));
}
