import { NEWEST_MAJOR, TestPostgres } from '../support/postgres';
import {
  FleetDir,
  Replica,
  settledOwnership,
  startFleetServers,
  startReplica,
  storeOwners,
  targetEntry,
} from './fleet-kit';

/**
 * Replicas started together on one store and the whole fleet (issue 16): each registers and sees
 * the others during its join window before it claims, so each takes its share at once and no
 * target is started on one replica and then handed to another (a start-up storm).
 */
jest.setTimeout(180_000);

const TARGETS = Array.from({ length: 9 }, (_, i) => `s${i + 1}`);

describe(`replicas started together (PostgreSQL ${NEWEST_MAJOR})`, () => {
  let target: TestPostgres;
  let store: TestPostgres;
  const fleet = new FleetDir();
  const replicas: Replica[] = [];

  beforeAll(async () => {
    ({ target, store } = await startFleetServers(TARGETS));
    fleet.writeTargets('fleet.yaml', { targets: TARGETS.map((n) => targetEntry(target, n)) });
  });

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.backend.stop('SIGKILL')));
    await Promise.all([target?.destroy(), store?.destroy()]);
    fleet.remove();
  });

  it('each takes about a fair share at once; no target starts twice', async () => {
    // Processes started at once on a loaded test machine may register seconds apart: a window wider
    // than the default's two heartbeats, so that "together" means the same here as in production.
    const start = (name: string) =>
      startReplica(fleet.config(store.superuserUrl, name), { PGG_REPLICAS__JOIN_WINDOW_MS: '10000' });
    replicas.push(...(await Promise.all(['a', 'b', 'c'].map(start))));
    const owners = await settledOwnership(replicas, TARGETS, 60_000, { evenly: true });
    expect(replicas.map((r) => [...owners.values()].filter((o) => o === r).length)).toEqual([3, 3, 3]);
    const inStore = await storeOwners(store);
    for (const [name, owner] of owners) expect(inStore.get(name)).toBe(owner.id);

    // Each target started on exactly one replica, and none handed over or stopped since.
    const started = replicas.flatMap((r) =>
      r.backend
        .logLines()
        .filter((l) => l.msg === 'targets changed')
        .flatMap((l) => l.started as string[]),
    );
    expect([...started].sort()).toEqual([...TARGETS].sort());
    for (const r of replicas) {
      const changes = r.backend.logLines().filter((l) => l.msg === 'target ownership changed');
      expect(changes.flatMap((l) => [...(l.lost as string[]), ...(l.handOver as string[])])).toEqual([]);
    }
  });
});
