import { Registry } from 'prom-client';

/** Labels that a histogram or summary adds per value: not part of the series' own labels. */
const VALUE_LABELS = new Set(['le', 'quantile']);

interface LabelledMetric {
  get(): Promise<{ values: { labels: Record<string, string | number | undefined> }[] }>;
  remove(labels: Record<string, string | number>): void;
}

/**
 * Drops every series of a target from the registry's self-metrics (collector, governor, checks...):
 * a target this replica no longer collects (handed over, removed) is not exported from here any
 * more, so that only its owner reports on it. The PostgreSQL families follow by themselves: they
 * are built from the latest observations at scrape time.
 */
export async function forgetTarget(registry: Registry, target: string): Promise<void> {
  for (const metric of registry.getMetricsAsArray()) {
    const names = (metric as unknown as { labelNames?: readonly string[] }).labelNames ?? [];
    if (!names.includes('target')) continue;
    const labelled = metric as unknown as LabelledMetric;
    const seen = new Set<string>();
    for (const { labels } of (await labelled.get()).values) {
      if (labels.target !== target) continue;
      const own = Object.fromEntries(
        Object.entries(labels).filter(
          (entry): entry is [string, string | number] =>
            !VALUE_LABELS.has(entry[0]) && entry[1] !== undefined,
        ),
      );
      const key = JSON.stringify(own);
      if (seen.has(key)) continue;
      seen.add(key);
      labelled.remove(own);
    }
  }
}
