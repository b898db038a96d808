import { Registry } from 'prom-client';
import { Series } from './expr/vector';

/**
 * The latest samples the rules read, taken from the process registry: the same numbers /metrics
 * serves (collector families read from the latest observations at collect time, the self-metrics,
 * the governor's), so that the backend and a Prometheus scraping it judge the same values.
 */
export async function samplesFromRegistry(
  registry: Registry,
  metrics: readonly string[],
): Promise<Map<string, Series[]>> {
  const samples = new Map<string, Series[]>();
  for (const name of metrics) {
    const metric = registry.getSingleMetric(name);
    if (!metric) continue;
    const { values } = await metric.get();
    const series: Series[] = [];
    for (const { labels, value } of values) {
      if (!Number.isFinite(value) && !Number.isNaN(value)) continue;
      const stringLabels: Record<string, string> = {};
      for (const [label, v] of Object.entries(labels)) if (v !== undefined) stringLabels[label] = String(v);
      series.push({ labels: stringLabels, value });
    }
    samples.set(name, series);
  }
  return samples;
}
