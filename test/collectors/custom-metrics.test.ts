import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { customMetricsCollectors } from '../../backend/src/collectors/custom';
import { Collector } from '../../backend/src/collectors/types';
import { loadConfig } from '../../backend/src/config/load';
import { collectOnce, samplesOf, valueOf } from '../support/collect';
import { majorsUnderTest, startPostgres, TestPostgres } from '../support/postgres';

const dir = mkdtempSync(path.join(tmpdir(), 'pgg-custom-metrics-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The custom collector of a custom_metrics YAML list, through the real configuration loader. */
function collectorOf(customMetrics: string): Collector {
  const file = path.join(dir, `config-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, `custom_metrics:\n${customMetrics}`);
  const [collector] = customMetricsCollectors(loadConfig({ file, env: {} }).config);
  if (!collector) throw new Error('no custom collector');
  return collector;
}

const TASK_METRICS = `
  - name: task_queue_depth
    help: Tasks by status
    sql: SELECT status, count(*) AS count FROM tasks GROUP BY status
    value_columns: [count]
    label_columns: [status]
  - name: tasks_stuck
    help: Tasks started more than 10 minutes ago and not finished
    sql: |
      SELECT count(*) AS count
        FROM tasks
       WHERE status = 'started' AND started_at < now() - interval '10 minutes' -- stuck
    value_columns: [count]
`;

/**
 * The task-queue scenario: a `tasks` table whose queue depth by status and stuck tasks are custom
 * metrics, on a real server; then the row cap, a non-numeric value, a write attempt, and a slow
 * query cut at its share of the budget while the next metric still runs.
 */
describe.each(majorsUnderTest())('custom metrics on PostgreSQL %i', (major) => {
  let pg: TestPostgres;

  beforeAll(async () => {
    pg = await startPostgres({ major });
    await pg.query(`CREATE TABLE tasks (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      status text NOT NULL CHECK (status IN ('queued', 'started', 'done', 'failed')),
      started_at timestamptz)`);
    await pg.query(`INSERT INTO tasks (status, started_at)
      SELECT 'queued', NULL FROM generate_series(1, 5)
      UNION ALL SELECT 'started', now() - interval '20 minutes' FROM generate_series(1, 2)
      UNION ALL SELECT 'started', now() - interval '2 minutes'
      UNION ALL SELECT 'done', now() - interval '1 hour' FROM generate_series(1, 7)
      UNION ALL SELECT 'failed', now() - interval '1 hour'`);
    await pg.query('CREATE SEQUENCE ticket');
  });

  afterAll(async () => {
    await pg?.destroy();
  });

  it('exports queue depth by status and stuck tasks, exactly, and serves them again until due', async () => {
    const collector = collectorOf(TASK_METRICS);
    const state = new Map<string, unknown>();
    const result = await collectOnce(pg.superuserUrl, collector, { state, budgetMs: 5000 });
    expect(result.error).toBeUndefined();
    const depth = Object.fromEntries(
      samplesOf(result, 'pg_custom_task_queue_depth_count').map((s) => [s.labels.status, s.value]),
    );
    expect(depth).toEqual({ queued: 5, started: 3, done: 7, failed: 1 });
    expect(samplesOf(result, 'pg_custom_tasks_stuck_count')).toEqual([
      { metric: 'pg_custom_tasks_stuck_count', labels: {}, value: 2 },
    ]);
    expect(valueOf(result, 'pgg_custom_metric_success', { metric: 'task_queue_depth' })).toBe(1);
    expect(valueOf(result, 'pgg_custom_metric_truncated', { metric: 'tasks_stuck' })).toBe(0);

    // Within interval_s (60 s) the query is not run again: the last values are served.
    await pg.query("INSERT INTO tasks (status) VALUES ('queued')");
    try {
      const again = await collectOnce(pg.superuserUrl, collector, { state, budgetMs: 5000 });
      expect(valueOf(again, 'pg_custom_task_queue_depth_count', { status: 'queued' })).toBe(5);
      const fresh = await collectOnce(pg.superuserUrl, collector, { budgetMs: 5000 });
      expect(valueOf(fresh, 'pg_custom_task_queue_depth_count', { status: 'queued' })).toBe(6);
    } finally {
      await pg.query("DELETE FROM tasks WHERE status = 'queued' AND id = (SELECT max(id) FROM tasks)");
    }
  });

  it('keeps max_rows rows, drops the rest and says so', async () => {
    const collector = collectorOf(`
  - name: series
    help: Numbers
    sql: SELECT n::text AS n, n * 10 AS value FROM generate_series(1, 5) n ORDER BY n
    value_columns: [value]
    label_columns: [n]
    max_rows: 3
`);
    const result = await collectOnce(pg.superuserUrl, collector, { budgetMs: 5000 });
    expect(samplesOf(result, 'pg_custom_series_value').map((s) => [s.labels.n, s.value])).toEqual([
      ['1', 10],
      ['2', 20],
      ['3', 30],
    ]);
    expect(valueOf(result, 'pgg_custom_metric_truncated', { metric: 'series' })).toBe(1);
    expect(result.error).toBeUndefined();
  });

  it('fails a metric whose value column is not numeric, naming the column, and runs the others', async () => {
    const collector = collectorOf(`
  - name: bad
    help: Status as a value
    sql: SELECT status FROM tasks WHERE status = 'failed'
    value_columns: [status]
${TASK_METRICS}`);
    const result = await collectOnce(pg.superuserUrl, collector, { budgetMs: 5000 });
    expect(result.error).toBe('custom metric bad: value column status is not numeric: "failed" (row 1)');
    expect(valueOf(result, 'pgg_custom_metric_success', { metric: 'bad' })).toBe(0);
    expect(samplesOf(result, 'pg_custom_bad_status')).toEqual([]);
    expect(valueOf(result, 'pg_custom_tasks_stuck_count')).toBe(2);
    expect(valueOf(result, 'pgg_custom_metric_success', { metric: 'tasks_stuck' })).toBe(1);
  });

  it('runs the SQL read-only', async () => {
    const collector = collectorOf(`
  - name: ticket
    help: Takes a ticket
    sql: SELECT nextval('ticket') AS n
    value_columns: [n]
`);
    const result = await collectOnce(pg.superuserUrl, collector, { budgetMs: 5000 });
    expect(result.error).toMatch(
      /^custom metric ticket: cannot execute nextval\(\) in a read-only transaction$/,
    );
    expect((await pg.query('SELECT last_value, is_called FROM ticket'))[0]).toEqual({
      last_value: '1',
      is_called: false,
    });
  });

  it("never raises the session's statement_timeout (the loop's, capped by the target's) to the share", async () => {
    const collector = collectorOf(`
  - name: sleepy
    help: Sleeps 3 s
    sql: SELECT 1 AS n FROM pg_sleep(3)
    value_columns: [n]
`);
    const url = `${pg.superuserUrl}?options=${encodeURIComponent('-c statement_timeout=500')}`;
    const started = Date.now();
    const result = await collectOnce(url, collector, { budgetMs: 5000 });
    expect(result.error).toMatch(/^custom metric sleepy: canceling statement due to statement timeout/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('cuts a slow query at its share of the budget, and the next metric still runs', async () => {
    const collector = collectorOf(`
  - name: slow
    help: Sleeps past the loop's budget
    sql: SELECT 1 AS n FROM pg_sleep(30)
    value_columns: [n]
${TASK_METRICS}`);
    const started = Date.now();
    const result = await collectOnce(pg.superuserUrl, collector, { budgetMs: 5000 });
    const elapsed = Date.now() - started;
    // 3 metrics due, 5000 ms: the slow one gets a third of it.
    expect(result.error).toMatch(
      /^custom metric slow: canceling statement due to statement timeout \(its share of the loop's budget: 16\d\d ms\)$/,
    );
    expect(valueOf(result, 'pg_custom_task_queue_depth_count', { status: 'queued' })).toBe(5);
    expect(valueOf(result, 'pg_custom_tasks_stuck_count')).toBe(2);
    expect(elapsed).toBeGreaterThan(1500);
    expect(elapsed).toBeLessThan(5000);
  });
});
