import { configFolder, problemsOf } from './testing/config-files';
import { customMetricsCollectors } from '../collectors/custom';
import { loadConfig } from './load';

const { yamlFile } = configFolder('pgg-config-custom-');

const TARGETS = `targets:
  - name: main
    dsn: postgres://mon:pw@db.example:5432/app
  - name: replica
    dsn: postgres://mon:pw@db2.example:5432/app
`;

/** A custom_metrics list with one entry (YAML flow mapping), other keys overridable. */
function oneMetric(fields: Record<string, string> = {}): string {
  const entry = {
    name: 'task_queue_depth',
    help: '"Tasks by status"',
    sql: '"SELECT status, count(*) AS count FROM tasks GROUP BY status"',
    value_columns: '[count]',
    label_columns: '[status]',
    ...fields,
  };
  return `custom_metrics:\n  - { ${Object.entries(entry)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ')} }\n`;
}

const load = (yaml: string) => loadConfig({ file: yamlFile(yaml), env: {} });

describe('custom_metrics', () => {
  it('defaults to none, with a custom loop that ticks every 10 s within 5 s', () => {
    const { config } = loadConfig({ env: {} });
    expect(config.custom_metrics).toEqual([]);
    expect(config.loops.custom).toEqual({ interval_s: 10, budget_ms: 5000 });
    expect(customMetricsCollectors(config)).toEqual([]);
  });

  it('fills in interval, row cap and labels, and makes one metric family per value column', () => {
    const { config } = load(
      `${TARGETS}${oneMetric({ value_columns: '[count, oldest_s]', label_columns: '[]' })}`,
    );
    expect(config.custom_metrics[0]).toMatchObject({ interval_s: 60, max_rows: 100, label_columns: [] });
    expect(config.custom_metrics[0]?.targets).toBeUndefined();
    const [collector] = customMetricsCollectors(config);
    expect(collector).toMatchObject({ name: 'custom', loop: 'custom' });
    expect(collector?.metrics.map((m) => m.name)).toEqual([
      'pg_custom_task_queue_depth_count',
      'pg_custom_task_queue_depth_oldest_s',
      'pgg_custom_metric_success',
      'pgg_custom_metric_truncated',
    ]);
    expect(collector?.metrics[0]).toMatchObject({
      help: 'Tasks by status (count)',
      type: 'gauge',
      labels: [],
    });
  });

  it('accepts targets that exist', () => {
    const { config } = load(`${TARGETS}${oneMetric({ targets: '[replica]' })}`);
    expect(config.custom_metrics[0]?.targets).toEqual(['replica']);
  });

  it.each([
    ['a bad name', { name: 'Task-Queue' }, /^custom_metrics\[0\]\.name: must match pattern/],
    [
      'no value column',
      { value_columns: '[]' },
      /^custom_metrics\[0\]\.value_columns: must NOT have fewer than 1 items$/,
    ],
    [
      'a bad value column',
      { value_columns: '["Count"]' },
      /^custom_metrics\[0\]\.value_columns\[0\]: must match pattern/,
    ],
    [
      'a bad label column',
      { label_columns: '["st atus"]' },
      /^custom_metrics\[0\]\.label_columns\[0\]: must match pattern/,
    ],
    ['an interval under 10 s', { interval_s: '5' }, /^custom_metrics\[0\]\.interval_s: must be >= 10$/],
    ['a row cap over 10000', { max_rows: '20000' }, /^custom_metrics\[0\]\.max_rows: must be <= 10000$/],
    ['an unknown key', { timeout: '1' }, /^custom_metrics\[0\]\.timeout: unknown key$/],
    [
      'a trailing semicolon',
      { sql: '"SELECT 1 AS count;"' },
      /^custom_metrics\[0\]\.sql: must not end with a semicolon \(it is run as a subquery\)$/,
    ],
    [
      'two statements',
      { sql: '"SELECT 1 AS count; SELECT 2"' },
      /^custom_metrics\[0\]\.sql: must be a single statement/,
    ],
    [
      'a statement that is not a query',
      { sql: '"DELETE FROM tasks"' },
      /^custom_metrics\[0\]\.sql: must be a query starting with SELECT, WITH, TABLE, VALUES \(it starts with DELETE\)$/,
    ],
    [
      'a bind parameter',
      { sql: '"SELECT $1::int AS count"' },
      /^custom_metrics\[0\]\.sql: must not use bind parameters/,
    ],
    [
      'the reserved target label',
      { label_columns: '[target]' },
      /^custom_metrics\[0\]\.label_columns\[0\]: "target" is reserved/,
    ],
    [
      'a column both label and value',
      { label_columns: '[count]' },
      /^custom_metrics\[0\]\.label_columns\[0\]: "count" is also a value column$/,
    ],
    [
      'a duplicate value column',
      { value_columns: '[count, count]' },
      /^custom_metrics\[0\]\.value_columns\[1\]: duplicate column "count"$/,
    ],
    [
      'an unknown target',
      { targets: '[main, nope]' },
      /^custom_metrics\[0\]\.targets\[1\]: no target named "nope"$/,
    ],
  ])('names the key of %s', (_what, fields, expected) => {
    expect(problemsOf(() => load(`${TARGETS}${oneMetric(fields)}`))).toEqual([
      expect.stringMatching(expected),
    ]);
  });

  it('refuses duplicate names and two metrics exporting the same series name', () => {
    const yaml = `${TARGETS}custom_metrics:
  - { name: queue, help: a, sql: "SELECT 1 AS depth_count", value_columns: [depth_count] }
  - { name: queue, help: b, sql: "SELECT 1 AS n", value_columns: [n] }
  - { name: queue_depth, help: c, sql: "SELECT 1 AS count", value_columns: [count] }
`;
    expect(problemsOf(() => load(yaml))).toEqual([
      'custom_metrics[1].name: duplicate custom metric name "queue"',
      'custom_metrics[2].value_columns[0]: exports pg_custom_queue_depth_count, as custom metric "queue" does',
    ]);
  });

  it('sets the custom loop like the others, env included', () => {
    const { config } = loadConfig({ env: { PGG_LOOPS__CUSTOM__BUDGET_MS: '2000' } });
    expect(config.loops.custom).toEqual({ interval_s: 10, budget_ms: 2000 });
  });
});
