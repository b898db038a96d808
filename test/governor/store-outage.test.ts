import { Client } from 'pg';
import { BackendProcess, eventually } from '../support/backend-process';
import { NEWEST_MAJOR, startPostgres, TestPostgres } from '../support/postgres';
import { MAX_CONNECTIONS, prepareTarget, USABLE, waitForSessionOf } from './governor-kit';
import { fillWithActive, metricOf, metrics, settledTerminations, startGovernedBackend } from './service-kit';

/**
 * The governor while the history store is down (issue 12, item 7). The target is one replica's
 * (its ownership in the store), and its lease is held on the target (an advisory lock on the
 * governor's own session there): past the ownership's end without the store, the owner goes on
 * while it holds that lock, which nobody else can take, so one replica keeps acting, and of two
 * replicas exactly one acts (no split brain). One major (the newest): the lease is the same SQL
 * on every major.
 */
jest.setTimeout(300_000);

interface Replica {
  backend: BackendProcess;
  url: string;
}

const leaseHeld = async (r: Replica) =>
  metricOf(await metrics(r.url), 'pgg_governor_lease_held', { target: 'main' });
const signalled = async (r: Replica) =>
  metricOf(await metrics(r.url), 'pgg_governor_actions_total', {
    target: 'main',
    action: 'terminate',
    result: 'signalled',
  }) ?? 0;

describe(`the governor with the store down (PostgreSQL ${NEWEST_MAJOR})`, () => {
  let target: TestPostgres;
  let store: TestPostgres;
  let replicas: Replica[] = [];
  let storm: Client[] = [];

  beforeAll(async () => {
    [target, store] = await Promise.all([
      startPostgres({ maxConnections: MAX_CONNECTIONS }),
      startPostgres({ maxConnections: 40 }),
    ]);
    await prepareTarget(target);
  });

  afterEach(async () => {
    await Promise.all(replicas.map((r) => r.backend.stop('SIGKILL')));
    replicas = [];
    await target.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'storm'",
    );
    await Promise.all(storm.map((c) => c.end().catch(() => undefined)));
    storm = [];
    if (!store.server.running) await store.start();
  });

  afterAll(async () => {
    await Promise.all([target?.destroy(), store?.destroy()]);
  });

  /** Waits until exactly one replica holds the lease; returns [holder, ...standbys]. */
  async function oneHolder(): Promise<Replica[]> {
    const held = await eventually(
      async () => {
        const values = await Promise.all(replicas.map(leaseHeld));
        // The other replica does not run the target: no lease metric there.
        return values.filter((v) => v === 1).length === 1 && values.every((v) => v === 1 || v === undefined)
          ? values
          : undefined;
      },
      30_000,
      'one lease holder',
    );
    return [...replicas].sort((a, b) => (held[replicas.indexOf(b)] ?? 0) - (held[replicas.indexOf(a)] ?? 0));
  }

  async function stopStore(): Promise<void> {
    await store.stop();
    await expect(store.query('SELECT 1')).rejects.toThrow();
  }

  it('one replica keeps acting while the store is down', async () => {
    replicas.push(await startGovernedBackend(target, store, 'enforce'));
    await waitForSessionOf(target, 'pgg_governor');
    const [only] = await oneHolder();
    await stopStore();
    storm = await fillWithActive(target, USABLE - 1);
    expect(storm.length).toBeGreaterThan(10);
    const acted = await settledTerminations((only as Replica).url, 60_000);
    expect(acted).toBeGreaterThan(0);
    expect(await leaseHeld(only as Replica)).toBe(1);
  });

  it('of two replicas, exactly one acts while the store is down', async () => {
    // One after the other: both apply the store's migrations otherwise (safe, but slower here).
    replicas.push(await startGovernedBackend(target, store, 'enforce'));
    replicas.push(await startGovernedBackend(target, store, 'enforce'));
    const [holder, standby] = (await oneHolder()) as [Replica, Replica];
    await stopStore();
    storm = await fillWithActive(target, USABLE - 1);
    expect(storm.length).toBeGreaterThan(10);
    const stormPids = storm.length;
    const acted = await settledTerminations(holder.url, 60_000);
    expect(acted).toBeGreaterThan(0);
    // The standby saw the same pressure and did nothing; the holder kept its lease throughout.
    expect(await signalled(standby)).toBe(0);
    expect(await leaseHeld(standby)).toBeUndefined();
    expect(await leaseHeld(holder)).toBe(1);
    // Every storm session gone was ended by the holder: nobody else signalled.
    const left = await target.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'storm'",
    );
    expect(stormPids - (left[0]?.n ?? 0)).toBe(await signalled(holder));
  });
});
