import { Client } from 'pg';
import { ALL_COLLECTORS } from '../../backend/src/collectors';
import { customMetricsCollectors } from '../../backend/src/collectors/custom';
import { LatestObservations } from '../../backend/src/collectors/latest-observations';
import { pgbouncerCollector } from '../../backend/src/collectors/pgbouncer';
import { Collector, CollectorState, Observation } from '../../backend/src/collectors/types';
import { readCustomMetricsFile } from '../../backend/src/config/custom-metrics-files';
import { inspectServer, ServerInfo } from '../../backend/src/db/server-info';
import { ensureDemoSchema } from '../../backend/src/demo/schema';
import { TASK_QUEUE_PACK } from '../../backend/src/demo/task-queue-pack';
import { HistoryStore, openStore, StoredEvent } from '../../backend/src/store';
import { eventually } from '../support/backend-process';
import { collectOnce } from '../support/collect';
import { startPgBouncer, TestPgBouncer } from '../support/pgbouncer';
import { startPostgres, TestPostgres } from '../support/postgres';
import { createDatabase, quietLog, registry, storeConfig } from '../store/store-kit';

/**
 * Real data for the API tests: a PostgreSQL with staged tables and sessions (an idle transaction,
 * a blocking chain), a PgBouncer in front of it, every collector run twice (so that counters have
 * rates), the observations recorded into a LatestObservations and written to a real history store
 * (a database on the same server), plus a few events.
 */
export const TARGET = 'test';

export interface ApiFixture {
  pg: TestPostgres;
  store: HistoryStore;
  latest: LatestObservations;
  server: ServerInfo;
  /** The collectors run (and served by the API): the built-in ones, with the task queue pack's if asked. */
  collectors: Collector[];
  /** Every observation written, both cycles. */
  observations: Observation[];
  events: StoredEvent[];
  /** When the first cycle started: ranges from a little before it cover everything. */
  startedAt: number;
  stop(): Promise<void>;
}

const CYCLE_GAP_MS = 1500;

async function stageSchema(pg: TestPostgres): Promise<void> {
  await pg.query('CREATE TABLE accounts (id int PRIMARY KEY, balance int, note text)');
  await pg.query('INSERT INTO accounts SELECT g, 100, md5(g::text) FROM generate_series(1, 5000) g');
  await pg.query('CREATE INDEX accounts_note ON accounts (note)'); // never scanned: an unused index
  await pg.query('DELETE FROM accounts WHERE id > 4000'); // dead tuples
  await pg.query('CREATE TABLE readings (at timestamptz NOT NULL, v int) PARTITION BY RANGE (at)');
  await pg.query(
    "CREATE TABLE readings_2020 PARTITION OF readings FOR VALUES FROM ('2020-01-01') TO ('2021-01-01')",
  );
  await pg.query('ANALYZE accounts');
  await pg.query('SELECT count(*) FROM accounts WHERE balance > $1', [50]);
}

/** Sessions that the session and blocking tables show: idle in transaction, a root blocker and its waiter. */
async function stageSessions(pg: TestPostgres, clients: Client[]): Promise<void> {
  const session = async (application: string) => {
    const client = new Client({ connectionString: pg.superuserUrl, application_name: application });
    client.on('error', () => undefined);
    await client.connect();
    clients.push(client);
    return client;
  };
  const idle = await session('stage-idle-tx');
  await idle.query('BEGIN');
  await idle.query('SELECT 1 FROM accounts LIMIT 1');
  const root = await session('stage-root');
  await root.query('BEGIN');
  await root.query('UPDATE accounts SET balance = balance - 1 WHERE id = 1');
  const waiter = await session('stage-waiter');
  void waiter.query('UPDATE accounts SET balance = balance + 1 WHERE id = 1').catch(() => undefined);
  await eventually(
    async () => {
      const rows = await pg.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'",
      );
      return rows[0]?.n === 1 ? true : undefined;
    },
    10_000,
    'a lock wait',
  );
}

function eventsAround(time: number): StoredEvent[] {
  const base = { target: TARGET, text: 'staged by the API test', data: { staged: true } };
  return [
    {
      ...base,
      time: time - 60_000,
      kind: 'intervention',
      severity: 'warning',
      title: 'terminated idle session',
      tags: ['governor'],
    },
    {
      ...base,
      time: time - 50_000,
      kind: 'governor_decision',
      severity: 'info',
      title: 'would terminate 1 session',
      tags: ['dry-run'],
    },
    {
      ...base,
      time: time - 40_000,
      kind: 'alert',
      severity: 'critical',
      title: 'ConnectionsCritical firing',
      tags: ['alert'],
      data: { timeEnd: time - 10_000 },
    },
    {
      ...base,
      time: time - 30_000,
      kind: 'settings_drift',
      severity: 'info',
      title: 'work_mem changed',
      tags: [],
    },
  ];
}

/** The demo's job queue (demo.task_queue, seeded) and the task queue pack's custom metrics over it. */
async function taskQueuePack(pg: TestPostgres): Promise<Collector[]> {
  const client = new Client({ connectionString: pg.superuserUrl });
  await client.connect();
  await ensureDemoSchema(client).finally(() => client.end());
  return customMetricsCollectors({ custom_metrics: readCustomMetricsFile(TASK_QUEUE_PACK) });
}

export async function startApiFixture(options: { taskQueuePack?: boolean } = {}): Promise<ApiFixture> {
  const pg = await startPostgres({ maxConnections: 40 });
  const clients: Client[] = [];
  let bouncer: TestPgBouncer | undefined;
  let store: HistoryStore | undefined;
  try {
    store = await openStore(storeConfig(await createDatabase(pg, 'pgg_history')), quietLog(), registry());
    await stageSchema(pg);
    const collectors = [...ALL_COLLECTORS, ...(options.taskQueuePack ? await taskQueuePack(pg) : [])];
    const superuserPassword = decodeURIComponent(new URL(pg.superuserUrl).password);
    bouncer = await startPgBouncer({
      databases: { postgres: `host=127.0.0.1 port=${pg.port} dbname=postgres` },
      users: [{ name: 'postgres', password: superuserPassword }],
      settings: { pool_mode: 'transaction', default_pool_size: 2 },
    });
    await stageSessions(pg, clients);
    // A pool exists once a client has used it.
    const pooled = new Client({ connectionString: bouncer.url('postgres', 'postgres', superuserPassword) });
    pooled.on('error', () => undefined);
    await pooled.connect();
    clients.push(pooled);
    await pooled.query('SELECT 1');

    const latest = new LatestObservations();
    const observations: Observation[] = [];
    const states = new Map<string, CollectorState>(collectors.map((c) => [c.name, new Map()]));
    const cycle = async (collector: Collector): Promise<void> => {
      const state = states.get(collector.name) as CollectorState;
      const result =
        collector === pgbouncerCollector
          ? await collectOnce(pg.superuserUrl, pgbouncerCollector, {
              state,
              target: TARGET,
              budgetMs: 5000,
              pgbouncerAdminUrl: (bouncer as TestPgBouncer).adminUrl,
            })
          : await collectOnce(pg.superuserUrl, collector, { state });
      const observation: Observation = {
        target: TARGET,
        collector: collector.name,
        loop: collector.loop,
        time: Date.now(),
        samples: result.samples,
        snapshots: result.snapshots ?? [],
      };
      observations.push(observation);
      latest.record(observation);
      store?.writer.write(observation);
    };
    const startedAt = Date.now();
    for (const collector of collectors) await cycle(collector);
    await new Promise((resolve) => setTimeout(resolve, CYCLE_GAP_MS));
    await pg.query('SELECT count(*) FROM accounts WHERE balance > $1', [10]); // a little more workload
    for (const collector of collectors) await cycle(collector);

    const events = eventsAround(Date.now());
    for (const event of events) store.writer.writeEvent(event);
    await store.writer.flush();

    const client = new Client({ connectionString: pg.superuserUrl });
    await client.connect();
    const server = await inspectServer(client).finally(() => client.end());

    const opened = store;
    const openedBouncer = bouncer;
    return {
      pg,
      store: opened,
      latest,
      server,
      collectors,
      observations,
      events,
      startedAt,
      async stop() {
        await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
        await opened.stop();
        await openedBouncer.destroy();
        await pg.destroy();
      },
    };
  } catch (error) {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    await store?.stop().catch(() => undefined);
    await bouncer?.destroy().catch(() => undefined);
    await pg.destroy();
    throw error;
  }
}
