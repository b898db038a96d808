import { LatestObservations } from '../collectors/latest-observations';
import { Overview, ReplicaOverview, TargetOverview } from '../contract/overview';
import { SharedTargetStatus } from '../store/target-status';
import { TargetStatus } from '../db/target-monitor';
import { Catalog } from '../catalog/catalog';
import { latestSamples } from './latest-values';

type Reduce = (values: number[]) => number;
const sum: Reduce = (v) => v.reduce((a, b) => a + b, 0);
const max: Reduce = (v) => Math.max(...v);
const min: Reduce = (v) => Math.min(...v);

/** Who collects what across the replicas, as this replica's last heartbeat saw it. */
export interface FleetView {
  /** The replica answering. */
  replica: string;
  replicas: ReplicaOverview[];
  /** target -> its live owner. */
  owners: ReadonlyMap<string, string>;
  /** Every target this replica is configured with. */
  inventory: readonly string[];
}

/** One replica in the overview when there is no fleet (tests, tools). */
const ALONE: FleetView = { replica: 'this replica', replicas: [], owners: new Map(), inventory: [] };

/**
 * The headline numbers of every target: those this replica collects from what it holds now, the
 * others as their owners last published them (shared, from the store: then scope is fleet), or
 * unknown when nobody did recently. Without shared rows (the store did not answer) it says so:
 * scope replica.
 */
export function buildOverview(options: {
  latest: LatestObservations;
  catalog: Catalog;
  targets: TargetStatus[];
  version: string;
  now: number;
  fleet?: FleetView;
  shared?: SharedTargetStatus<TargetOverview>[];
}): Overview {
  const fleet = options.fleet ?? ALONE;
  const local = localOverviews(options, options.fleet ? fleet.replica : null);
  const shared = new Map((options.shared ?? []).map((row) => [row.target, row]));
  const names = [...new Set([...local.keys(), ...fleet.inventory, ...shared.keys()])].sort();
  const targets = names.map((name): TargetOverview => {
    const mine = local.get(name);
    if (mine) return mine;
    const row = shared.get(name);
    // The owner as the last heartbeat saw it: a row may still be the previous owner's.
    if (row) return { ...row.status, name, owner: fleet.owners.get(name) ?? row.owner };
    return { ...unknownTarget(name), owner: fleet.owners.get(name) ?? null };
  });
  return {
    time: options.now,
    version: options.version,
    replica: fleet.replica,
    scope: options.shared ? 'fleet' : 'replica',
    replicas: fleet.replicas,
    targets,
  };
}

/** A target nothing is known of now. */
function unknownTarget(name: string): TargetOverview {
  const [overview] = localOverviews(
    { latest: new LatestObservations(), catalog: EMPTY_CATALOG, targets: [] },
    null,
    [name],
  ).values();
  return overview as TargetOverview;
}

const EMPTY_CATALOG = new Catalog([]);

/** The targets this replica holds observations or a status of, from what it holds now. */
export function localOverviews(
  options: { latest: LatestObservations; catalog: Catalog; targets: TargetStatus[] },
  owner: string | null,
  only?: readonly string[],
): Map<string, TargetOverview> {
  const { latest, catalog } = options;
  const statuses = new Map(options.targets.map((t) => [t.name, t]));
  const names = only ?? [...new Set([...statuses.keys(), ...latest.targets()])];

  const targets = names.map((name): TargetOverview => {
    const values = (metrics: string[]) =>
      metrics
        .flatMap((m) => latestSamples(latest, catalog, name, m).map((s) => s.value))
        .filter(Number.isFinite);
    const of = (reduce: Reduce, ...metrics: string[]): number | null => {
      const v = values(metrics);
      return v.length > 0 ? reduce(v) : null;
    };
    const status = statuses.get(name);
    const server = status?.server;
    const standby = of(max, 'pg_replication_is_standby');
    const pgbouncerUp = of(max, 'pgbouncer_up');
    return {
      name,
      state: status?.state ?? 'unknown',
      owner,
      ...(status?.reason ? { reason: status.reason } : {}),
      ...(status ? { since: status.since } : {}),
      major: server?.major ?? null,
      version: server?.version ?? null,
      role: server
        ? server.inRecovery
          ? 'standby'
          : 'primary'
        : standby === null
          ? null
          : standby > 0
            ? 'standby'
            : 'primary',
      lastCollectedAt: latest.lastCollectedAt(name) ?? null,
      connections: {
        used: of(sum, 'pg_connections_used'),
        usable: of(sum, 'pg_connections_usable_max'),
        max: of(sum, 'pg_max_connections'),
        usageRatio: of(max, 'pg_connection_usage_ratio'),
      },
      tps: of(sum, 'pg_tps'),
      cacheHitRatio: of(min, 'pg_cache_hit_ratio'),
      blockedSessions: of(sum, 'pg_blocked_sessions'),
      blockingRootSessions: of(sum, 'pg_blocking_root_sessions'),
      idleInTransactionSessions: of(sum, 'pg_idle_in_transaction_sessions'),
      oldestTransactionSeconds: of(max, 'pg_oldest_transaction_seconds'),
      longestQuerySeconds: of(max, 'pg_longest_query_seconds'),
      replicationLagSeconds: of(max, 'pg_replication_lag_seconds', 'pg_standby_replay_lag_seconds'),
      replicationLagBytes: of(max, 'pg_replication_lag_bytes', 'pg_standby_receive_replay_lag_bytes'),
      replicasConnected: of(sum, 'pg_replicas_connected'),
      databaseSizeBytes: of(sum, 'pg_database_size_bytes'),
      xidWraparoundRatio: of(max, 'pg_database_xid_wraparound_ratio'),
      walBytesPerSecond: of(sum, 'pg_wal_bytes_per_second'),
      tempBytesPerSecond: of(sum, 'pg_temp_bytes_per_second'),
      autovacuumWorkers: {
        running: of(sum, 'pg_autovacuum_workers_running'),
        max: of(sum, 'pg_autovacuum_max_workers'),
      },
      settingsPendingRestart: of(sum, 'pg_settings_pending_restart'),
      pgbouncer:
        pgbouncerUp === null
          ? null
          : {
              up: pgbouncerUp,
              clientsWaiting: of(sum, 'pgbouncer_clients_waiting'),
              maxWaitSeconds: of(max, 'pgbouncer_max_wait_seconds'),
            },
    };
  });
  return new Map(targets.map((t) => [t.name, t]));
}
