import { Client } from 'pg';
import { NEWEST_MAJOR, TestPostgres } from '../support/postgres';
import {
  eventually,
  FleetDir,
  latestTable,
  Replica,
  settledOwnership,
  startFleetServers,
  startReplica,
  targetEntry,
} from './fleet-kit';

/**
 * Findings live in the memory of the replica that runs a target's checks (issue 16: any replica
 * answers for the whole fleet). Two replicas share two targets (databases of one server, so each
 * sees the server's sessions): a session idle in transaction opens idle_in_transaction on both
 * targets, each in its owner's engine, and both replicas list both targets' findings and checks,
 * through /api/v1/findings and the query API's findings table. One replica leaves (SIGTERM): the
 * other takes its target over with its findings (same id and first sight, no second announcement),
 * and sees them resolved once the session ends.
 */
jest.setTimeout(120_000);

const TARGETS = ['f1', 'f2'];

interface FindingsAnswer {
  findings: { id: string; target: string; kind: string; state: string; firstSeen: string }[];
  checks: { target: string; kind: string; lastRunAt?: string }[];
  scope: string;
}

describe(`findings of a fleet (PostgreSQL ${NEWEST_MAJOR})`, () => {
  let target: TestPostgres;
  let store: TestPostgres;
  const fleet = new FleetDir();
  const replicas: Replica[] = [];
  let idle: Client | undefined;

  beforeAll(async () => {
    ({ target, store } = await startFleetServers(TARGETS, 80));
    fleet.writeTargets(
      'fleet.yaml',
      TARGETS.map((n) => targetEntry(target, n)),
    );
    const extra = { findings: { idle_in_transaction: { warning_s: 1 } } };
    for (const name of ['r1', 'r2'])
      replicas.push(await startReplica(fleet.config(store.superuserUrl, name, extra)));
  });

  afterAll(async () => {
    await idle?.end().catch(() => undefined);
    await Promise.all(replicas.map((r) => r.backend.stop('SIGKILL')));
    await Promise.all([target?.destroy(), store?.destroy()]);
    fleet.remove();
  });

  const findings = async (r: Replica, state: string): Promise<FindingsAnswer> =>
    (await (
      await fetch(`${r.url}/api/v1/findings?kind=idle_in_transaction&state=${state}`)
    ).json()) as FindingsAnswer;

  const targetsOf = (answer: FindingsAnswer) => [...new Set(answer.findings.map((f) => f.target))].sort();

  it('any replica lists every target’s findings and checks', async () => {
    const owners = await settledOwnership(replicas, TARGETS, 30_000, { evenly: true });
    expect(new Set(owners.values()).size).toBe(2);

    idle = new Client({ connectionString: target.superuserUrl.replace(/\/postgres(\?|$)/, '/f1$1') });
    await idle.connect();
    await idle.query('BEGIN');
    await idle.query('SELECT 1');

    for (const r of replicas) {
      const answer = await eventually(
        async () => {
          const a = await findings(r, 'open');
          return JSON.stringify(targetsOf(a)) === JSON.stringify(TARGETS) ? a : undefined;
        },
        30_000,
        `both targets' idle_in_transaction findings from ${r.id}`,
      );
      expect(answer.scope).toBe('fleet');
      expect([...new Set(answer.checks.map((c) => c.target))].sort()).toEqual(TARGETS);

      // The Findings dashboard's table, through the query API, alike.
      const frame = await latestTable(r, 'findings');
      const column = frame?.schema.fields.findIndex((f) => f.name === 'target') ?? -1;
      expect([...new Set(frame?.data.values[column] ?? [])].sort()).toEqual(TARGETS);
    }
  });

  it('a replica that takes a target over carries its findings on: the same finding, announced once', async () => {
    const owners = await settledOwnership(replicas, TARGETS);
    const leaving = owners.get('f1') as Replica;
    const staying = replicas.find((r) => r !== leaving) as Replica;
    const before = (await findings(leaving, 'open')).findings.find((f) => f.target === 'f1');
    expect(before).toBeDefined();

    expect((await leaving.backend.stop('SIGTERM')).code).toBe(0);
    replicas.splice(replicas.indexOf(leaving), 1);
    await settledOwnership(replicas, TARGETS);
    // Taken over and checked again here: the same finding, first seen when it was.
    const after = await eventually(
      async () => {
        const answer = await findings(staying, 'open');
        const check = answer.checks.find((c) => c.target === 'f1' && c.kind === 'idle_in_transaction');
        return check?.lastRunAt ? answer.findings.find((f) => f.target === 'f1') : undefined;
      },
      30_000,
      'f1 checked by the replica that took it over',
    );
    expect(after).toMatchObject({ id: before?.id, firstSeen: before?.firstSeen, state: 'open' });

    await idle?.end();
    idle = undefined;
    await eventually(
      async () => {
        const [open, resolved] = await Promise.all([
          findings(staying, 'open'),
          findings(staying, 'resolved'),
        ]);
        return open.findings.length === 0 && JSON.stringify(targetsOf(resolved)) === JSON.stringify(TARGETS)
          ? true
          : undefined;
      },
      30_000,
      `both targets' findings resolved, from ${staying.id}`,
    );
    // Events are stored in the order they happen: once f1's resolution is there, so is every
    // announcement before it. One, by the first owner.
    const events = (state: string) =>
      store.query<{ id: string }>(
        `SELECT data->>'id' AS id FROM events
          WHERE kind = 'finding' AND target = 'f1' AND data->>'kind' = 'idle_in_transaction' AND data->>'state' = $1`,
        [state],
      );
    await eventually(
      async () => ((await events('resolved')).length > 0 ? true : undefined),
      10_000,
      "f1's resolution in the store",
    );
    expect((await events('new')).map((e) => e.id)).toEqual([before?.id]);
  });
});
