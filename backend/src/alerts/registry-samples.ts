import { Registry } from 'prom-client';
import { Series } from './expr/vector';

/** The series /metrics serves now of a family outside the registry (the catalog's), else undefined. */
export type CatalogSeries = (metric: string) => Series[] | undefined;

/**
 * The latest samples the rules read: the same numbers /metrics serves (the collector families from
 * the catalog exporter, with its Top-K and caps; the self-metrics and the governor's from the
 * process registry), so that the backend and a Prometheus scraping it judge the same values.
 * `pause` is awaited before each family (a family of 200 targets' statements is milliseconds).
 */
export async function samplesFromRegistry(
  registry: Registry,
  metrics: readonly string[],
  catalog?: CatalogSeries,
  pause: () => Promise<void> = async () => undefined,
): Promise<Map<string, Series[]>> {
  const samples = new Map<string, Series[]>();
  for (const name of metrics) {
    await pause();
    const exported = catalog?.(name);
    if (exported) {
      samples.set(name, exported);
      continue;
    }
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
