import { CounterColumn, MetricDefinition, MetricType } from './types';

/** Metric definitions, as every collector declares them. */
export const metric = (
  type: MetricType,
  name: string,
  help: string,
  unit: string,
  labels: string[],
): MetricDefinition => ({
  name,
  help,
  type,
  unit,
  labels,
});

export const gauge = (name: string, help: string, unit = 'short', labels: string[] = []): MetricDefinition =>
  metric('gauge', name, help, unit, labels);

export const counter = (
  name: string,
  help: string,
  unit = 'short',
  labels: string[] = [],
): MetricDefinition => metric('counter', name, help, unit, labels);

/** The counter families of columns exported as they read, all with the same labels. */
export const counterMetrics = (columns: readonly CounterColumn[], labels: string[]): MetricDefinition[] =>
  columns.map((c) => metric('counter', c.metric, c.help, c.unit, labels));
