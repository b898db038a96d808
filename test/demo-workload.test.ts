import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { DemoWorkload, startDemoWorkload } from '../backend/src/demo/workload';
import { binariesDir, EmbeddedPostgres } from '../backend/src/embedded/postgres-server';

// As in the zero-config start: the workload runs as an ordinary role that owns its database.
const APP_ROLE = 'demo_app';
const APP_DATABASE = 'shop';
const DEMO_APPLICATIONS = ['demo-web', 'demo-worker', 'demo-report', 'demo-batch'];

const secret = () => randomBytes(12).toString('hex');
const superuserPassword = secret();
const appPassword = secret();
const server = new EmbeddedPostgres({
  binDir: binariesDir(),
  dataDir: path.join(tmpdir(), `pgg-demo-workload-${randomBytes(6).toString('hex')}`),
  password: superuserPassword,
});

const warnings: object[] = [];
const log = { info: () => undefined, warn: (obj: object) => warnings.push(obj) };
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

let workload: DemoWorkload | undefined;

interface DemoSessionRow {
  pid: number;
  state: string | null;
  wait_event_type: string | null;
  blockers: number;
}

interface Picture {
  sessions: DemoSessionRow[];
  taskStatuses: string[];
}

/** A superuser connection to the demo database for one piece of work (it survives server restarts). */
async function asSuperuser<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: server.url(APP_DATABASE), application_name: 'pgg-test' });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** What the dashboards would see: the demo sessions and the task statuses present. */
function look(): Promise<Picture> {
  return asSuperuser(async (client) => {
    const sessions = await client.query<DemoSessionRow>(
      `SELECT pid, state, wait_event_type, cardinality(pg_blocking_pids(pid)) AS blockers
         FROM pg_stat_activity WHERE application_name = ANY($1::text[])`,
      [DEMO_APPLICATIONS],
    );
    const tasks = await client.query<{ status: string }>(
      'SELECT DISTINCT status FROM demo.task_queue ORDER BY 1',
    );
    return { sessions: sessions.rows, taskStatuses: tasks.rows.map((r) => r.status) };
  });
}

/** What the picture lacks of the expected workload; empty when everything is there. */
function missing({ sessions, taskStatuses }: Picture): string[] {
  const gaps: string[] = [];
  for (const state of ['idle', 'active', 'idle in transaction']) {
    if (!sessions.some((s) => s.state === state)) gaps.push(`a session in state ${state}`);
  }
  if (!sessions.some((s) => s.wait_event_type === 'Lock' && s.blockers > 0))
    gaps.push('a blocked lock waiter');
  for (const status of ['queued', 'started', 'done', 'failed']) {
    if (!taskStatuses.includes(status)) gaps.push(`a ${status} task`);
  }
  return gaps;
}

async function waitFor(condition: (picture: Picture) => boolean, timeoutMs: number): Promise<Picture> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const picture = await look();
    if (condition(picture) || Date.now() > deadline) return picture;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const complete = (picture: Picture) => missing(picture).length === 0;

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  await server.start();
  const setup = new Client({ connectionString: server.url(), application_name: 'pgg-test' });
  await setup.connect();
  await setup.query(`CREATE ROLE ${APP_ROLE} LOGIN PASSWORD ${setup.escapeLiteral(appPassword)}`);
  await setup.query(`CREATE DATABASE ${APP_DATABASE} OWNER ${APP_ROLE}`);
  await setup.end();
});

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await workload?.stop();
  await server.destroy();
});

describe('demo workload', () => {
  it('shows idle, active, idle-in-transaction and lock-waiting sessions and a busy task queue', async () => {
    workload = await startDemoWorkload({
      url: server.url(APP_DATABASE, APP_ROLE, appPassword),
      log,
      scale: 1,
    });
    const picture = await waitFor(complete, 15_000);
    expect(missing(picture)).toEqual([]);
    expect(picture.sessions.length).toBeLessThanOrEqual(15);
    const orders = await asSuperuser((c) =>
      c.query<{ n: number }>('SELECT count(*)::int AS n FROM demo.orders'),
    );
    expect(orders.rows[0]?.n).toBe(20_000);
  });

  it('reconnects every session after the governor terminates them all', async () => {
    const before = workload!.counts();
    const terminated = new Set((await look()).sessions.map((s) => s.pid));
    // Pids first, then the kill: in one WHERE clause the planner may call pg_terminate_backend first.
    await asSuperuser((c) =>
      c.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [[...terminated]]),
    );
    expect(terminated.size).toBeGreaterThanOrEqual(12);

    const picture = await waitFor(
      (p) => complete(p) && !p.sessions.some((s) => terminated.has(s.pid)),
      15_000,
    );
    expect(missing(picture)).toEqual([]);
    expect(picture.sessions.filter((s) => terminated.has(s.pid))).toEqual([]);
    const after = workload!.counts();
    expect((after.connects ?? 0) - (before.connects ?? 0)).toBeGreaterThanOrEqual(terminated.size);
    expect(warnings.length).toBeGreaterThanOrEqual(terminated.size);
  });

  it('comes back after a server restart', async () => {
    await server.stop();
    await server.start();
    const picture = await waitFor(complete, 20_000);
    expect(missing(picture)).toEqual([]);
  });

  it('stops within 5 s and leaves no demo session behind', async () => {
    const startedAt = Date.now();
    await workload!.stop();
    expect(Date.now() - startedAt).toBeLessThan(5_000);
    workload = undefined;
    // A backend leaves pg_stat_activity a moment after its client has gone.
    const picture = await waitFor((p) => p.sessions.length === 0, 2_000);
    expect(picture.sessions).toEqual([]);
    expect(unhandled).toEqual([]);
  });
});
