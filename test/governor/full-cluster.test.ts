import { Client } from 'pg';
import { BackendProcess, eventually, readyz } from '../support/backend-process';
import { majorsUnderTest, startPostgres, TestPostgres } from '../support/postgres';
import { prepareTarget, waitForSessionOf } from './governor-kit';
import {
  ADMIN_TOKEN,
  fillWithActive,
  metricOf,
  metrics,
  settledTerminations,
  startGovernedBackend,
  storedEvents,
} from './service-kit';

/**
 * The governor on a full server, where the monitor role is refused (issue 12, item 6). The hot
 * loop is blind, so the governor takes the hot snapshot on its own held connection (the same
 * activity SQL and derive), says so (event, log, pgg_governor_own_snapshot), and acts.
 *  - 16+: reserved_connections and pg_use_reserved_connections let the governor connect to a
 *    server that was already full when the backend started.
 *  - 14 (no such role): a governor connection opened ahead of need still works once the server is
 *    full; one that must be opened on a full server is refused (superuser_reserved_connections is
 *    for superusers only): the documented limit, and nothing is done.
 */
jest.setTimeout(240_000);

const MAX = 30;
const ownSnapshots = async (url: string) =>
  metricOf(await metrics(url), 'pgg_governor_own_snapshots_total', { target: 'main' }) ?? 0;
const signalled = async (url: string) =>
  metricOf(await metrics(url), 'pgg_governor_actions_total', {
    target: 'main',
    action: 'terminate',
    result: 'signalled',
  }) ?? 0;

/** Sessions the test opens until the server refuses an ordinary role (full). */
async function fill(target: TestPostgres): Promise<Client[]> {
  const storm = await fillWithActive(target, 10_000);
  expect(storm.length).toBeGreaterThan(10);
  return storm;
}

async function endStorm(target: TestPostgres, storm: Client[]): Promise<void> {
  await target.query(
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'storm'",
  );
  await Promise.all(storm.map((c) => c.end().catch(() => undefined)));
}

async function storedOwnSnapshotEvent(store: TestPostgres) {
  return eventually(
    async () => (await storedEvents(store, 'governor_decision')).find((e) => e.data.ownSnapshot === true),
    20_000,
    "the governor's own-snapshot event in the store",
  );
}

const reservedMajors = majorsUnderTest().filter((m) => m >= 16);
const oldMajors = majorsUnderTest().filter((m) => m < 16);

for (const major of reservedMajors)
  describe(`PostgreSQL ${major} with reserved_connections`, () => {
    let target: TestPostgres;
    let store: TestPostgres;
    let backend: BackendProcess | undefined;
    let storm: Client[] = [];

    beforeAll(async () => {
      [target, store] = await Promise.all([
        startPostgres({
          major,
          maxConnections: MAX,
          settings: { reserved_connections: 3 },
        }),
        startPostgres({ maxConnections: 40 }),
      ]);
      await prepareTarget(target);
    });

    afterAll(async () => {
      await backend?.stop('SIGKILL');
      if (target) await endStorm(target, storm);
      await Promise.all([target?.destroy(), store?.destroy()]);
    });

    it('started on a full server: the monitor is refused, the governor sees on its own and acts', async () => {
      storm = await fill(target);
      let url: string;
      ({ backend, url } = await startGovernedBackend(target, store, 'enforce'));
      const b = backend;
      // The monitor role is refused for want of a slot; the governor's took a reserved one.
      await eventually(
        async () =>
          b.logLines().some((l) => l.msg === 'target down' && /reserved/i.test(String(l.reason)))
            ? true
            : undefined,
        30_000,
        'the monitor refused on the full server',
      );
      await waitForSessionOf(target, 'pgg_governor');

      const acted = await settledTerminations(url, 90_000, backend);
      expect(acted).toBeGreaterThan(0);
      expect(await ownSnapshots(url)).toBeGreaterThan(0);
      expect(b.logLines().some((l) => /deciding on its own snapshot/.test(String(l.msg)))).toBe(true);
      const event = await storedOwnSnapshotEvent(store);
      expect(event.title).toContain('decides on its own snapshot');
      // Every termination hit a storm session, never the backend's own or the test's.
      const victims = (await storedEvents(store, 'intervention')).filter(
        (e) => e.data.result === 'signalled',
      );
      for (const v of victims) expect(v.data.applicationName).toBe('storm');
    });
  });

for (const major of oldMajors)
  describe(`PostgreSQL ${major} (no pg_use_reserved_connections)`, () => {
    let target: TestPostgres;
    let store: TestPostgres;
    let backend: BackendProcess | undefined;
    let storm: Client[] = [];

    beforeAll(async () => {
      [target, store] = await Promise.all([
        startPostgres({ major, maxConnections: MAX }),
        startPostgres({ maxConnections: 40 }),
      ]);
      await prepareTarget(target);
    });

    afterEach(async () => {
      await backend?.stop('SIGKILL');
      backend = undefined;
      await endStorm(target, storm);
      storm = [];
    });

    afterAll(async () => {
      await Promise.all([target?.destroy(), store?.destroy()]);
    });

    it('the connection opened ahead of need still sees and acts once the monitor is shut out', async () => {
      let url: string;
      ({ backend, url } = await startGovernedBackend(target, store, 'dry-run'));
      await waitForSessionOf(target, 'pgg_governor');
      await waitForSessionOf(target, 'pgg_monitor');
      storm = await fill(target);
      // Shut the monitor out: its sessions ended, their slots taken by the storm, until none is left.
      await eventually(
        async () => {
          await target.query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'pgg_monitor'",
          );
          storm.push(...(await fillWithActive(target, 10_000)));
          const rows = await target.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = 'pgg_monitor'",
          );
          return rows[0]?.n === 0 ? true : undefined;
        },
        60_000,
        'the monitor shut out of the full server',
      );
      await eventually(
        async () => ((await readyz(url)).body.targets[0]?.state === 'down' ? true : undefined),
        60_000,
        'the monitor reporting the target down',
      );
      // Only now may the governor act: whatever it does, it does on its own snapshot.
      const response = await fetch(`${url}/api/v1/governor/main/mode`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
        body: JSON.stringify({ mode: 'enforce' }),
      });
      expect(response.status).toBe(200);
      const acted = await settledTerminations(url, 90_000, backend);
      expect(acted).toBeGreaterThan(0);
      expect(await ownSnapshots(url)).toBeGreaterThan(0);
      await storedOwnSnapshotEvent(store);
    });

    it('started on a full server: no slot for the governor role, so it cannot act (the documented limit)', async () => {
      storm = await fill(target);
      const stormPids = (
        await target.query<{ pid: number }>(
          "SELECT pid FROM pg_stat_activity WHERE application_name = 'storm'",
        )
      ).map((r) => r.pid);
      let url: string;
      ({ backend, url } = await startGovernedBackend(target, store, 'enforce'));
      const b = backend;
      // It tried its own snapshot (the monitor is refused too) and was refused a connection.
      const refused = await eventually(
        async () =>
          b
            .logLines()
            .find(
              (l) =>
                /neither can the governor connection/.test(String(l.msg)) &&
                /reserved|too many/i.test(String(l.err)),
            ),
        60_000,
        "the governor's own connection refused",
      );
      expect(refused.target).toBe('main');
      expect(await signalled(url)).toBe(0);
      expect(await ownSnapshots(url)).toBe(0);
      const live = await target.query<{ pid: number }>('SELECT pid FROM pg_stat_activity');
      const livePids = new Set(live.map((r) => r.pid));
      for (const pid of stormPids) expect(livePids.has(pid)).toBe(true);
    });
  });
