import { BackendProcess, eventually, readyz, targetsUp } from './support/backend-process';
import { majorsUnderTest, startPostgres, TestPostgres } from './support/postgres';

/**
 * The backend against a real target over its life: reachable at start, the server going away
 * (the backend stays up and /readyz names the target and why), the server coming back
 * (recovery without restart), and a graceful stop that leaves no session behind.
 */
const MONITOR_PASSWORD = 'monitor-pw-123';
const fastReconnect = {
  PGG_RECONNECT__PROBE_INTERVAL_S: '1',
  PGG_RECONNECT__INITIAL_BACKOFF_MS: '100',
  PGG_RECONNECT__MAX_BACKOFF_MS: '1000',
};

async function ourSessions(pg: TestPostgres): Promise<{ application_name: string; state: string | null }[]> {
  return (await pg.query(
    "SELECT application_name, state FROM pg_stat_activity WHERE application_name = 'pg-governor' AND pid <> pg_backend_pid()",
  )) as { application_name: string; state: string | null }[];
}

describe.each(majorsUnderTest())('PostgreSQL %i target', (major) => {
  let pg: TestPostgres;
  let backend: BackendProcess;
  let url: string;

  beforeAll(async () => {
    pg = await startPostgres({ major });
    await pg.createRole('pgg_monitor', { password: MONITOR_PASSWORD, grants: ['pg_monitor'] });
    if (major < 15) await pg.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
    ({ backend, url } = await BackendProcess.start({
      PGG_TARGET_URL: pg.url('postgres', 'pgg_monitor', MONITOR_PASSWORD),
      ...fastReconnect,
    }));
  });

  afterAll(async () => {
    await backend?.stop('SIGKILL');
    await pg?.destroy();
  });

  it('is ready once the target is up, naming its major and pg_stat_statements', async () => {
    const ready = await targetsUp(url, 30_000);
    expect(ready.body.targets).toEqual([
      expect.objectContaining({ name: 'main', state: 'up', major, pgStatStatements: true }),
    ]);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it('holds only sessions named pg-governor, within the pool cap, and exports its state', async () => {
    const sessions = await ourSessions(pg);
    expect(sessions.length).toBeGreaterThanOrEqual(1);
    expect(sessions.length).toBeLessThanOrEqual(3); // defaults.connection.pool_max
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/^pgg_target_up\{target="main"\} 1$/m);
    expect(metrics).toMatch(new RegExp(`^pgg_target_server_major_version\\{target="main"\\} ${major}$`, 'm'));
    expect(metrics).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(metrics).not.toContain(MONITOR_PASSWORD);
  });

  it('stays up while the target is down, says which and why, and recovers without restart', async () => {
    await pg.stop();
    const down = await eventually(
      async () => {
        const r = await readyz(url);
        return r.body.targets[0]?.state === 'down' ? r : undefined;
      },
      20_000,
      'target reported down',
    );
    // Still ready: the API serves the outage; the target's line is in degraded.
    expect(down.status).toBe(200);
    expect(down.body.problems).toEqual([]);
    expect(down.body.degraded).toEqual([expect.stringMatching(/^target main is down: .+/)]);
    expect(down.body.targets[0]).toMatchObject({ name: 'main', state: 'down' });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/^pgg_target_up\{target="main"\} 0$/m);

    await pg.start();
    const back = await targetsUp(url, 20_000);
    expect(back.body.targets[0]).toMatchObject({ name: 'main', state: 'up', major });
    expect(backend.child.exitCode).toBeNull();
  });

  it('shuts down gracefully on SIGTERM: exit 0 within 10 s, no session left on the target', async () => {
    expect((await ourSessions(pg)).length).toBeGreaterThanOrEqual(1);
    const { code, ms } = await backend.stop('SIGTERM');
    expect(code).toBe(0);
    expect(ms).toBeLessThan(10_000);
    expect(backend.logLines().some((l) => l.msg === 'stopped')).toBe(true);
    await eventually(
      async () => ((await ourSessions(pg)).length === 0 ? true : undefined),
      5000,
      'sessions closed',
    );
  });
});
