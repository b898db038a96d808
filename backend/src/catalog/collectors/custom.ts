import { customMetricName } from '../../config/custom-metrics';
import { CustomMetricConfig } from '../../config/schema';
import { CollectorDefinition, MetricDefinition } from '../types';

function metricDefinitions(metrics: CustomMetricConfig[]): MetricDefinition[] {
  const perColumn = metrics.flatMap((m) =>
    m.value_columns.map((column) => ({
      name: customMetricName(m.name, column),
      help: m.value_columns.length > 1 ? `${m.help} (${column})` : m.help,
      type: 'gauge' as const,
      unit: 'short',
      labels: [...m.label_columns],
    })),
  );
  return [
    ...perColumn,
    {
      name: 'pgg_custom_metric_success',
      help: 'Whether the last run of a custom metric succeeded (1) or failed (0)',
      type: 'gauge',
      unit: 'short',
      labels: ['metric'],
    },
    {
      name: 'pgg_custom_metric_truncated',
      help: 'Whether the last run of a custom metric returned more than max_rows rows (1: the extra rows were dropped)',
      type: 'gauge',
      unit: 'short',
      labels: ['metric'],
    },
  ];
}

/**
 * The custom metrics collector: its metric families come from the configuration (custom_metrics),
 * so the exporter registers them and the catalog lists them like any other.
 */
export function customMetricsDefinition(metrics: CustomMetricConfig[]): CollectorDefinition {
  return {
    name: 'custom',
    loop: 'custom',
    description: 'Metrics from SQL in the configuration (custom_metrics), each on its own interval',
    // Besides the configured SQL, which is not a file.
    queries: ['custom/lower-statement-timeout'],
    metrics: metricDefinitions(metrics),
  };
}
