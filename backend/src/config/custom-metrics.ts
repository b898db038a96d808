import { customSqlProblem } from './custom-sql-shape';
import { ConfigProblem } from './errors';
import { ConfigFile } from './schema';

/** pg_custom_<name>_<value column>: what a custom metric's value column is exported as. */
export function customMetricName(name: string, valueColumn: string): string {
  return `pg_custom_${name}_${valueColumn}`;
}

/** Added by every consumer to every series; a column of that name would clash. */
const RESERVED_LABELS = new Set(['target']);

function duplicates(values: string[]): Map<number, string> {
  const seen = new Set<string>();
  const out = new Map<number, string>();
  values.forEach((value, i) => {
    if (seen.has(value)) out.set(i, value);
    seen.add(value);
  });
  return out;
}

/**
 * What the schema cannot say about custom_metrics: unique names (and exported metric names), label
 * and value columns that do not clash, SQL the collector can wrap and cap, targets that exist.
 */
export function customMetricProblems(
  metrics: ConfigFile['custom_metrics'],
  targetNames: string[],
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const targets = new Set(targetNames);
  const exported = new Map<string, string>();
  for (const [i, name] of duplicates(metrics.map((m) => m.name))) {
    problems.push({ path: `custom_metrics[${i}].name`, message: `duplicate custom metric name "${name}"` });
  }
  metrics.forEach((metric, i) => {
    const path = `custom_metrics[${i}]`;
    const sqlProblem = customSqlProblem(metric.sql);
    if (sqlProblem) problems.push({ path: `${path}.sql`, message: sqlProblem });
    for (const [j, column] of duplicates(metric.value_columns)) {
      problems.push({ path: `${path}.value_columns[${j}]`, message: `duplicate column "${column}"` });
    }
    for (const [j, column] of duplicates(metric.label_columns)) {
      problems.push({ path: `${path}.label_columns[${j}]`, message: `duplicate column "${column}"` });
    }
    metric.label_columns.forEach((column, j) => {
      const at = `${path}.label_columns[${j}]`;
      if (RESERVED_LABELS.has(column))
        problems.push({
          path: at,
          message: `"${column}" is reserved: every series carries the target's name under it`,
        });
      else if (column.startsWith('__'))
        problems.push({ path: at, message: 'label names starting with __ are reserved by Prometheus' });
      else if (metric.value_columns.includes(column))
        problems.push({ path: at, message: `"${column}" is also a value column` });
    });
    metric.value_columns.forEach((column, j) => {
      const name = customMetricName(metric.name, column);
      const other = exported.get(name);
      if (other !== undefined && other !== metric.name) {
        problems.push({
          path: `${path}.value_columns[${j}]`,
          message: `exports ${name}, as custom metric "${other}" does`,
        });
      }
      exported.set(name, metric.name);
    });
    metric.targets?.forEach((target, j) => {
      if (!targets.has(target))
        problems.push({ path: `${path}.targets[${j}]`, message: `no target named "${target}"` });
    });
  });
  return problems;
}
