import { customMetricName } from '../../config/custom-metrics';
import { CustomMetricConfig } from '../../config/schema';
import { sanitizeLabelValue } from '../../lib/label-value';
import { Sample } from '../types';

export type CustomRow = Record<string, unknown>;

/**
 * A value cell as a number: numbers, and the strings node-postgres gives for bigint and numeric.
 * NULL is no value (no sample), e.g. max() over no rows; anything else is the query's mistake.
 */
function numeric(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : NaN;
  return Number.isFinite(n) ? n : NaN;
}

function labelValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  return sanitizeLabelValue(typeof value === 'object' ? JSON.stringify(value) : String(value));
}

/**
 * Samples from the rows of one run (at most max_rows + 1 of them: the collector asks for one more
 * to tell that some were dropped). Throws, naming the column and row, when the result does not fit
 * the configuration: a column missing, a value that is not a number, two rows with the same labels.
 */
export function customSamples(
  metric: CustomMetricConfig,
  rows: CustomRow[],
): { samples: Sample[]; truncated: boolean } {
  const truncated = rows.length > metric.max_rows;
  const kept = truncated ? rows.slice(0, metric.max_rows) : rows;
  const first = kept[0];
  if (first) {
    for (const column of [...metric.value_columns, ...metric.label_columns]) {
      if (!(column in first))
        throw new Error(`column ${column} is not in the result (columns: ${Object.keys(first).join(', ')})`);
    }
  }
  const samples: Sample[] = [];
  const seen = new Map<string, number>();
  kept.forEach((row, index) => {
    const labels: Record<string, string> = {};
    for (const column of metric.label_columns) labels[column] = labelValue(row[column]);
    const key = JSON.stringify(labels);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw new Error(
        `rows ${earlier + 1} and ${index + 1} have the same labels ${key}: aggregate them or add a label column`,
      );
    }
    seen.set(key, index);
    for (const column of metric.value_columns) {
      const value = numeric(row[column]);
      if (value === null) continue;
      if (Number.isNaN(value)) {
        throw new Error(
          `value column ${column} is not numeric: ${JSON.stringify(String(row[column])).slice(0, 80)} (row ${index + 1})`,
        );
      }
      samples.push({ metric: customMetricName(metric.name, column), labels: { ...labels }, value });
    }
  });
  return { samples, truncated };
}
