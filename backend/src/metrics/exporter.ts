import { Counter, Gauge, Registry } from 'prom-client';
import { LatestObservations } from '../collectors/latest-observations';
import { CollectorDefinition, MetricDefinition } from '../catalog/types';
import { sanitizeLabelValue } from '../lib/label-value';

/** Series per metric family at most, whatever a collector returns (Top-N is applied in SQL too). */
export const MAX_SERIES_PER_FAMILY = 5000;

/**
 * Serves the latest observations as Prometheus metrics. Each family reads, at scrape time, the
 * newest observation of its collector on every target, so series of vanished objects and of
 * failing collectors disappear instead of going stale.
 */
export function registerExporter(
  registry: Registry,
  collectors: readonly CollectorDefinition[],
  latest: LatestObservations,
): void {
  const dropped = new Counter({
    name: 'pgg_exporter_series_dropped_total',
    help: 'Series not exported because a metric family reached its cap',
    labelNames: ['metric'],
    registers: [registry],
  });
  const seen = new Set<string>();
  for (const collector of collectors) {
    for (const definition of collector.metrics) {
      if (seen.has(definition.name)) throw new Error(`metric ${definition.name} is defined twice`);
      seen.add(definition.name);
      registerFamily(registry, collector.name, definition, latest, dropped);
    }
  }
}

function registerFamily(
  registry: Registry,
  collectorName: string,
  definition: MetricDefinition,
  latest: LatestObservations,
  dropped: Counter<'metric'>,
): void {
  const labelNames = ['target', ...definition.labels];
  const fill = (set: (labels: Record<string, string>, value: number) => void) => {
    let count = 0;
    for (const observation of latest.ofCollector(collectorName)) {
      for (const sample of observation.samples) {
        if (sample.metric !== definition.name || !Number.isFinite(sample.value)) continue;
        if (++count > MAX_SERIES_PER_FAMILY) {
          dropped.inc({ metric: definition.name });
          continue;
        }
        const labels: Record<string, string> = { target: observation.target };
        for (const name of definition.labels) labels[name] = sanitizeLabelValue(sample.labels[name] ?? '');
        set(labels, sample.value);
      }
    }
  };
  const help = `${definition.help} (${definition.unit})`;
  if (definition.type === 'counter') {
    new Counter({
      name: definition.name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        fill((labels, value) => this.inc(labels, Math.max(0, value)));
      },
    });
  } else {
    new Gauge({
      name: definition.name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        fill((labels, value) => this.set(labels, value));
      },
    });
  }
}
