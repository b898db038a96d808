import pino from 'pino';
import { Registry } from 'prom-client';
import { LatestObservations } from '../../backend/src/collectors/latest-observations';
import { ObservationBus } from '../../backend/src/collectors/observation-bus';
import { Collector } from '../../backend/src/collectors/types';
import { loadConfig } from '../../backend/src/config/load';
import { TargetMonitor } from '../../backend/src/db/target-monitor';
import { createCollectorMetrics } from '../../backend/src/scheduler/collector-metrics';
import { GovernorWatch, LoopRunner } from '../../backend/src/scheduler/loop-runner';
import { startPostgres, TestPostgres } from '../support/postgres';

/**
 * The scheduler's promises, on a real target: a cycle never overlaps the previous one (ticks that
 * arrive while it runs are skipped and counted), a failing collector does not stop the next one,
 * and every collector's self-metrics are emitted. (A statement cut by the loop's statement_timeout:
 * test/collectors/custom-metrics.test.ts.)
 */
let pg: TestPostgres;
let monitor: TargetMonitor;
const log = pino({ level: 'silent' });

beforeAll(async () => {
  pg = await startPostgres();
  await pg.createRole('pgg_monitor', { password: 'monitor-pw-123', grants: ['pg_monitor'] });
  const { config } = loadConfig({
    env: { PGG_TARGET_URL: pg.url('postgres', 'pgg_monitor', 'monitor-pw-123') },
  });
  monitor = new TargetMonitor(
    config.targets[0]!,
    { probeIntervalMs: 60_000, initialMs: 100, maxMs: 1000 },
    log,
  );
  await monitor.start();
});

afterAll(async () => {
  await monitor?.stop();
  await pg?.destroy();
});

function runnerWith(
  collectors: Collector[],
  governor?: GovernorWatch,
): {
  runner: LoopRunner;
  registry: Registry;
  latest: LatestObservations;
} {
  const { config } = loadConfig({ env: {} });
  const registry = new Registry();
  const latest = new LatestObservations();
  const runner = new LoopRunner('hot', config.loops.hot, collectors, monitor, {
    bus: new ObservationBus(log),
    latest,
    metrics: createCollectorMetrics(registry),
    log,
    config,
    ...(governor ? { governor } : {}),
  });
  return { runner, registry, latest };
}

const base = { loop: 'hot' as const, description: 'test', queries: [], metrics: [] };

it('never overlaps a running cycle: ticks meanwhile are skipped and counted', async () => {
  let running = 0;
  let maxRunning = 0;
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const slow: Collector = {
    ...base,
    name: 'slow',
    async collect() {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      await gate;
      running -= 1;
      return { samples: [{ metric: 'x', labels: {}, value: 1 }] };
    },
  };
  const { runner, registry } = runnerWith([slow]);
  const first = runner.tick();
  // The cycle is parked in the collector; three more ticks arrive.
  await new Promise((r) => setTimeout(r, 50));
  await Promise.race([runner.tick(), new Promise((r) => setTimeout(r, 20))]);
  await Promise.race([runner.tick(), new Promise((r) => setTimeout(r, 20))]);
  await Promise.race([runner.tick(), new Promise((r) => setTimeout(r, 20))]);
  expect(runner.status().running).toBe(true);
  release();
  await first;
  expect(maxRunning).toBe(1);
  expect(runner.status().skippedCycles).toBe(3);
  const skipped = await registry.getSingleMetricAsString('pgg_loop_skipped_cycles_total');
  expect(skipped).toContain('pgg_loop_skipped_cycles_total{target="main",loop="hot",reason="overlap"} 3');
  // The next tick runs normally.
  await runner.tick();
  expect(runner.status().skippedCycles).toBe(3);
});

it('runs the next collector when one fails, and reports each one', async () => {
  const failing: Collector = {
    ...base,
    name: 'failing',
    async collect() {
      throw new Error('boom');
    },
  };
  const real: Collector = {
    ...base,
    name: 'real',
    async collect(context) {
      // A real statement on the loop's connection: the server's view of our own session.
      const rows = await context.query<{ application_name: string }>('activity', { params: [100] });
      return { samples: [{ metric: 'sessions_seen', labels: {}, value: rows.length }] };
    },
  };
  const { runner, registry, latest } = runnerWith([failing, real]);
  await runner.tick();
  const statuses = Object.fromEntries(runner.status().collectors.map((c) => [c.name, c]));
  expect(statuses.failing).toMatchObject({ state: 'failing', error: 'boom' });
  expect(statuses.real).toMatchObject({ state: 'ok' });
  expect(latest.get('main', 'real')?.samples[0]?.value).toBeGreaterThan(0);
  expect(latest.get('main', 'failing')).toBeUndefined();
  const success = await registry.getSingleMetricAsString('pgg_collector_success');
  expect(success).toContain('pgg_collector_success{target="main",collector="failing"} 0');
  expect(success).toContain('pgg_collector_success{target="main",collector="real"} 1');
});

it('tells the governor it is blind when its input collector fails, and while the loop backs off', async () => {
  const told: string[] = [];
  const whenBlind = (target: string, why: string) => told.push(`${target}: ${why}`);
  const other: Collector = {
    ...base,
    name: 'other',
    async collect() {
      throw new Error('other broke');
    },
  };
  const input: Collector = {
    ...base,
    name: 'input',
    async collect(context) {
      // A real statement cut by a real statement_timeout: what an overloaded server does.
      if (!context.queryConfigured) throw new Error('the loop gives no queryConfigured');
      await context.queryConfigured('SELECT pg_sleep(1)', { timeoutMs: 10 });
      return { samples: [] };
    },
  };
  const { runner } = runnerWith([other, input], { input: 'input', blind: whenBlind });
  await runner.tick();
  // Only the governor's input counts: another collector failing leaves the governor its snapshot.
  expect(told).toEqual([expect.stringMatching(/^main: input failed: .*statement timeout/)]);
  // Every collector failed, so the loop backs off; a tick meanwhile is skipped, and the governor told.
  expect(runner.status().consecutiveFailures).toBe(1);
  await runner.tick();
  expect(runner.status().skippedCycles).toBe(1);
  expect(told[1]).toBe('main: loop hot backing off after 1 failed cycles');
});
