import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { BackendProcess, eventually, targetsUp } from './support/backend-process';

/**
 * `npm start` on a fresh machine with nothing configured: an embedded PostgreSQL with a synthetic
 * workload, monitored by the backend; a graceful stop takes the embedded server down too; a second
 * start reuses the data folder.
 */
const dataDir = mkdtempSync(path.join(tmpdir(), 'pgg-zero-config-'));
// As root, the embedded server runs as an unprivileged user that must reach its data folder.
chmodSync(dataDir, 0o755);
let backend: BackendProcess | undefined;
/** The first start's API, for the tests that follow it. */
let demoUrl = '';

afterAll(async () => {
  await backend?.stop('SIGKILL');
  // A killed backend leaves its embedded postmaster behind: stop it before deleting its data.
  const pidFile = path.join(dataDir, 'demo', 'pgdata', 'postmaster.pid');
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
});

function postmasterPid(): number {
  return Number(readFileSync(path.join(dataDir, 'demo', 'pgdata', 'postmaster.pid'), 'utf8').split('\n')[0]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function demoSessions(
  port: number,
): Promise<{ state: string; wait_event_type: string | null; blocked: boolean }[]> {
  const password = readFileSync(path.join(dataDir, 'demo', 'superuser-password'), 'utf8').trim();
  const client = new Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT state, wait_event_type, cardinality(pg_blocking_pids(pid)) > 0 AS blocked
         FROM pg_stat_activity WHERE application_name LIKE 'demo-%'`,
    );
    return rows as { state: string; wait_event_type: string | null; blocked: boolean }[];
  } finally {
    await client.end();
  }
}

it('starts the demo, becomes ready within 60 s, and shows sessions in every state', async () => {
  const started = Date.now();
  let url: string;
  ({ backend, url } = await BackendProcess.start({ PGG_DATA_DIR: dataDir }));
  expect((await fetch(`${url}/healthz`)).status).toBe(200);
  const ready = await targetsUp(url, 60_000);
  expect(Date.now() - started).toBeLessThan(60_000);
  demoUrl = url;
  expect(ready.body.targets).toEqual([
    expect.objectContaining({ name: 'demo', state: 'up', major: 18, pgStatStatements: true }),
  ]);
  expect(backend.stdout).toMatch(/metrics http:\/\/127\.0\.0\.1:\d+\/metrics/);

  const demoStart = backend.logLines().find((l) => l.msg === 'demo PostgreSQL started');
  const port = Number(demoStart?.port);
  const sessions = await eventually(
    async () => {
      const rows = await demoSessions(port);
      const states = new Set(rows.map((r) => r.state));
      const ok =
        ['idle', 'active', 'idle in transaction'].every((s) => states.has(s)) && rows.some((r) => r.blocked);
      return ok ? rows : undefined;
    },
    30_000,
    'demo sessions in every state with a lock wait',
  );
  expect(sessions.length).toBeGreaterThan(3);
});

it("exports the task queue pack's metrics over the demo's queue", async () => {
  // The seed's 12 tasks 'started' hours ago are stuck; 24 finished 8 days ago, past the cleanup.
  const sample = (text: string, name: string) =>
    Number(new RegExp(`^${name}\\{target="demo"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  const text = await eventually(
    async () => {
      const body = await (await fetch(`${demoUrl}/metrics`)).text();
      return sample(body, 'pg_custom_task_queue_stuck_tasks') >= 0 ? body : undefined;
    },
    30_000,
    'the pack in /metrics',
  );
  expect(sample(text, 'pg_custom_task_queue_stuck_tasks')).toBe(12);
  expect(sample(text, 'pg_custom_task_queue_stuck_oldest_seconds')).toBeGreaterThan(6 * 3600 - 60);
  expect(sample(text, 'pg_custom_task_queue_pending_oldest_seconds')).toBeGreaterThan(0);
  expect(sample(text, 'pg_custom_task_queue_past_cleanup_tasks')).toBe(24);
  expect(text).toMatch(/^pg_custom_task_queue_tasks\{[^}]*status="queued"[^}]*\} [1-9]/m);
  expect(text).toMatch(/^pg_custom_task_queue_finished_per_minute_tasks\{[^}]*status="done"[^}]*\} \d/m);
  expect(text).not.toMatch(/^pgg_custom_metric_success\{[^}]*\} 0$/m);
});

it('stops gracefully on SIGINT, taking the embedded server down, exit 0 within 10 s', async () => {
  const pid = postmasterPid();
  expect(alive(pid)).toBe(true);
  const { code, ms } = await backend!.stop('SIGINT');
  expect(code).toBe(0);
  expect(ms).toBeLessThan(10_000);
  await eventually(async () => (alive(pid) ? undefined : true), 5000, 'postmaster exit');
});

it('starts again on the same data folder', async () => {
  let url: string;
  ({ backend, url } = await BackendProcess.start({ PGG_DATA_DIR: dataDir }));
  await targetsUp(url, 60_000);
  const { code } = await backend.stop('SIGTERM');
  expect(code).toBe(0);
  backend = undefined;
});
