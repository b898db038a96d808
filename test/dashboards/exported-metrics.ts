import { createAlertEngineMetrics } from '../../backend/src/alerts/engine-metrics';
import { ALL_COLLECTORS } from '../../backend/src/collectors';
import { LatestObservations } from '../../backend/src/collectors/latest-observations';
import { registerFindingsMetrics } from '../../backend/src/findings/metrics';
import { createGovernorMetrics } from '../../backend/src/governor/governor-metrics';
import { CatalogExporter } from '../../backend/src/metrics/exporter';
import { createMetrics } from '../../backend/src/metrics/registry';

/** Names of the metric families the backend's /metrics exposes, from the same registrations the service makes. */
export async function exportedMetricNames(): Promise<Set<string>> {
  const { registry } = createMetrics({
    version: 'test',
    targets: () => [],
    memory: () => ({ limitBytes: 512 * 1024 * 1024, underPressure: false }),
  });
  createGovernorMetrics(registry);
  createAlertEngineMetrics(
    registry,
    [],
    () => [],
    () => undefined,
  );
  registerFindingsMetrics(registry, () => []);
  const catalog = new CatalogExporter(registry, ALL_COLLECTORS, new LatestObservations(), {
    statementsTopN: 20,
  });
  return new Set([...(await registry.getMetricsAsJSON()).map((m) => m.name), ...catalog.familyNames()]);
}
