import { BackendProcess, eventually, targetsUp } from './support/backend-process';
import { NEWEST_MAJOR, startPostgres, TestPostgres } from './support/postgres';
import { startReplica } from './support/replica';

/**
 * pgmonitor PGRecoveryStatusSwitch on the real service: the backend watches a streaming standby;
 * pg_promote() turns it into a primary without closing the backend's connections, the target
 * monitor's probe sees the new role, and the change is one event (kind target_state) that GET
 * /api/v1/annotations returns with the target's name and both roles. The first identification at
 * start is no change: it makes no event. The role logic does not depend on the major.
 */
jest.setTimeout(180_000);

const READ = 'role-change-read-token-01';
const MONITOR_PASSWORD = 'monitor-pw-role-change';
const TARGET = 'orders-db';

let primary: TestPostgres;
let standby: TestPostgres;
let backend: BackendProcess;
let url: string;

beforeAll(async () => {
  primary = await startPostgres({ major: NEWEST_MAJOR, maxConnections: 30 });
  await primary.createRole('pgg_monitor', { password: MONITOR_PASSWORD, grants: ['pg_monitor'] });
  await primary.query('CREATE DATABASE role_store');
  standby = await startReplica(primary);
  ({ backend, url } = await BackendProcess.start({
    PGG_TARGET_URL: standby.url('postgres', 'pgg_monitor', MONITOR_PASSWORD),
    PGG_TARGET_NAME: TARGET,
    PGG_STORE_URL: primary.url('role_store'),
    PGG_READ_TOKENS: READ,
    PGG_HTTP_HOST: '127.0.0.1',
    PGG_RECONNECT__PROBE_INTERVAL_S: '1',
    PGG_STORE__FLUSH_INTERVAL_MS: '200',
  }));
  await targetsUp(url, 60_000);
});

afterAll(async () => {
  await backend?.stop('SIGKILL');
  await standby?.destroy();
  await primary?.destroy();
});

interface Annotation {
  time: number;
  title: string;
  text: string;
  tags: string[];
}

/** The target's successful connection checks so far (pgg_target_checks_total). */
async function okChecks(): Promise<number> {
  const metrics = await (await fetch(`${url}/metrics`)).text();
  const match = new RegExp(`^pgg_target_checks_total\\{target="${TARGET}",result="ok"\\} (\\d+)$`, 'm').exec(
    metrics,
  );
  return Number(match?.[1] ?? NaN);
}

async function targetStateAnnotations(from: number): Promise<Annotation[]> {
  const response = await fetch(`${url}/api/v1/annotations?from=${from}&to=${Date.now()}&kind=target_state`, {
    headers: { authorization: `Bearer ${READ}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Annotation[];
}

it('records the promotion of the standby once, as an annotation naming the target and both roles', async () => {
  const since = Date.now() - 3600_000;
  expect((await standby.query('SELECT pg_is_in_recovery() AS standby'))[0]?.standby).toBe(true);
  const [promoted] = await standby.query<{ done: boolean }>('SELECT pg_promote() AS done');
  expect(promoted?.done).toBe(true);

  const annotations = await eventually(
    async () => {
      const list = await targetStateAnnotations(since);
      return list.length > 0 ? list : undefined;
    },
    30_000,
    'the role change as an annotation',
  );
  // One: the promotion. None for the first identification at start, when the target was a standby.
  expect(annotations).toEqual([
    {
      time: expect.any(Number),
      title: `${TARGET} is now a primary (was a standby)`,
      text: expect.stringMatching(/^The server of orders-db changed role from standby to primary: /),
      tags: expect.arrayContaining(['role_change', 'primary', 'target_state', 'warning', TARGET]),
    },
  ]);
  // The backend goes on with the new primary: readiness still has it up.
  const ready = await targetsUp(url, 30_000);
  expect(ready.body.targets).toEqual([expect.objectContaining({ name: TARGET, state: 'up' })]);
  // Seen once: three more probes of the promoted server add nothing.
  const probes = await okChecks();
  await eventually(
    async () => ((await okChecks()) >= probes + 3 ? true : undefined),
    30_000,
    'three more probes',
  );
  expect(await targetStateAnnotations(since)).toHaveLength(1);
});
