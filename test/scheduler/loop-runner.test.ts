import { Client, Pool } from 'pg';
import pino from 'pino';
import { Registry } from 'prom-client';
import { LatestObservations } from '../../backend/src/collectors/latest-observations';
import { ObservationBus } from '../../backend/src/collectors/observation-bus';
import { Collector } from '../../backend/src/collectors/types';
import { loadConfig } from '../../backend/src/config/load';
import { LoopSettings } from '../../backend/src/config/schema';
import { TargetMonitor } from '../../backend/src/db/target-monitor';
import { TargetLease } from '../../backend/src/governor/lease';
import { TargetFence } from '../../backend/src/lifecycle/target-fence';
import { createCollectorMetrics } from '../../backend/src/scheduler/collector-metrics';
import { CollectionFence, GovernorWatch, LoopRunner } from '../../backend/src/scheduler/loop-runner';
import { eventually } from '../support/backend-process';
import { startPostgres, TestPostgres } from '../support/postgres';

/**
 * The scheduler's promises, on a real target: a cycle never overlaps the previous one (ticks that
 * arrive while it runs are skipped and counted), a failing collector does not stop the next one,
 * and every collector's self-metrics are emitted; a loop that has published nothing yet (a target
 * just gained) tries again soon rather than at its next tick. (A statement cut by the loop's
 * statement_timeout: test/collectors/custom-metrics.test.ts.)
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
  options: { settings?: LoopSettings; fence?: CollectionFence } = {},
): {
  runner: LoopRunner;
  registry: Registry;
  latest: LatestObservations;
} {
  const { config } = loadConfig({ env: {} });
  const registry = new Registry();
  const latest = new LatestObservations();
  const runner = new LoopRunner('hot', options.settings ?? config.loops.hot, collectors, monitor, {
    bus: new ObservationBus(log),
    latest,
    metrics: createCollectorMetrics(registry),
    log,
    config,
    ...(governor ? { governor } : {}),
    ...(options.fence ? { fence: options.fence } : {}),
  });
  return { runner, registry, latest };
}

/** Terminates session `pid` once it sleeps in pg_sleep, from a superuser session. */
async function terminateWhenAsleep(pid: number): Promise<void> {
  const admin = new Client({ connectionString: pg.superuserUrl });
  await admin.connect();
  try {
    await eventually(
      async () => {
        const { rows } = await admin.query<{ ended: boolean }>(
          `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE pid = $1 AND wait_event = 'PgSleep'`,
          [pid],
        );
        return rows[0]?.ended ? true : undefined;
      },
      5000,
      'the session to sleep',
    );
  } finally {
    await admin.end();
  }
}

const base = { loop: 'hot' as const, description: 'test', queries: [], metrics: [] };
/** A collector with a real statement on the loop's connection: the server's view of our own session. */
const real: Collector = {
  ...base,
  name: 'real',
  async collect(context) {
    const rows = await context.query<{ application_name: string }>('activity', { params: [100] });
    return { samples: [{ metric: 'sessions_seen', labels: {}, value: rows.length }] };
  },
};

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

describe('a loop that has published nothing yet (a target just gained)', () => {
  // Its next tick is 300 to 900 s away (start() with spreadPhase): only a retry collects it sooner.
  const settings: LoopSettings = { interval_s: 600, budget_ms: 3000 };

  it('whose first cycle collected nothing (its budget spent) tries again soon, without backing off', async () => {
    let calls = 0;
    const firstFails: Collector = {
      ...real,
      async collect(context) {
        calls += 1;
        if (calls === 1) throw new Error('loop hot (3000 ms) budget spent');
        return real.collect(context);
      },
    };
    const { runner, latest } = runnerWith([firstFails], undefined, { settings });
    runner.start(0, true);
    try {
      const observation = await eventually(
        async () => latest.get('main', 'real'),
        30_000,
        'the retry to collect',
      );
      expect(observation.samples[0]?.value).toBeGreaterThan(0);
      expect(calls).toBe(2);
      expect(runner.status()).toMatchObject({ consecutiveFailures: 0, skippedCycles: 0 });
    } finally {
      await runner.stop();
    }
  });

  it('whose connection was lost while the target stayed up (no wake will come) tries again soon', async () => {
    let calls = 0;
    const firstLosesItsSession: Collector = {
      ...real,
      async collect(context) {
        calls += 1;
        // The session ends under the loop (a connect timeout on a busy server fails alike); the
        // monitor's own check still finds the target up, so it never comes "up" again.
        if (calls === 1) {
          const options = { timeoutMs: 10_000 };
          const [own] = await context.queryConfigured!<{ pid: number }>(
            'SELECT pg_backend_pid() AS pid',
            options,
          );
          const [slept, terminated] = await Promise.allSettled([
            context.queryConfigured!('SELECT pg_sleep(10)', options),
            terminateWhenAsleep(own!.pid),
          ]);
          if (terminated.status === 'rejected')
            throw new Error(`not terminated: ${String(terminated.reason)}`);
          if (slept.status === 'rejected') throw slept.reason;
        }
        return real.collect(context);
      },
    };
    const { runner, latest } = runnerWith([firstLosesItsSession], undefined, { settings });
    runner.start(0, true);
    try {
      await eventually(async () => latest.get('main', 'real'), 30_000, 'the retry to collect');
      expect(calls).toBe(2);
      expect(monitor.status().state).toBe('up');
    } finally {
      await runner.stop();
    }
  });

  it('whose lock another session still holds (a handover) is collected once that session lets go', async () => {
    // The old owner's governor session, still holding the target's lock (sql/governor/lease.sql).
    const old = new Client({ connectionString: pg.superuserUrl });
    await old.connect();
    await old.query(`SELECT pg_advisory_lock(hashtext('pg-governor lease'), hashtext('main'))`);
    let oldEnded = false;
    const session = new Pool({ connectionString: pg.superuserUrl, max: 1 });
    // pool.end() resolves before its socket closes: the server stopping in afterAll a moment later
    // may still reach the ending client (the backend's sessions are guarded pools alike).
    session.on('error', () => undefined);
    const owned = { owns: () => true, leaseValid: () => true, withinLease: () => true };
    const fence = new TargetFence('main', owned, new TargetLease(session, log, 'me'), () => monitor.usable);
    const { runner, latest } = runnerWith([real], undefined, { settings, fence });
    runner.start(0, true);
    try {
      await eventually(
        async () => {
          const status = runner.collectorStatus('real');
          return status?.state === 'waiting' && /held by another/.test(status.error ?? '') ? true : undefined;
        },
        30_000,
        'the first cycle to wait for the lock',
      );
      expect(latest.get('main', 'real')).toBeUndefined();
      await old.end();
      oldEnded = true;
      await eventually(async () => latest.get('main', 'real'), 30_000, 'a retry to collect');
      expect(runner.collectorStatus('real')).toMatchObject({ state: 'ok' });
    } finally {
      await runner.stop();
      await session.end();
      if (!oldEnded) await old.end();
    }
  });
});
