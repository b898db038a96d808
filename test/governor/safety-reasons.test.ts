import { activityCollector } from '../../backend/src/collectors/activity';
import { loadConfig } from '../../backend/src/config/load';
import { isProtected } from '../../backend/src/governor/safety-filter';
import { activitySnapshotOf } from '../../backend/src/governor/snapshot';
import { collectOnce } from '../support/collect';
import { forEachMajor, startPostgres, TestPostgres } from '../support/postgres';
import { monitorUrl, PASSWORD, Population, prepareTarget } from './governor-kit';

/**
 * The reason the safety filter gives for each protected session, from the real activity
 * collector's view of a real server: the first that applies in the README's order (a superuser
 * that also has REPLICATION is skipped as a superuser; with superusers allowed, as a replication role).
 */
forEachMajor((major) => {
  let pg: TestPostgres;
  let population: Population | undefined;

  beforeAll(async () => {
    pg = await startPostgres({ major });
    await prepareTarget(pg);
    await pg.createRole('root_replicator', { password: PASSWORD, superuser: true });
    await pg.query('ALTER ROLE root_replicator REPLICATION');
    // (the bootstrap superuser postgres has REPLICATION too)
    await pg.createRole('root_only', { password: PASSWORD, superuser: true });
    population = await Population.open(pg, [
      { label: 'superuser with replication', kind: 'idle', user: 'root_replicator' },
      { label: 'replication role', kind: 'idle', user: 'replicator' },
      { label: 'superuser', kind: 'idle', user: 'root_only' },
      { label: 'ordinary', kind: 'idle', user: 'app_user' },
    ]);
  });

  afterAll(async () => {
    await population?.close(pg);
    await pg?.destroy();
  });

  it('names the first reason that applies', async () => {
    const result = await collectOnce(monitorUrl(pg), activityCollector);
    const snapshot = activitySnapshotOf({
      target: 'test',
      collector: 'activity',
      loop: 'hot',
      time: Date.now(),
      samples: result.samples,
      snapshots: result.snapshots ?? [],
    });
    const governor = loadConfig({ env: {} }).config.defaults.governor;
    const reasons = (allowSuperusers: boolean) =>
      Object.fromEntries(
        (population?.sessions ?? []).map((s) => {
          const session = snapshot?.sessions.find((row) => row.pid === s.pid);
          if (!session) throw new Error(`the collector did not see ${s.label}`);
          return [
            s.label,
            isProtected(session, { ...governor, allow_superuser_termination: allowSuperusers }),
          ];
        }),
      );
    expect(reasons(false)).toEqual({
      'superuser with replication': 'superuser',
      'replication role': 'replication role',
      superuser: 'superuser',
      ordinary: undefined,
    });
    expect(reasons(true)).toEqual({
      'superuser with replication': 'replication role',
      'replication role': 'replication role',
      superuser: undefined,
      ordinary: undefined,
    });
  });
});
