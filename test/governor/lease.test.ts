import { Client } from 'pg';
import { BackendProcess, eventually } from '../support/backend-process';
import { NEWEST_MAJOR, startPostgres, TestPostgres } from '../support/postgres';
import { MAX_CONNECTIONS, prepareTarget, USABLE, waitForSessionOf } from './governor-kit';
import {
  fillWithActive,
  metricOf,
  metrics,
  settledTerminations,
  signalledPids,
  startGovernedBackend,
  storedEvents,
} from './service-kit';

/**
 * Two backend replicas on one target sharing one external store: the target is one replica's
 * (its ownership in the store, issue 16), which collects it and holds its lease (an advisory lock
 * on its governor session on the target) and alone acts; when it is killed -9, its session ends,
 * its ownership lapses and the other takes the target over: collects it, takes the lease, acts.
 * One major (the newest): the lease is the same SQL on every major. The store being down:
 * store-outage.test.ts; many targets and replicas: test/fleet.
 */
jest.setTimeout(240_000);

interface Replica {
  backend: BackendProcess;
  url: string;
}

/** 1 on the replica governing the target and holding its lease; absent on the other (it does not run it). */
const leaseHeld = async (r: Replica) =>
  metricOf(await metrics(r.url), 'pgg_governor_lease_held', { target: 'main' });
const collects = async (r: Replica) =>
  metricOf(await metrics(r.url), 'pgg_collector_success', { target: 'main', collector: 'activity' }) === 1;

describe(`two governed backends on one target and one store (PostgreSQL ${NEWEST_MAJOR})`, () => {
  let target: TestPostgres;
  let store: TestPostgres;
  const replicas: Replica[] = [];
  let storm: Client[] = [];

  beforeAll(async () => {
    [target, store] = await Promise.all([
      startPostgres({ maxConnections: MAX_CONNECTIONS }),
      startPostgres({ maxConnections: 40 }),
    ]);
    await prepareTarget(target);
    // One after the other: both apply the store's migrations otherwise (safe, but slower here).
    replicas.push(await startGovernedBackend(target, store, 'enforce'));
    replicas.push(await startGovernedBackend(target, store, 'enforce'));
    await waitForSessionOf(target, 'pgg_governor');
  });

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.backend.stop('SIGKILL')));
    await endStorm();
    await Promise.all([target?.destroy(), store?.destroy()]);
  });

  async function endStorm(): Promise<void> {
    if (!target) return;
    await target.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'storm'",
    );
    await Promise.all(storm.map((c) => c.end().catch(() => undefined)));
    storm = [];
  }

  /**
   * Fills the server with busy sessions to all but one slot, waits until the acting replica's
   * governor has shed below optimize; returns how many it terminated.
   */
  async function stormAndRelief(acting: Replica): Promise<number> {
    storm = await fillWithActive(target, USABLE - 1);
    expect(storm.length).toBeGreaterThan(10);
    return settledTerminations(acting.url, 60_000);
  }

  let holder: Replica;
  let standby: Replica;

  it('exactly one collects the target and holds its lease', async () => {
    const held = await eventually(
      async () => {
        const values = await Promise.all(replicas.map(leaseHeld));
        return values.filter((v) => v === 1).length === 1 && values.some((v) => v === undefined)
          ? values
          : undefined;
      },
      30_000,
      'one lease holder',
    );
    holder = replicas[held.indexOf(1)] as Replica;
    standby = replicas[held.indexOf(undefined)] as Replica;
    // Stable: the standby does not take it over on its next cycles.
    await new Promise((r) => setTimeout(r, 4500));
    expect(await leaseHeld(holder)).toBe(1);
    expect(await leaseHeld(standby)).toBeUndefined();
    expect(await collects(holder)).toBe(true);
    expect(await collects(standby)).toBe(false);
    const text = await metrics(holder.url);
    expect(metricOf(text, 'pgg_governor_decisions_total', { target: 'main' })).toBeGreaterThan(0);
    expect(metricOf(text, 'pgg_target_owned', { target: 'main' })).toBe(1);
    expect(metricOf(await metrics(standby.url), 'pgg_target_owned', { target: 'main' })).toBe(0);
  });

  it('only the holder acts', async () => {
    const byHolder = await stormAndRelief(holder);
    expect(byHolder).toBeGreaterThan(0);
    const byStandby = metricOf(await metrics(standby.url), 'pgg_governor_actions_total', {
      target: 'main',
      action: 'terminate',
      result: 'signalled',
    });
    expect(byStandby).toBeUndefined();
    // Every action is journaled, by the holder's instance (once the writer has flushed).
    const signalled = await eventually(
      async () => {
        const done = await signalledPids(store);
        return done.length === byHolder ? done : undefined;
      },
      10_000,
      'interventions in the store',
    );
    const lease = await storedEvents(store, 'governor_decision');
    const holderInstance = lease.find((e) => e.data.held === true)?.data.instance;
    expect(holderInstance).toBeDefined();
    expect(new Set(signalled.map((s) => s.instance))).toEqual(new Set([holderInstance]));
    await endStorm();
  });

  it('when the holder is killed -9, the standby takes the target over within 15 s and acts', async () => {
    const before = new Set((await signalledPids(store)).map((s) => s.instance));
    const killedAt = Date.now();
    await holder.backend.stop('SIGKILL');
    await eventually(
      async () => ((await leaseHeld(standby)) === 1 && (await collects(standby)) ? true : undefined),
      30_000,
      'the target taken over',
    );
    expect(Date.now() - killedAt).toBeLessThan(15_000);
    // The standby's journal says so too (the store gets it on the writer's next flush).
    const standbyInstance = await eventually(
      async () =>
        (await storedEvents(store, 'governor_decision'))
          .filter((e) => e.data.held === true)
          .map((e) => e.data.instance as string)
          .find((instance) => !before.has(instance)),
      10_000,
      "the standby's lease event",
    );

    expect(await stormAndRelief(standby)).toBeGreaterThan(0);
    const after = await eventually(
      async () => {
        const done = (await signalledPids(store)).filter((s) => s.instance === standbyInstance);
        return done.length > 0 ? done : undefined;
      },
      10_000,
      "the standby's interventions",
    );
    expect(after.length).toBeGreaterThan(0);
    const text = await metrics(standby.url);
    expect(metricOf(text, 'pgg_collector_success', { target: 'main', collector: 'activity' })).toBe(1);
    await endStorm();
  });
});
