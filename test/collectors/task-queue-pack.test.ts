import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { customMetricsCollectors } from '../../backend/src/collectors/custom';
import { Collector, CollectResult } from '../../backend/src/collectors/types';
import { loadConfig } from '../../backend/src/config/load';
import { ensureDemoSchema } from '../../backend/src/demo/schema';
import { TASK_QUEUE_PACK } from '../../backend/src/demo/task-queue-pack';
import { collectOnce, samplesOf, valueOf } from '../support/collect';
import { majorsUnderTest, startPostgres, TestPostgres } from '../support/postgres';

/**
 * The task queue pack (examples/packs/task-queue.yaml) as a user loads it (custom_metrics_files),
 * over the demo's queue on a real server, read as the monitor role: every metric's value with the
 * demo's seed, then with staged rows, then after tasks move as the demo's workers move them.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'pgg-task-queue-pack-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MONITOR_PASSWORD = 'monitor-password-0123';
const PACK_METRICS = [
  'task_queue',
  'task_queue_stuck',
  'task_queue_pending',
  'task_queue_finished_per_minute',
  'task_queue_past_cleanup',
];

function packCollector(): Collector {
  const file = path.join(dir, 'pg-governor.yaml');
  writeFileSync(file, `custom_metrics_files: [${JSON.stringify(path.relative(dir, TASK_QUEUE_PACK))}]\n`);
  const { config } = loadConfig({ file, env: {} });
  expect(config.custom_metrics.map((m) => m.name)).toEqual(PACK_METRICS);
  const [collector] = customMetricsCollectors(config);
  if (!collector) throw new Error('no custom collector');
  return collector;
}

function byStatus(result: CollectResult, metric: string): Record<string, number> {
  return Object.fromEntries(samplesOf(result, metric).map((s) => [s.labels.status, s.value]));
}

describe.each(majorsUnderTest())('task queue pack on PostgreSQL %i', (major) => {
  let pg: TestPostgres;
  let collector: Collector;
  let monitorUrl: string;
  /** One run of every metric of the pack (a fresh state: none is served from an earlier run). */
  const collect = async () => {
    const result = await collectOnce(monitorUrl, collector, { budgetMs: 5000 });
    expect(result.error).toBeUndefined();
    for (const metric of collector.metrics.filter((m) => m.name.startsWith('pg_custom_')))
      expect({ metric: metric.name, samples: samplesOf(result, metric.name).length > 0 }).toEqual({
        metric: metric.name,
        samples: true,
      });
    return result;
  };

  beforeAll(async () => {
    pg = await startPostgres({ major });
    // As sql/roles/monitor-role.sql makes it: pg_monitor, no table privileges of its own.
    await pg.createRole('pgg_monitor', { password: MONITOR_PASSWORD, grants: ['pg_monitor'] });
    await pg.query('ALTER ROLE pgg_monitor SET default_transaction_read_only = on');
    monitorUrl = pg.url('postgres', 'pgg_monitor', MONITOR_PASSWORD);
    const client = new Client({ connectionString: pg.superuserUrl });
    await client.connect();
    await ensureDemoSchema(client).finally(() => client.end());
    collector = packCollector();
  });

  afterAll(async () => {
    await pg?.destroy();
  });

  it("answers over the demo's seeded queue, read by the monitor role", async () => {
    const result = await collect();
    expect(byStatus(result, 'pg_custom_task_queue_tasks')).toEqual({
      queued: 250,
      started: 12,
      done: 118,
      failed: 20,
    });
    expect(valueOf(result, 'pg_custom_task_queue_stuck_tasks')).toBe(12);
    // The oldest stuck one started 6 hours ago (plus 5 s after it was created).
    expect(valueOf(result, 'pg_custom_task_queue_stuck_oldest_seconds')).toBeGreaterThan(6 * 3600 - 10);
    expect(valueOf(result, 'pg_custom_task_queue_stuck_oldest_seconds')).toBeLessThan(6 * 3600 + 60);
    // The oldest queued one was created 2,490 s before the seed.
    expect(valueOf(result, 'pg_custom_task_queue_pending_oldest_seconds')).toBeGreaterThanOrEqual(2490);
    expect(valueOf(result, 'pg_custom_task_queue_pending_oldest_seconds')).toBeLessThan(2490 + 120);
    expect(valueOf(result, 'pg_custom_task_queue_past_cleanup_tasks')).toBe(24);
    expect(byStatus(result, 'pg_custom_task_queue_finished_per_minute_tasks')).toEqual({
      done: 0,
      failed: 0,
    });
    for (const name of PACK_METRICS)
      expect({ name, success: valueOf(result, 'pgg_custom_metric_success', { metric: name }) }).toEqual({
        name,
        success: 1,
      });
  });

  it('counts staged rows exactly, and follows tasks as workers move them', async () => {
    await pg.query(`TRUNCATE demo.task_queue;
      INSERT INTO demo.task_queue (status, created_at, started_at, finished_at) VALUES
        ('queued',  now() - interval '300 seconds', NULL, NULL),
        ('queued',  now() - interval '120 seconds', NULL, NULL),
        ('queued',  now(), NULL, NULL),
        ('started', now() - interval '31 minutes', now() - interval '30 minutes', NULL),
        ('started', now() - interval '16 minutes', now() - interval '15 minutes', NULL),
        ('started', now() - interval '3 minutes',  now() - interval '2 minutes', NULL),
        ('done',    now() - interval '1 minute',   now() - interval '50 seconds', now() - interval '20 seconds'),
        ('done',    now() - interval '1 minute',   now() - interval '50 seconds', now() - interval '20 seconds'),
        ('done',    now() - interval '10 minutes', now() - interval '9 minutes',  now() - interval '5 minutes'),
        ('done',    now() - interval '9 days',     now() - interval '9 days',     now() - interval '8 days'),
        ('done',    now() - interval '9 days',     now() - interval '9 days',     now() - interval '8 days'),
        ('failed',  now() - interval '1 minute',   now() - interval '40 seconds', now() - interval '10 seconds'),
        ('failed',  now() - interval '10 days',    now() - interval '10 days',    now() - interval '9 days'),
        -- Inside the window by a day: not past the cleanup.
        ('done',    now() - interval '6 days',     now() - interval '6 days',     now() - interval '6 days')`);
    const staged = await collect();
    expect(byStatus(staged, 'pg_custom_task_queue_tasks')).toEqual({
      queued: 3,
      started: 3,
      done: 6,
      failed: 2,
    });
    expect(valueOf(staged, 'pg_custom_task_queue_stuck_tasks')).toBe(2);
    expect(valueOf(staged, 'pg_custom_task_queue_stuck_oldest_seconds')).toBeGreaterThanOrEqual(1800);
    expect(valueOf(staged, 'pg_custom_task_queue_stuck_oldest_seconds')).toBeLessThan(1800 + 60);
    expect(valueOf(staged, 'pg_custom_task_queue_pending_oldest_seconds')).toBeGreaterThanOrEqual(300);
    expect(valueOf(staged, 'pg_custom_task_queue_pending_oldest_seconds')).toBeLessThan(300 + 60);
    expect(byStatus(staged, 'pg_custom_task_queue_finished_per_minute_tasks')).toEqual({
      done: 2,
      failed: 1,
    });
    expect(valueOf(staged, 'pg_custom_task_queue_past_cleanup_tasks')).toBe(3);

    // Workers claim the two oldest queued tasks and finish them (one fails); the stuck task of
    // 30 minutes is failed by hand; the cleanup deletes what finished more than 7 days ago.
    await pg.query(`
      UPDATE demo.task_queue SET status = 'started', started_at = now()
       WHERE id IN (SELECT id FROM demo.task_queue WHERE status = 'queued' ORDER BY id LIMIT 2);
      UPDATE demo.task_queue SET status = CASE WHEN created_at < now() - interval '200 seconds' THEN 'done' ELSE 'failed' END,
                                 finished_at = now()
       WHERE status = 'started' AND started_at > now() - interval '1 minute';
      UPDATE demo.task_queue SET status = 'failed', finished_at = now()
       WHERE status = 'started' AND started_at < now() - interval '29 minutes';
      DELETE FROM demo.task_queue WHERE status IN ('done', 'failed') AND finished_at < now() - interval '7 days'`);
    const moved = await collect();
    expect(byStatus(moved, 'pg_custom_task_queue_tasks')).toEqual({
      queued: 1,
      started: 2,
      done: 5,
      failed: 3,
    });
    expect(valueOf(moved, 'pg_custom_task_queue_stuck_tasks')).toBe(1);
    expect(valueOf(moved, 'pg_custom_task_queue_stuck_oldest_seconds')).toBeLessThan(15 * 60 + 60);
    expect(valueOf(moved, 'pg_custom_task_queue_pending_oldest_seconds')).toBeLessThan(60);
    expect(byStatus(moved, 'pg_custom_task_queue_finished_per_minute_tasks')).toEqual({ done: 3, failed: 3 });
    expect(valueOf(moved, 'pg_custom_task_queue_past_cleanup_tasks')).toBe(0);

    // An empty queue: zeros, not missing series.
    await pg.query('TRUNCATE demo.task_queue');
    const empty = await collect();
    expect(byStatus(empty, 'pg_custom_task_queue_tasks')).toEqual({
      queued: 0,
      started: 0,
      done: 0,
      failed: 0,
    });
    expect(valueOf(empty, 'pg_custom_task_queue_stuck_tasks')).toBe(0);
    expect(valueOf(empty, 'pg_custom_task_queue_stuck_oldest_seconds')).toBe(0);
    expect(valueOf(empty, 'pg_custom_task_queue_pending_oldest_seconds')).toBe(0);
    expect(valueOf(empty, 'pg_custom_task_queue_past_cleanup_tasks')).toBe(0);
  });
});
