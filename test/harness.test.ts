import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import type { AbandonedServer } from './support/fixtures/abandoned-server';
import {
  forEachMajor,
  majorsUnderTest,
  NEWEST_MAJOR,
  PgMajor,
  startPostgres,
  TestPostgres,
} from './support/postgres';
import { childPids, isRunning } from './support/proc';
import { readRecords } from './support/server-registry';

/** The harness itself, on real servers: what every other integration test relies on. */

const MAX_CONNECTIONS = 5;

// `testTimeout` inside a jest.config.js project entry is ignored (it is a global option), so the
// 5 s default applies; starting servers and child processes on a busy machine needs more.
jest.setTimeout(30_000);

async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
}

async function setting(pg: TestPostgres, name: string): Promise<string | null> {
  const [row] = await pg.query<{ value: string | null }>('SELECT current_setting($1, true) AS value', [name]);
  return row?.value ?? null;
}

/** Slots of connections closed a moment ago are freed asynchronously by their backends. */
async function waitForNoOtherClients(pg: TestPostgres): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const [row] = await pg.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()",
    );
    if (row?.n === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function isRegistered(dataDir: string): boolean {
  return readRecords().some((record) => record.dataDir === dataDir);
}

forEachMajor((major) => {
  // One server per major, in order: the lifecycle tests (stop, kill, destroy) come last.
  let pg: TestPostgres;

  beforeAll(async () => {
    pg = await startPostgres({
      major,
      maxConnections: MAX_CONNECTIONS,
      settings: { track_io_timing: false },
    });
  });
  afterAll(async () => {
    await pg?.destroy();
  });

  it('runs the requested major and is registered for cleanup', async () => {
    const [row] = await pg.query<{ version: number }>(
      "SELECT current_setting('server_version_num')::int AS version",
    );
    expect(Math.floor((row?.version ?? 0) / 10000)).toBe(major);
    expect(pg.major).toBe(major);
    expect(isRegistered(pg.server.dataDir)).toBe(true);
  });

  it('has pg_stat_statements loaded, created and tracking everything', async () => {
    const [row] = await pg.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_statements(false)');
    expect(row?.n).toBeGreaterThan(0);
    expect(await setting(pg, 'pg_stat_statements.track')).toBe('all');
  });

  it('creates LOGIN roles with escaped names, passwords and grants', async () => {
    const name = 'pgg "monitor"; DROP ROLE postgres';
    const password = "it's secret";
    await pg.createRole(name, { password, grants: ['pg_monitor', 'pg_signal_backend'] });
    await pg.createRole('pgg_admin', { password: 'admin-pw', superuser: true });

    const [role] = await pg.query<{ monitor: boolean; signal: boolean; superuser: boolean }>(
      `SELECT pg_has_role($1, 'pg_monitor', 'MEMBER') AS monitor,
              pg_has_role($1, 'pg_signal_backend', 'MEMBER') AS signal,
              (SELECT rolsuper FROM pg_roles WHERE rolname = $1) AS superuser`,
      [name],
    );
    expect(role).toEqual({ monitor: true, signal: true, superuser: false });
    const [admin] = await pg.query<{ rolsuper: boolean }>(
      "SELECT rolsuper FROM pg_roles WHERE rolname = 'pgg_admin'",
    );
    expect(admin?.rolsuper).toBe(true);

    const client = await connect(pg.url('postgres', name, password));
    const { rows } = await client.query<{ user: string }>('SELECT current_user AS user');
    await client.end();
    expect(rows[0]?.user).toBe(name);
  });

  it('honours maxConnections, keeping the reserved slots for superusers', async () => {
    expect(await setting(pg, 'max_connections')).toBe(String(MAX_CONNECTIONS));
    const reserved =
      Number(await setting(pg, 'superuser_reserved_connections')) +
      Number((await setting(pg, 'reserved_connections')) ?? 0); // PostgreSQL 16+
    await pg.createRole('pgg_app', { password: 'app-pw' });
    await waitForNoOtherClients(pg);

    const clients: Client[] = [];
    try {
      for (let i = 0; i < MAX_CONNECTIONS - reserved; i++) {
        clients.push(await connect(pg.url('postgres', 'pgg_app', 'app-pw')));
      }
      await expect(connect(pg.url('postgres', 'pgg_app', 'app-pw'))).rejects.toThrow(
        /remaining connection slots are reserved/,
      );
      while (clients.length < MAX_CONNECTIONS) clients.push(await connect(pg.superuserUrl));
      await expect(connect(pg.superuserUrl)).rejects.toThrow(/too many clients/);
    } finally {
      await Promise.all(clients.map((client) => client.end()));
    }
  });

  it("applies the fast-for-tests defaults, with the caller's settings winning", async () => {
    expect(await setting(pg, 'fsync')).toBe('off');
    expect(await setting(pg, 'synchronous_commit')).toBe('off');
    expect(await setting(pg, 'full_page_writes')).toBe('off');
    expect(await setting(pg, 'track_io_timing')).toBe('off');
  });

  it('keeps the data across stop() and start(), on the same port', async () => {
    await pg.query('CREATE TABLE kept (id int)');
    await pg.query('INSERT INTO kept VALUES (42)');
    const port = pg.port;
    await pg.stop();
    expect(pg.server.running).toBe(false);
    await expect(connect(pg.superuserUrl)).rejects.toThrow();

    await pg.start();
    expect(pg.port).toBe(port);
    expect(await pg.query('SELECT id FROM kept')).toEqual([{ id: 42 }]);
  });

  it('kill() takes the backends down with the postmaster, and start() recovers', async () => {
    const postmaster = pg.server.pid ?? 0;
    const children = childPids(postmaster);
    expect(children.length).toBeGreaterThan(0);
    await pg.kill();
    expect([postmaster, ...children].filter(isRunning)).toEqual([]);

    await pg.start();
    expect(await pg.query('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  });

  it('destroy() stops the server, deletes its data folder and its registry entry', async () => {
    const { dataDir } = pg.server;
    const postmaster = pg.server.pid ?? 0;
    await pg.destroy();
    expect(isRunning(postmaster)).toBe(false);
    expect(existsSync(dataDir)).toBe(false);
    expect(isRegistered(dataDir)).toBe(false);
  });
});

describe('majorsUnderTest', () => {
  const saved = process.env.PGG_TEST_MAJORS;
  afterEach(() => {
    if (saved === undefined) delete process.env.PGG_TEST_MAJORS;
    else process.env.PGG_TEST_MAJORS = saved;
  });

  it('is every supported major by default, and what PGG_TEST_MAJORS names otherwise', () => {
    delete process.env.PGG_TEST_MAJORS;
    expect(majorsUnderTest()).toEqual([14, 16, 18]);
    process.env.PGG_TEST_MAJORS = ' 18, 14 ';
    expect(majorsUnderTest()).toEqual([18, 14]);
  });

  it('rejects a major the harness has no binaries for', () => {
    process.env.PGG_TEST_MAJORS = '14,15';
    expect(() => majorsUnderTest()).toThrow(/PGG_TEST_MAJORS="14,15": "15" is not one of 14, 16, 18/);
  });
});

describe('cleanup of servers a dead process left behind', () => {
  const hook = path.join(__dirname, 'support', 'ts-require-hook.cjs');
  const fixture = path.join(__dirname, 'support', 'fixtures', 'abandoned-server.ts');
  const teardown = path.join(__dirname, 'support', 'global-teardown.ts');

  /** A node process that can load the harness's TypeScript; resolves with its output when it ends. */
  function runNode(args: string[]): Promise<{ stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['-r', hook, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('exit', () => resolve({ stdout, stderr }));
    });
  }

  /** Runs the fixture: it starts a server and dies without destroying it. */
  async function abandonServer(ending: 'sigkill' | 'exit', major: PgMajor): Promise<AbandonedServer> {
    const { stdout, stderr } = await runNode([fixture, ending, String(major)]);
    try {
      return JSON.parse(stdout.split('\n')[0] ?? '') as AbandonedServer;
    } catch {
      throw new Error(`fixture printed no server:\n${stdout}\n${stderr}`);
    }
  }

  /** As jest runs it: in a process of its own (the main process), not in the worker that runs tests. */
  async function runGlobalTeardown(): Promise<void> {
    await runNode(['-e', `require(${JSON.stringify(teardown)}).default()`]);
  }

  it('global teardown kills and deletes the server of a SIGKILLed process, and spares live ones', async () => {
    const live = await startPostgres({ major: NEWEST_MAJOR });
    try {
      const orphan = await abandonServer('sigkill', NEWEST_MAJOR);
      const backends = childPids(orphan.pid);
      expect(isRunning(orphan.pid)).toBe(true);
      expect(existsSync(orphan.dataDir)).toBe(true);
      expect(isRegistered(orphan.dataDir)).toBe(true);

      await runGlobalTeardown();

      expect([orphan.pid, ...backends].filter(isRunning)).toEqual([]);
      expect(existsSync(orphan.dataDir)).toBe(false);
      expect(isRegistered(orphan.dataDir)).toBe(false);
      expect(await live.query('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
      expect(isRegistered(live.server.dataDir)).toBe(true);
    } finally {
      await live.destroy();
    }
  });

  it('the exit handler kills and deletes the servers of a process that exits without destroying them', async () => {
    const orphan = await abandonServer('exit', NEWEST_MAJOR);
    expect(isRunning(orphan.pid)).toBe(false);
    expect(existsSync(orphan.dataDir)).toBe(false);
    expect(isRegistered(orphan.dataDir)).toBe(false);
  });
});
