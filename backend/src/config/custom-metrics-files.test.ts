import path from 'node:path';
import { configFolder, problemsOf } from './testing/config-files';
import { TASK_QUEUE_PACK } from '../demo/task-queue-pack';
import { readCustomMetricsFile } from './custom-metrics-files';
import { customSqlProblem } from './custom-sql-shape';
import { loadConfig } from './load';

const { dir, write } = configFolder('pgg-config-packs-');

const METRIC = `custom_metrics:
  - name: jobs_waiting
    help: Jobs waiting
    sql: SELECT count(*) AS jobs FROM jobs WHERE state = 'waiting'
    value_columns: [jobs]
`;

describe('the task queue pack (examples/packs/task-queue.yaml)', () => {
  const pack = readCustomMetricsFile(TASK_QUEUE_PACK);

  it('is valid custom metrics whose SQL the collector can wrap, read-only and bounded', () => {
    expect(pack.map((m) => m.name)).toEqual([
      'task_queue',
      'task_queue_stuck',
      'task_queue_pending',
      'task_queue_finished_per_minute',
      'task_queue_past_cleanup',
    ]);
    for (const metric of pack) {
      expect({ metric: metric.name, problem: customSqlProblem(metric.sql) }).toEqual({
        metric: metric.name,
        problem: undefined,
      });
      // Reads only: no statement that writes or locks rows.
      expect(metric.sql).not.toMatch(/\b(INSERT|UPDATE|DELETE|MERGE|TRUNCATE|FOR\s+UPDATE|FOR\s+SHARE)\b/i);
      expect(metric.interval_s).toBeGreaterThanOrEqual(30);
      expect(metric.max_rows).toBeLessThanOrEqual(10);
    }
  });
});

describe('custom_metrics_files', () => {
  it('adds each file’s metrics after custom_metrics, relative paths from the configuration file', () => {
    write('packs/jobs.yaml', METRIC);
    const file = write(
      'with-pack.yaml',
      `custom_metrics:
  - name: own
    help: Own
    sql: SELECT 1 AS one
    value_columns: [one]
custom_metrics_files: [packs/jobs.yaml, ${JSON.stringify(TASK_QUEUE_PACK)}]
`,
    );
    const { config } = loadConfig({ file, env: {} });
    expect(config.custom_metrics.map((m) => m.name)).toEqual([
      'own',
      'jobs_waiting',
      'task_queue',
      'task_queue_stuck',
      'task_queue_pending',
      'task_queue_finished_per_minute',
      'task_queue_past_cleanup',
    ]);
    // Defaults filled in, as for custom_metrics.
    expect(config.custom_metrics[1]).toMatchObject({ interval_s: 60, max_rows: 100, label_columns: [] });
  });

  it('names the file and the key of what is wrong, every file at once', () => {
    write(
      'bad/missing-columns.yaml',
      'custom_metrics:\n  - name: x\n    help: X\n    sql: SELECT 1 AS one\n',
    );
    write('bad/semicolon.yaml', METRIC.replace("'waiting'", "'waiting';"));
    write('bad/not-a-pack.yaml', '- just a list\n');
    const file = write(
      'bad.yaml',
      'custom_metrics_files: [bad/missing-columns.yaml, bad/none.yaml, bad/not-a-pack.yaml]\n',
    );
    expect(problemsOf(() => loadConfig({ file, env: {} }))).toEqual([
      "custom_metrics_files[0] bad/missing-columns.yaml: custom_metrics[0]: must have required property 'value_columns'",
      `custom_metrics_files[1] bad/none.yaml: file not found: ${path.join(dir, 'bad/none.yaml')}`,
      'custom_metrics_files[2] bad/not-a-pack.yaml: expected `custom_metrics:` with a list of custom metrics',
    ]);
    const semicolon = write('semicolon.yaml', 'custom_metrics_files: [bad/semicolon.yaml]\n');
    expect(problemsOf(() => loadConfig({ file: semicolon, env: {} }))).toEqual([
      'custom_metrics_files[0] bad/semicolon.yaml: custom_metrics[0].sql: must not end with a semicolon (it is run as a subquery)',
    ]);
  });

  it('refuses a pack metric named as a configured one', () => {
    write('packs/jobs.yaml', METRIC);
    write('packs/jobs-again.yaml', METRIC);
    const file = write('twice.yaml', 'custom_metrics_files: [packs/jobs.yaml, packs/jobs-again.yaml]\n');
    expect(problemsOf(() => loadConfig({ file, env: {} }))).toEqual([
      'custom_metrics[1].name: duplicate custom metric name "jobs_waiting"',
    ]);
  });
});
