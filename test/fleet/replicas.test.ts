import { NEWEST_MAJOR, TestPostgres } from '../support/postgres';
import { readyz } from '../support/backend-process';
import {
  collectedBy,
  eventually,
  FleetDir,
  hotSampleCounts,
  latestTable,
  metrics,
  ownedBy,
  pause,
  recordOwnerChanges,
  Replica,
  settledOwnership,
  startFleetServers,
  startReplica,
  steals,
  storeOwners,
  StoreProxy,
  targetEntry,
} from './fleet-kit';

/**
 * Three replicas on one store share six targets (databases of one server) from a targets folder
 * (issue 16): each target collected and governed by exactly one; a replica that stops hands its
 * targets over at once, one killed -9 loses them within 15 s; one cut off from the store keeps
 * its targets only while it holds their lock on the target, and nobody collects them twice; a
 * replica whose clock is a minute ahead steals nothing; targets come and go with the files.
 * Default heartbeat (2 s) and lease (8 s): the timings asserted are the product's.
 */
jest.setTimeout(180_000);

const TARGETS = ['d1', 'd2', 'd3', 'd4', 'd5', 'd6'];

describe(`replicas sharing targets (PostgreSQL ${NEWEST_MAJOR})`, () => {
  let target: TestPostgres;
  let store: TestPostgres;
  const fleet = new FleetDir();
  const replicas: Replica[] = [];
  const started = new Date();

  beforeAll(async () => {
    ({ target, store } = await startFleetServers([...TARGETS, 'd7']));
    fleet.writeTargets('a.yaml', { targets: TARGETS.slice(0, 3).map((n) => targetEntry(target, n)) });
    fleet.writeTargets(
      'b.yml',
      TARGETS.slice(3).map((n) => targetEntry(target, n)),
    );
  });

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.backend.stop('SIGKILL')));
    await Promise.all([target?.destroy(), store?.destroy()]);
    fleet.remove();
  });

  async function replica(name: string, env: Record<string, string> = {}, storeUrl = store.superuserUrl) {
    const started = await startReplica(fleet.config(storeUrl, name), env);
    replicas.push(started);
    return started;
  }

  const alive = () =>
    replicas.filter((r) => r.backend.child.exitCode === null && r.backend.child.signalCode === null);

  it('a replica alone owns every target after its join window; three share them evenly', async () => {
    const first = await replica('r1');
    // Alone on the store: every target once its join window (two heartbeats) is over.
    await eventually(
      async () => ((await ownedBy(first)).length === TARGETS.length ? true : undefined),
      15_000,
      'every target owned by the first replica',
    );
    expect(await ownedBy(first)).toEqual(TARGETS);
    await recordOwnerChanges(store);
    await replica('r2');
    await replica('r3');
    const owners = await settledOwnership(replicas, TARGETS, 30_000, { evenly: true });
    const shares = replicas.map((r) => [...owners.values()].filter((o) => o === r).length);
    expect(shares).toEqual([2, 2, 2]);
    // The store agrees, and /api/v1/overview of any replica names each target's owner.
    const inStore = await storeOwners(store);
    for (const [name, owner] of owners) expect(inStore.get(name)).toBe(owner.id);
    for (const r of replicas) {
      // As of its next heartbeat (2 s).
      const overview = await eventually(
        async () => {
          const answer = (await (await fetch(`${r.url}/api/v1/overview`)).json()) as {
            replica: string;
            scope: string;
            replicas: { id: string; targets: number }[];
            targets: { name: string; owner: string | null; state: string }[];
          };
          const seen = JSON.stringify(answer.targets.map((t) => [t.name, t.owner]));
          return seen === JSON.stringify(TARGETS.map((n) => [n, owners.get(n)?.id])) ? answer : undefined;
        },
        10_000,
        `the owners in the overview of ${r.id}`,
      );
      expect(overview.replica).toBe(r.id);
      expect(overview.replicas.map((x) => x.targets)).toEqual([2, 2, 2]);
      expect(overview.scope).toBe('fleet');
      // Each replica's /metrics exports the targets it owns, and only those.
      const text = await metrics(r.url);
      const exported = new Set(
        [...text.matchAll(/^pg_connections_used\{target="([^"]+)"/gm)].map((m) => m[1]),
      );
      expect([...exported].sort()).toEqual(await ownedBy(r));
      expect(text).toMatch(/^pgg_replica_targets_owned 2$/m);
    }
    // Every target's numbers are there from any replica once its owner published them.
    await eventually(async () => {
      const overview = (await (await fetch(`${replicas[0]?.url}/api/v1/overview`)).json()) as {
        targets: { state: string }[];
      };
      return overview.targets.every((t) => t.state === 'up') ? true : undefined;
    });
  });

  it("any replica sets a target's governor mode; its owner puts it in force", async () => {
    const owners = await settledOwnership(replicas, TARGETS);
    const owner = owners.get('d1') as Replica;
    const other = replicas.find((r) => r !== owner) as Replica;
    const mode = async (r: Replica, name: string) =>
      /^pgg_governor_mode\{target="d1",mode="([^"]+)"\} 1$/m.exec(await metrics(r.url))?.[1] ?? name;
    const post = async (r: Replica, body: Record<string, string>) => {
      const response = await fetch(`${r.url}/api/v1/governor/d1/mode`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    expect(await mode(owner, 'none')).toBe('dry-run');
    expect(await post(other, { mode: 'observe', reason: 'INC-9' })).toMatchObject({
      status: 200,
      body: { target: 'd1', mode: 'observe', previous: 'dry-run', changed: true, source: 'operator' },
    });
    await eventually(
      async () => ((await mode(owner, 'none')) === 'observe' ? true : undefined),
      10_000,
      'observe in force',
    );
    expect(await post(other, { mode: 'configured' })).toMatchObject({
      status: 200,
      body: { mode: 'dry-run', previous: 'observe', changed: true, source: 'configured' },
    });
    await eventually(
      async () => ((await mode(owner, 'none')) === 'dry-run' ? true : undefined),
      10_000,
      'dry-run again',
    );
  });

  it("any replica answers a target's latest tables and the fleet's alerts", async () => {
    const owners = await settledOwnership(replicas, TARGETS);
    const owner = owners.get('d2') as Replica;
    const other = replicas.find((r) => r !== owner) as Replica;
    const sessions = async (r: Replica) => {
      const frame = await latestTable(r, 'sessions', ['d2']);
      return { rows: frame?.data.values[0]?.length ?? 0, takenAt: frame?.schema.meta?.custom?.takenAt?.d2 };
    };
    // The owner from memory, another replica from the store (its newest snapshot, a flush behind).
    const mine = await sessions(owner);
    expect(mine.rows).toBeGreaterThan(0);
    const fromStore = await eventually(
      async () => {
        const answer = await sessions(other);
        return answer.rows > 0 ? answer : undefined;
      },
      10_000,
      'the latest sessions of d2 from another replica',
    );
    expect(Date.now() - (fromStore.takenAt ?? 0)).toBeLessThan(10_000);

    for (const r of replicas) {
      const alerts = (await (await fetch(`${r.url}/api/v1/alerts`)).json()) as {
        replica: string;
        scope: string;
      };
      expect(alerts).toMatchObject({ replica: r.id, scope: 'fleet' });
    }
  });

  it('SIGTERM: the replica hands its targets over at once', async () => {
    const leaving = replicas[0] as Replica;
    const theirs = await ownedBy(leaving);
    const stoppedAt = Date.now();
    const { code } = await leaving.backend.stop('SIGTERM');
    expect(code).toBe(0);
    await settledOwnership(alive(), TARGETS);
    const handOver = Date.now() - stoppedAt;
    // The next heartbeat (2 s) of the others takes them; collected at once.
    expect(handOver).toBeLessThan(6000);
    const released = await storeOwners(store);
    for (const name of theirs) expect(released.get(name)).not.toBe(leaving.id);
  });

  it('kill -9: its targets are taken over within 15 s', async () => {
    await replica('r4');
    await settledOwnership(alive(), TARGETS);
    const victim = alive()[0] as Replica;
    const theirs = await ownedBy(victim);
    expect(theirs.length).toBeGreaterThan(0);
    const killedAt = Date.now();
    await victim.backend.stop('SIGKILL');
    await settledOwnership(alive(), TARGETS, 20_000);
    expect(Date.now() - killedAt).toBeLessThan(15_000);
  });

  it('a replica whose clock is a minute ahead takes its share and steals nothing', async () => {
    const skewed = await replica('skewed', { PGG_TEST_CLOCK_OFFSET_MS: '60000' });
    const owners = await settledOwnership(alive(), TARGETS, 30_000, { evenly: true });
    expect([...owners.values()].filter((o) => o === skewed)).toHaveLength(2);
    expect(await steals(store)).toEqual([]);
  });

  it('cut off from the store, a replica keeps its targets while it holds their lock; nobody collects them twice', async () => {
    const proxy = new StoreProxy(store);
    await proxy.open();
    const cut = await replica('cut', {}, proxy.url());
    // The others hold their fair share already (sticky): one leaves, the newcomer takes its targets.
    await (alive()[0] as Replica).backend.stop('SIGTERM');
    await eventually(
      async () => ((await ownedBy(cut)).length > 0 ? true : undefined),
      15_000,
      'a share for it',
    );
    let owners = await settledOwnership(alive(), TARGETS, 30_000, { evenly: true });
    const theirs = [...owners].filter(([, o]) => o === cut).map(([name]) => name);
    expect(theirs.length).toBeGreaterThan(0);

    await proxy.cut();
    // Its lease ends in the store (8 s): the others take its targets there, yet cannot collect
    // them while its governor sessions hold the targets' lock; it goes on collecting them.
    const taken = await eventually(
      async () => {
        const inStore = await storeOwners(store);
        return theirs.every((t) => inStore.get(t) !== undefined && inStore.get(t) !== cut.id)
          ? inStore
          : undefined;
      },
      20_000,
      "the cut replica's targets taken in the store",
    );
    await pause(3000);
    expect((await collectedBy(cut)).sort()).toEqual(expect.arrayContaining(theirs));
    for (const other of alive().filter((r) => r !== cut)) {
      const collected = await collectedBy(other);
      for (const name of theirs) {
        expect({ name, by: other.id, collected: collected.includes(name) }).toEqual({
          name,
          by: other.id,
          collected: false,
        });
        if (taken.get(name) === other.id) {
          const ready = await readyz(other.url);
          expect(ready.body.targets.map((t) => t.name)).toContain(name);
        }
      }
    }
    // Healed: it sees its targets taken, stops them, and their lock goes to the new owners.
    await proxy.heal();
    const lost = await eventually(
      async () =>
        cut.backend
          .logLines()
          .find(
            (l) =>
              l.msg === 'target ownership changed' &&
              theirs.every((t) => (l.lost as string[] | undefined)?.includes(t)),
          ),
      15_000,
      'the cut replica giving its targets up',
    );
    expect(lost).toBeDefined();
    owners = await settledOwnership(alive(), TARGETS, 30_000);
    await proxy.cut();
    await cut.backend.stop('SIGKILL');
    await settledOwnership(alive(), TARGETS, 30_000);
  });

  it('targets_dir: a new file starts its target, a changed target restarts, a removed one stops', async () => {
    fleet.writeTargets('c.yaml', targetEntry(target, 'd7'));
    let owners = await settledOwnership(alive(), [...TARGETS, 'd7']);
    const d7 = owners.get('d7') as Replica;

    // Changed (the governor's mode): restarted by its owner, which governs it in the new mode.
    fleet.writeTargets('c.yaml', targetEntry(target, 'd7', { governor: { mode: 'observe' } }));
    await eventually(
      async () =>
        d7.backend.logLines().some((l) => l.msg === 'targets changed' && String(l.restarted) === 'd7')
          ? true
          : undefined,
      10_000,
      'd7 restarted',
    );
    await settledOwnership(alive(), [...TARGETS, 'd7']);

    // Removed: stopped (no replica exports it), released in the store.
    fleet.writeTargets(
      'b.yml',
      TARGETS.slice(3, 5).map((n) => targetEntry(target, n)),
    );
    const left = [...TARGETS.slice(0, 5), 'd7'];
    owners = await settledOwnership(alive(), left);
    await eventually(
      async () => ((await storeOwners(store)).has('d6') ? undefined : true),
      10_000,
      'd6 released',
    );
    for (const r of alive()) expect(await metrics(r.url)).not.toMatch(/target="d6"/);
  });

  it('targets_dir: a bad file is reported, the last good targets stay, SIGHUP re-reads', async () => {
    const left = [...TARGETS.slice(0, 5), 'd7'];
    const problems = async (r: Replica) => (await readyz(r.url)).body as unknown as { degraded: string[] };
    // A name another file has, and a DSN that is no URL: each file refused whole, with why.
    fleet.writeTargets('dup.yaml', [targetEntry(target, 'd1'), targetEntry(target, 'd9')]);
    fleet.writeTargets('nodsn.yaml', { name: 'd8', dsn: 'not a url' });
    for (const r of alive()) {
      const degraded = await eventually(
        async () => {
          const lines = (await problems(r)).degraded.join('\n');
          return /dup\.yaml.*duplicate target name "d1": already in a\.yaml/.test(lines) &&
            /nodsn\.yaml: dsn: must be a postgres:\/\/ or postgresql:\/\/ URL/.test(lines)
            ? lines
            : undefined;
        },
        10_000,
        `the bad files in /readyz of ${r.id}`,
      );
      expect(degraded).toBeDefined();
      expect(await metrics(r.url)).toMatch(/^pgg_targets_file_errors 2$/m);
    }
    // Nothing else moved; d1 is still a.yaml's.
    await settledOwnership(alive(), left);

    // A target whose server does not answer: its owner says why, the others are unaffected.
    fleet.removeTargets('dup.yaml');
    fleet.removeTargets('nodsn.yaml');
    const nowhere = target.url('d9', 'pgg_monitor', 'x').replace(`:${target.port}/`, ':1/');
    fleet.writeTargets('down.yaml', { name: 'd9', dsn: nowhere });
    const d9Owner = await eventually(
      async () => {
        for (const r of alive()) {
          const report = await readyz(r.url);
          const d9 = report.body.targets.find((t) => t.name === 'd9');
          if (d9?.state === 'down' && /ECONNREFUSED|connect/i.test(d9.reason ?? '')) return r;
        }
        return undefined;
      },
      15_000,
      'd9 down, with the reason, on its owner',
    );
    expect(d9Owner).toBeDefined();
    fleet.removeTargets('down.yaml');
    await settledOwnership(alive(), left);
    for (const r of alive())
      await eventually(
        async () => ((await metrics(r.url)).match(/^pgg_targets_file_errors 0$/m) ? true : undefined),
        10_000,
        'no file error left',
      );

    // SIGHUP: read again at once.
    const r = alive()[0] as Replica;
    const reads = async () =>
      Number(/^pgg_targets_dir_reads_total\{result="ok"\} (\d+)/m.exec(await metrics(r.url))?.[1] ?? 0);
    const before = await reads();
    r.backend.child.kill('SIGHUP');
    await eventually(async () => ((await reads()) > before ? true : undefined), 5000, 'a read on SIGHUP');
    expect(r.backend.logLines().some((l) => l.msg === 're-reading the targets')).toBe(true);
  });

  it('never collected twice: the store holds one collector’s samples per target', async () => {
    const counts = await hotSampleCounts(store, started);
    expect([...counts.keys()].sort()).toEqual([...TARGETS, 'd7']);
    for (const [name, { samples, seconds }] of counts) {
      // One collector every second writes about `seconds` samples; two would write twice as many.
      expect({ name, samples }).toEqual({ name, samples: expect.any(Number) });
      expect(samples).toBeLessThan(seconds * 1.3 + 5);
    }
  });
});
