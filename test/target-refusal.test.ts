import { BackendProcess, eventually, readyz, targetsUp, Readyz } from './support/backend-process';
import { NEWEST_MAJOR, startPostgres, TestPostgres } from './support/postgres';

/** With read-only enforcement on (the default), a target whose role can write is refused, visibly. */
let pg: TestPostgres;
const running: BackendProcess[] = [];

beforeAll(async () => {
  pg = await startPostgres({ major: NEWEST_MAJOR });
  await pg.query('CREATE TABLE orders (id int)');
  await pg.createRole('writer', { password: 'writer-pw-123' });
  await pg.query('GRANT INSERT ON orders TO writer');
});

afterAll(async () => {
  await Promise.all(running.map((b) => b.stop('SIGKILL')));
  await pg?.destroy();
});

async function backendFor(dsn: string, env: Record<string, string> = {}): Promise<string> {
  const { backend, url } = await BackendProcess.start({
    PGG_TARGET_URL: dsn,
    PGG_RECONNECT__INITIAL_BACKOFF_MS: '100',
    PGG_RECONNECT__MAX_BACKOFF_MS: '1000',
    ...env,
  });
  running.push(backend);
  return url;
}

async function settled(url: string): Promise<Readyz> {
  return eventually(
    async () => {
      const r = await readyz(url);
      return r.body.targets[0]?.state === 'connecting' ? undefined : r;
    },
    20_000,
    'first target check',
  );
}

it('refuses a superuser target and says why', async () => {
  const r = await settled(await backendFor(pg.superuserUrl));
  expect(r.status).toBe(200);
  expect(r.body.targets[0]).toMatchObject({ name: 'main', state: 'refused' });
  expect(r.body.degraded?.[0]).toMatch(/^target main is refused: .*superuser/i);
});

it('refuses a role with INSERT on a table, naming the table, and accepts it once revoked', async () => {
  const url = await backendFor(pg.url('postgres', 'writer', 'writer-pw-123'));
  const refused = await settled(url);
  expect(refused.body.targets[0]).toMatchObject({ state: 'refused' });
  expect(refused.body.targets[0]?.reason).toMatch(/public\.orders/);

  await pg.query('REVOKE INSERT ON orders FROM writer');
  const accepted = await targetsUp(url, 20_000);
  expect(accepted.body.targets[0]).toMatchObject({ state: 'up' });
});

it('accepts a writing role when read-only enforcement is off', async () => {
  const r = await settled(
    await backendFor(pg.superuserUrl, { PGG_DEFAULTS__CONNECTION__READ_ONLY: 'false' }),
  );
  expect(r.status).toBe(200);
  expect(r.body.targets[0]).toMatchObject({ state: 'up' });
});
