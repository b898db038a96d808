import { ALL_COLLECTORS } from '../collectors';
import { LatestObservations } from '../collectors/latest-observations';
import { Sample } from '../collectors/types';
import { TargetStatus } from '../db/target-monitor';
import { Catalog } from '../catalog/catalog';
import { TargetOverview } from '../contract/overview';
import { buildOverview } from './overview';

const catalog = new Catalog(ALL_COLLECTORS);

function observe(
  latest: LatestObservations,
  target: string,
  collector: string,
  time: number,
  samples: Sample[],
) {
  latest.record({ target, collector, loop: 'hot', time, samples, snapshots: [] });
}

describe('buildOverview', () => {
  it('sums, maxes and mins the latest samples per target', () => {
    const latest = new LatestObservations();
    observe(latest, 'primary', 'activity', 1000, [
      { metric: 'pg_connections_used', labels: {}, value: 12 },
      { metric: 'pg_connections_usable_max', labels: {}, value: 97 },
      { metric: 'pg_connection_usage_ratio', labels: {}, value: 12 / 97 },
      { metric: 'pg_oldest_transaction_seconds', labels: { datname: 'a' }, value: 5 },
      { metric: 'pg_oldest_transaction_seconds', labels: { datname: 'b' }, value: 50 },
      { metric: 'pg_blocked_sessions', labels: {}, value: 2 },
    ]);
    observe(latest, 'primary', 'database_stats', 2000, [
      { metric: 'pg_tps', labels: { datname: 'a' }, value: 10 },
      { metric: 'pg_tps', labels: { datname: 'b' }, value: 5 },
      { metric: 'pg_cache_hit_ratio', labels: { datname: 'a' }, value: 0.99 },
      { metric: 'pg_cache_hit_ratio', labels: { datname: 'b' }, value: 0.8 },
    ]);
    observe(latest, 'primary', 'replication', 2000, [
      { metric: 'pg_replication_lag_seconds', labels: { replica: 'r1', kind: 'replay' }, value: 3 },
      { metric: 'pg_replication_lag_seconds', labels: { replica: 'r2', kind: 'replay' }, value: 9 },
    ]);
    const status: TargetStatus = {
      name: 'primary',
      state: 'up',
      since: '2025-01-01T00:00:00.000Z',
      consecutiveFailures: 0,
    };
    const overview = buildOverview({ latest, catalog, targets: [status], version: '1.0', now: 5000 });
    expect(overview).toMatchObject({ time: 5000, version: '1.0' });
    expect(overview.targets[0]).toMatchObject({
      name: 'primary',
      state: 'up',
      lastCollectedAt: 2000,
      connections: { used: 12, usable: 97, max: null },
      tps: 15,
      cacheHitRatio: 0.8,
      oldestTransactionSeconds: 50,
      blockedSessions: 2,
      replicationLagSeconds: 9,
      pgbouncer: null,
      major: null,
    });
  });

  it('lists configured targets never observed, and knows a standby by its samples', () => {
    const latest = new LatestObservations();
    observe(latest, 'replica', 'replication_standby', 1000, [
      { metric: 'pg_replication_is_standby', labels: {}, value: 1 },
      { metric: 'pg_standby_replay_lag_seconds', labels: {}, value: 4 },
    ]);
    const down: TargetStatus = {
      name: 'down',
      state: 'down',
      reason: 'refused',
      since: 'x',
      consecutiveFailures: 3,
    };
    const { targets } = buildOverview({ latest, catalog, targets: [down], version: 'v', now: 0 });
    expect(targets.map((t) => [t.name, t.state, t.role])).toEqual([
      ['down', 'down', null],
      ['replica', 'unknown', 'standby'],
    ]);
    expect(targets[0]).toMatchObject({ reason: 'refused', tps: null, lastCollectedAt: null });
    expect(targets[1]?.replicationLagSeconds).toBe(4);
  });
  it('answers for the fleet: its own targets live, the others as their owners published them', () => {
    const latest = new LatestObservations();
    observe(latest, 'mine', 'activity', 1000, [{ metric: 'pg_connections_used', labels: {}, value: 3 }]);
    const mine: TargetStatus = { name: 'mine', state: 'up', since: 'x', consecutiveFailures: 0 };
    const published = buildOverview({
      latest,
      catalog,
      targets: [{ ...mine, name: 'other' }],
      version: 'v',
      now: 0,
    }).targets.find((t) => t.name === 'other') as TargetOverview;
    const fleet = {
      replica: 'r1',
      replicas: [],
      owners: new Map([
        ['mine', 'r1'],
        ['other', 'r2'],
        ['orphan', 'r3'],
      ]),
      inventory: ['mine', 'other', 'orphan', 'never'],
    };
    const shared = [{ target: 'other', owner: 'r2', updatedAt: 0, status: { ...published, name: 'other' } }];
    const fleetView = buildOverview({
      latest,
      catalog,
      targets: [mine],
      version: 'v',
      now: 0,
      fleet,
      shared,
    });
    expect(fleetView).toMatchObject({ replica: 'r1', scope: 'fleet' });
    expect(fleetView.targets.map((t) => [t.name, t.owner, t.state])).toEqual([
      ['mine', 'r1', 'up'],
      ['never', null, 'unknown'],
      ['orphan', 'r3', 'unknown'],
      ['other', 'r2', 'up'],
    ]);
    // Without the store's rows: this replica's view, said so.
    expect(buildOverview({ latest, catalog, targets: [mine], version: 'v', now: 0, fleet }).scope).toBe(
      'replica',
    );
  });
});
