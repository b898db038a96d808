import { Client } from 'pg';
import { migrate } from '../../backend/src/store/migrate';
import { storeQuery } from '../../backend/src/store/store-query';
import { NEWEST_MAJOR, startPostgres, TestPostgres } from '../support/postgres';
import { createDatabase, poolFor, quietLog } from '../store/store-kit';
import { eventually } from './fleet-kit';

/**
 * The ownership statements on a real store (sql/store/queries, migration 008): a heartbeat renews a
 * lease without any lock of its own, so what orders it against another replica taking its targets
 * is the row lock on its `replicas` row. Whichever comes first, never two owners who both believe it.
 */
jest.setTimeout(60_000);

describe(`replica leases and claims in the store (PostgreSQL ${NEWEST_MAJOR})`, () => {
  let pg: TestPostgres;
  let a: Client;
  let b: Client;
  let check: Client;

  beforeAll(async () => {
    pg = await startPostgres();
    const url = await createDatabase(pg, 'ownership');
    const pool = poolFor(url);
    await migrate(pool, quietLog());
    await pool.end();
    [a, b, check] = [new Client(url), new Client(url), new Client(url)];
    await Promise.all([a, b, check].map((c) => c.connect()));
    for (const [client, instance] of [
      [a, 'A'],
      [b, 'B'],
    ] as const)
      await client.query(storeQuery('replica-join'), [instance, 'host', 8000, ['t1', 't2'], 0]);
  });

  afterAll(async () => {
    await Promise.all([a, b, check].map((c) => c?.end()));
    await pg?.destroy();
  });

  const renew = (client: Client, instance: string) =>
    client.query(storeQuery('replica-renew'), [instance, 8000, ['t1', 't2']]);
  /** Test setup: the replica's lease ran out (as if it had stopped renewing 8 s ago). */
  const expire = (instance: string) =>
    check.query(
      `UPDATE replicas SET expires_at = clock_timestamp() - interval '1 second' WHERE instance = $1`,
      [instance],
    );
  const owners = async () =>
    new Map(
      (
        await check.query<{ target: string; owner: string; live: boolean }>(storeQuery('target-owners'))
      ).rows.map((r) => [r.target, `${r.owner}${r.live ? '' : ' (dead)'}`]),
    );
  /** Waits until a statement of the store waits on a row lock. */
  const waitingOnLock = () =>
    eventually(async () => {
      const { rows } = await check.query(
        `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      return rows.length > 0 ? true : undefined;
    }, 10_000);

  it('a free target goes to the one claim that wins it', async () => {
    const first = await a.query(storeQuery('claim-free-targets'), ['A', ['t1']]);
    const second = await b.query(storeQuery('claim-free-targets'), ['B', ['t1', 't2']]);
    expect(first.rows.map((r) => r.target)).toEqual(['t1']);
    expect(second.rows.map((r) => r.target)).toEqual(['t2']);
    expect(await owners()).toEqual(
      new Map([
        ['t1', 'A'],
        ['t2', 'B'],
      ]),
    );
  });

  it('a renewal that comes first keeps the targets: the take finds the owner alive', async () => {
    await expire('A');
    expect((await owners()).get('t1')).toBe('A (dead)');
    await a.query('BEGIN');
    expect((await renew(a, 'A')).rows).toHaveLength(1);
    await b.query('BEGIN');
    const lapse = b.query(storeQuery('replicas-lapse'), [['A']]);
    await waitingOnLock();
    await a.query('COMMIT');
    expect((await lapse).rows).toEqual([]);
    expect((await b.query(storeQuery('take-targets'), ['B', ['t1'], []])).rows).toEqual([]);
    await b.query('COMMIT');
    expect((await owners()).get('t1')).toBe('A');
  });

  it('a take that comes first wins: the owner’s renewal waits, then fails, and it joins again without the target', async () => {
    await expire('A');
    await b.query('BEGIN');
    const lapsed = await b.query<{ instance: string }>(storeQuery('replicas-lapse'), [['A']]);
    expect(lapsed.rows.map((r) => r.instance)).toEqual(['A']);
    const taken = await b.query(storeQuery('take-targets'), ['B', ['t1'], ['A']]);
    expect(taken.rows.map((r) => r.target)).toEqual(['t1']);
    const renewal = renew(a, 'A');
    await waitingOnLock();
    await b.query('COMMIT');
    expect((await renewal).rows).toEqual([]);
    // Lapsed: every renewal fails until it joins again, and the take stands.
    expect((await renew(a, 'A')).rows).toEqual([]);
    const joined = await a.query(storeQuery('replica-join'), ['A', 'host', 8000, ['t1', 't2'], 10_000]);
    // Joining again does not reopen the join window.
    expect(joined.rows[0]?.join_left_ms).toBe(0);
    expect((await renew(a, 'A')).rows).toHaveLength(1);
    expect(await owners()).toEqual(
      new Map([
        ['t1', 'B'],
        ['t2', 'B'],
      ]),
    );
  });

  it('a replica that has just started is live but not claiming until its join window is over', async () => {
    const joined = await check.query(storeQuery('replica-join'), ['C', 'host', 8000, ['t1'], 60_000]);
    expect(joined.rows[0]?.join_left_ms).toBeGreaterThan(0);
    const live = await check.query<{ instance: string; claiming: boolean }>(storeQuery('live-replicas'));
    expect(live.rows.map((r) => [r.instance, r.claiming])).toEqual([
      ['A', true],
      ['B', true],
      ['C', false],
    ]);
  });

  it("live replicas say how long each one's lease has left, by the store's clock", async () => {
    // A's lease set to end 3 s from now (store clock), whatever the test's own clock says.
    await check.query(
      `UPDATE replicas SET expires_at = clock_timestamp() + interval '3 seconds' WHERE instance = 'A'`,
    );
    const live = await check.query<{ instance: string; expires_in_ms: string }>(storeQuery('live-replicas'));
    const left = Number(live.rows.find((r) => r.instance === 'A')?.expires_in_ms);
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(3000);
    await expire('A');
    const after = await check.query<{ instance: string }>(storeQuery('live-replicas'));
    expect(after.rows.map((r) => r.instance)).not.toContain('A');
  });
});
