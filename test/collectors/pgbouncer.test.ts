import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import pino from 'pino';
import { Registry } from 'prom-client';
import { activityCollector } from '../../backend/src/collectors/activity';
import { LatestObservations } from '../../backend/src/collectors/latest-observations';
import { ObservationBus } from '../../backend/src/collectors/observation-bus';
import { pgbouncerCollector } from '../../backend/src/collectors/pgbouncer';
import { CollectResult } from '../../backend/src/collectors/types';
import { loadConfig, targetWithDefaults } from '../../backend/src/config/load';
import { TargetMonitor } from '../../backend/src/db/target-monitor';
import { freeLoopbackPort } from '../../backend/src/embedded/postgres-server';
import { createCollectorMetrics } from '../../backend/src/scheduler/collector-metrics';
import { LoopRunner } from '../../backend/src/scheduler/loop-runner';
import { eventually } from '../support/backend-process';
import { collectOnce, valueOf } from '../support/collect';
import { startPgBouncer, TestPgBouncer } from '../support/pgbouncer';
import { startPostgres, TestPostgres } from '../support/postgres';

/**
 * A real PgBouncer (Debian's package) in front of a real PostgreSQL: pool_size 2, five clients
 * running pg_sleep(3) at once through it -> three wait. PgBouncer's metrics do not depend on the
 * PostgreSQL major; the newest one serves.
 */
describe('pgbouncer collector', () => {
  let pg: TestPostgres;
  let bouncer: TestPgBouncer;
  let usable: number;
  const APP_PASSWORD = 'app-secret-pw';
  const clients: Client[] = [];

  async function through(database: string, user: string, password: string): Promise<Client> {
    const client = new Client({ connectionString: bouncer.url(database, user, password) });
    client.on('error', () => undefined);
    await client.connect();
    clients.push(client);
    return client;
  }

  /** One collector cycle as the scheduler runs it, with the admin console as the context's pgbouncer. */
  const collect = (): Promise<CollectResult> =>
    collectOnce(pg.superuserUrl, pgbouncerCollector, { budgetMs: 5000, pgbouncerAdminUrl: bouncer.adminUrl });

  beforeAll(async () => {
    pg = await startPostgres({ maxConnections: 20 });
    await pg.createRole('app', { password: APP_PASSWORD });
    const superuserPassword = decodeURIComponent(new URL(pg.superuserUrl).password);
    const server = `host=127.0.0.1 port=${pg.port} dbname=postgres`;
    bouncer = await startPgBouncer({
      databases: { postgres: server, capped: `${server} pool_size=5 max_db_connections=3` },
      users: [
        { name: 'postgres', password: superuserPassword },
        { name: 'app', password: APP_PASSWORD },
      ],
      // Averages over 1 s instead of 60 s, so that they move within the test.
      settings: { pool_mode: 'transaction', default_pool_size: 2, stats_period: 1 },
    });
    const [limits] = await pg.query(
      `SELECT current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int
              - coalesce(current_setting('reserved_connections', true)::int, 0) AS usable`,
    );
    usable = limits?.usable as number;
    // A second user's pool on database postgres, its server connection left idle.
    await (await through('postgres', 'app', APP_PASSWORD)).query('SELECT 1');
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    await bouncer?.destroy();
    await pg?.destroy();
  });

  it('reads pools, limits and settings from the admin console', async () => {
    const result = await collect();
    expect(valueOf(result, 'pgbouncer_up')).toBe(1);
    expect(valueOf(result, 'pgbouncer_pool_size', { database: 'postgres' })).toBe(2);
    expect(valueOf(result, 'pgbouncer_pool_size', { database: 'capped' })).toBe(5);
    expect(valueOf(result, 'pgbouncer_default_pool_size')).toBe(2);
    expect(valueOf(result, 'pgbouncer_max_client_conn')).toBe(100);
    expect(valueOf(result, 'pgbouncer_servers_idle', { database: 'postgres' })).toBe(1);
    expect(valueOf(result, 'pgbouncer_clients_waiting', { database: 'capped' })).toBe(0);
    expect(valueOf(result, 'pgbouncer_servers_used')).toBe(1);
    // The admin console is not a pool: no series for it.
    expect(result.samples.some((s) => s.labels.database === 'pgbouncer')).toBe(false);
  });

  it('sees clients queue for the pool, how long they wait, and the connection math against the real server', async () => {
    const superuserPassword = decodeURIComponent(new URL(pg.superuserUrl).password);
    const before = await collect();
    const sleepers = await Promise.all(
      [1, 2, 3, 4, 5].map(() => through('postgres', 'postgres', superuserPassword)),
    );
    const started = Date.now();
    const runs = sleepers.map((c) => c.query('SELECT pg_sleep(3)'));

    const during = await eventually(
      async () => {
        const result = await collect();
        // Both server connections of the pool opened (on a loaded host the second one may still be
        // logging in, and its client counts as waiting meanwhile).
        return (valueOf(result, 'pgbouncer_clients_waiting', { database: 'postgres' }) ?? 0) >= 3 &&
          valueOf(result, 'pgbouncer_servers_active', { database: 'postgres' }) === 2 &&
          (valueOf(result, 'pgbouncer_max_wait_seconds', { database: 'postgres' }) ?? 0) > 0
          ? result
          : undefined;
      },
      2500,
      'three clients waiting for the pool of 2',
    );
    expect(Date.now() - started).toBeLessThan(3000); // still the first round of sleeps
    expect(valueOf(during, 'pgbouncer_clients_waiting', { database: 'postgres' })).toBe(3);
    // 2 running + app's idle client (idle clients count as active in PgBouncer's terms).
    expect(valueOf(during, 'pgbouncer_clients_active', { database: 'postgres' })).toBe(3);
    expect(valueOf(during, 'pgbouncer_servers_active', { database: 'postgres' })).toBe(2);
    expect(valueOf(during, 'pgbouncer_servers_idle', { database: 'postgres' })).toBe(1);
    expect(valueOf(during, 'pgbouncer_servers_used')).toBe(3);
    expect(valueOf(during, 'pgbouncer_max_wait_seconds', { database: 'postgres' })).toBeLessThan(3);
    expect(valueOf(during, 'pgbouncer_clients', { state: 'waiting' })).toBe(3);
    const pool = during.snapshots
      ?.find((s) => s.kind === 'pgbouncer_pools')
      ?.rows.find((r) => r.user === 'postgres');
    expect(pool).toMatchObject({
      database: 'postgres',
      cl_waiting: 3,
      sv_active: 2,
      pool_mode: 'transaction',
    });

    // postgres: (pool_size 2 + reserve 0) x 2 pools (users postgres and app) = 4; capped: min(3, 5 x 1) = 3.
    expect(valueOf(during, 'pgbouncer_server_connections_possible')).toBe(7);
    expect(usable).toBe(20 - 3);
    expect(valueOf(during, 'pgbouncer_postgres_usable_connections')).toBe(usable);
    expect(valueOf(during, 'pgbouncer_pool_capacity_ratio')).toBeCloseTo(7 / usable, 9);

    await Promise.all(runs);
    const queries = (r: CollectResult) =>
      valueOf(r, 'pgbouncer_queries_total', { database: 'postgres' }) ?? NaN;
    const after = await collect();
    expect(queries(after) - queries(before)).toBe(5);
    expect(valueOf(after, 'pgbouncer_transactions_total', { database: 'postgres' })).toBeGreaterThanOrEqual(
      6,
    );
    expect(valueOf(after, 'pgbouncer_clients_waiting', { database: 'postgres' })).toBe(0);
  });

  it('reports the averages of the last stats period, in seconds', async () => {
    // PgBouncer averages the queries that start and end within one stats_period (1 s here): keep
    // short ones going, three at a time on the pool of 2, so that some also wait. How it averages
    // is PgBouncer's business; ours is to export its figures in seconds.
    const superuserPassword = decodeURIComponent(new URL(pg.superuserUrl).password);
    const load = await Promise.all([1, 2, 3].map(() => through('postgres', 'postgres', superuserPassword)));
    let loading = true;
    const background = (async () => {
      while (loading) await Promise.all(load.map((c) => c.query('SELECT pg_sleep(0.1)')));
    })();
    try {
      // PgBouncer's own figures, read right after ours: the query average is equal unless a period
      // ended in between (retry).
      const admin = new Client({ connectionString: bouncer.adminUrl });
      await admin.connect();
      try {
        await eventually(
          async () => {
            const ours = await collect();
            const raw = (await admin.query('SHOW STATS')).rows.find((row) => row.database === 'postgres');
            const query = valueOf(ours, 'pgbouncer_avg_query_seconds', { database: 'postgres' }) ?? 0;
            const wait = valueOf(ours, 'pgbouncer_avg_wait_seconds', { database: 'postgres' }) ?? 0;
            // avg_wait_time moves with every client served (a running average), so only close.
            const rawWait = Number(raw?.avg_wait_time) / 1e6;
            const same =
              query === Number(raw?.avg_query_time) / 1e6 && Math.abs(wait - rawWait) <= 0.1 * rawWait;
            return same && query > 0 && wait > 0 ? true : undefined;
          },
          10_000,
          'non-zero averages, equal to SHOW STATS in seconds',
        );
      } finally {
        await admin.end();
      }
    } finally {
      loading = false;
      await background;
    }
  });

  it('sees settings drift: a SET on the admin console, then a RELOAD of an edited file, as events with secrets masked', async () => {
    const state = new Map();
    const cycle = () =>
      collectOnce(pg.superuserUrl, pgbouncerCollector, {
        budgetMs: 5000,
        pgbouncerAdminUrl: bouncer.adminUrl,
        state,
      });
    const titles = (r: CollectResult) => (r.events ?? []).map((e) => e.title);
    const baseline = await cycle();
    expect(baseline.events).toEqual([]);
    expect(valueOf(baseline, 'pgbouncer_settings_changed_total')).toBe(0);
    // Unchanged config: nothing.
    const unchanged = await cycle();
    expect(unchanged.events).toEqual([]);
    expect(valueOf(unchanged, 'pgbouncer_settings_changed_total')).toBe(0);

    const admin = new Client({ connectionString: bouncer.adminUrl });
    await admin.connect();
    try {
      await admin.query('SET query_wait_timeout = 99');
      const set = await cycle();
      expect(titles(set)).toEqual(['PgBouncer setting query_wait_timeout changed: 120 -> 99']);
      expect(set.events?.[0]).toMatchObject({
        kind: 'settings_drift',
        severity: 'info',
        tags: ['pgbouncer', 'query_wait_timeout'],
        data: { owner: 'PgBouncer', name: 'query_wait_timeout', old: '120', new: '99' },
      });
      expect(valueOf(set, 'pgbouncer_settings_changed_total')).toBe(1);

      // The [pgbouncer] section is the file's last: appended lines belong to it.
      const lookup = 'SELECT usename, passwd FROM pgbouncer_lookup($1)';
      appendFileSync(
        path.join(bouncer.dir, 'pgbouncer.ini'),
        `server_idle_timeout = 300\nauth_query = ${lookup}\nauth_user = lookup_role\n`,
      );
      await admin.query('RELOAD');
    } finally {
      await admin.end();
    }
    const reloaded = await cycle();
    // In SHOW CONFIG's order; RELOAD also takes back what SET changed and the file does not set.
    expect(titles(reloaded)).toEqual([
      'PgBouncer setting auth_query changed (a masked secret)',
      'PgBouncer setting auth_user changed: NULL -> ********',
      'PgBouncer setting query_wait_timeout changed: 99 -> 120',
      'PgBouncer setting server_idle_timeout changed: 600 -> 300',
    ]);
    expect(JSON.stringify(reloaded.events)).not.toMatch(/pgbouncer_lookup|lookup_role|pg_shadow/);
    expect(valueOf(reloaded, 'pgbouncer_settings_changed_total')).toBe(5);
    expect(await cycle()).toMatchObject({ events: [] });
  });

  it('in the hot loop: PgBouncer down fails only its collector, PostgreSQL down does not hide PgBouncer', async () => {
    const log = pino({ level: 'silent' });
    await pg.createRole('monitor', { password: 'monitor-pw', grants: ['pg_monitor'] });
    const { config } = loadConfig({ env: {} });
    const loop = { interval_s: 10, budget_ms: 2000 };
    const deps = () => ({
      bus: new ObservationBus(log),
      latest: new LatestObservations(),
      metrics: createCollectorMetrics(new Registry()),
      log,
      config,
    });
    const monitorOf = (pgbouncerDsn: string) =>
      new TargetMonitor(
        {
          ...targetWithDefaults(config, { name: 'main', dsn: pg.url('postgres', 'monitor', 'monitor-pw') }),
          pgbouncer: { dsn: pgbouncerDsn },
        },
        { probeIntervalMs: 60_000, initialMs: 100, maxMs: 1000 },
        log,
      );

    // PgBouncer unreachable: activity succeeds; pgbouncer fails yet exports pgbouncer_up 0.
    const deadPort = await freeLoopbackPort();
    const broken = monitorOf(`postgres://postgres:x@127.0.0.1:${deadPort}/pgbouncer`);
    await broken.start();
    const brokenDeps = deps();
    const brokenRunner = new LoopRunner(
      'hot',
      loop,
      [activityCollector, pgbouncerCollector],
      broken,
      brokenDeps,
    );
    try {
      await brokenRunner.tick();
      const states = Object.fromEntries(brokenRunner.status().collectors.map((c) => [c.name, c]));
      expect(states.activity?.state).toBe('ok');
      expect(states.pgbouncer?.state).toBe('failing');
      expect(states.pgbouncer?.error).toMatch(/PgBouncer admin console: .*ECONNREFUSED/);
      expect(brokenDeps.latest.get('main', 'pgbouncer')?.samples).toEqual([
        { metric: 'pgbouncer_up', labels: {}, value: 0 },
      ]);
      expect(brokenRunner.status().consecutiveFailures).toBe(0);
    } finally {
      await brokenRunner.stop();
      await broken.stop();
    }

    // PostgreSQL stopped after the target was identified: activity fails, pgbouncer keeps reporting.
    const healthy = monitorOf(bouncer.adminUrl);
    await healthy.start();
    const healthyDeps = deps();
    const runner = new LoopRunner('hot', loop, [activityCollector, pgbouncerCollector], healthy, healthyDeps);
    try {
      await runner.tick();
      expect(runner.status().collectors.map((c) => c.state)).toEqual(['ok', 'ok']);
      await pg.stop();
      expect((await healthy.checkNow()).state).toBe('down');
      await runner.tick();
      const states = Object.fromEntries(runner.status().collectors.map((c) => [c.name, c]));
      // 'waiting': the target is down, not the collector at fault.
      expect(states.activity?.state).toBe('waiting');
      expect(states.pgbouncer?.state).toBe('ok');
      const samples = healthyDeps.latest.get('main', 'pgbouncer')?.samples ?? [];
      expect(samples.find((s) => s.metric === 'pgbouncer_up')?.value).toBe(1);
      expect(samples.find((s) => s.metric === 'pgbouncer_postgres_usable_connections')?.value).toBe(usable);
      expect(healthyDeps.latest.get('main', 'activity')).toBeUndefined();
    } finally {
      await runner.stop();
      await healthy.stop();
      await pg.start();
    }
  });
});
