import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Self-metrics of the collection loops, emitted whether or not the target answers. */
export interface CollectorMetrics {
  duration: Histogram<'target' | 'collector'>;
  success: Gauge<'target' | 'collector'>;
  rows: Gauge<'target' | 'collector'>;
  lastSuccess: Gauge<'target' | 'collector'>;
  skippedCycles: Counter<'target' | 'loop' | 'reason'>;
  cycles: Counter<'target' | 'loop'>;
}

export function createCollectorMetrics(registry: Registry): CollectorMetrics {
  const labelNames = ['target', 'collector'] as const;
  return {
    duration: new Histogram({
      name: 'pgg_collector_duration_seconds',
      help: 'Time a collector took in one cycle',
      labelNames,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
    success: new Gauge({
      name: 'pgg_collector_success',
      help: 'Whether the last cycle of the collector succeeded (1) or failed (0)',
      labelNames,
      registers: [registry],
    }),
    rows: new Gauge({
      name: 'pgg_collector_rows',
      help: 'Samples plus snapshot rows the collector produced in its last successful cycle',
      labelNames,
      registers: [registry],
    }),
    lastSuccess: new Gauge({
      name: 'pgg_collector_last_success_timestamp_seconds',
      help: 'When the collector last succeeded (Unix time)',
      labelNames,
      registers: [registry],
    }),
    skippedCycles: new Counter({
      name: 'pgg_loop_skipped_cycles_total',
      help: 'Loop cycles not run: the previous one still running (overlap), or backing off after errors (backoff)',
      labelNames: ['target', 'loop', 'reason'],
      registers: [registry],
    }),
    cycles: new Counter({
      name: 'pgg_loop_cycles_total',
      help: 'Loop cycles started',
      labelNames: ['target', 'loop'],
      registers: [registry],
    }),
  };
}
