import { LatestObservations } from '../collectors/latest-observations';
import { TargetState, TargetStatus } from '../db/target-monitor';
import { Catalog } from './catalog';
import { latestSamples } from './latest-values';

/** The headline numbers of one target, from what the backend holds now; null: not observed (yet). */
export interface TargetOverview {
  name: string;
  state: TargetState | 'unknown';
  reason?: string;
  since?: string;
  major: number | null;
  version: string | null;
  role: 'primary' | 'standby' | null;
  /** Newest successful collection of any collector (ms since the epoch); monotonic through failures. */
  lastCollectedAt: number | null;
  connections: { used: number | null; usable: number | null; max: number | null; usageRatio: number | null };
  tps: number | null;
  /** The lowest of the databases': the one a DBA would look at. */
  cacheHitRatio: number | null;
  blockedSessions: number | null;
  blockingRootSessions: number | null;
  idleInTransactionSessions: number | null;
  oldestTransactionSeconds: number | null;
  longestQuerySeconds: number | null;
  /** The worst of the replicas' lags (primary) or the standby's own replay lag. */
  replicationLagSeconds: number | null;
  replicationLagBytes: number | null;
  replicasConnected: number | null;
  databaseSizeBytes: number | null;
  xidWraparoundRatio: number | null;
  walBytesPerSecond: number | null;
  tempBytesPerSecond: number | null;
  autovacuumWorkers: { running: number | null; max: number | null };
  settingsPendingRestart: number | null;
  pgbouncer: { up: number | null; clientsWaiting: number | null; maxWaitSeconds: number | null } | null;
}

export interface Overview {
  /** When this was put together (ms since the epoch). */
  time: number;
  version: string;
  targets: TargetOverview[];
}

type Reduce = (values: number[]) => number;
const sum: Reduce = (v) => v.reduce((a, b) => a + b, 0);
const max: Reduce = (v) => Math.max(...v);
const min: Reduce = (v) => Math.min(...v);

export function buildOverview(options: {
  latest: LatestObservations;
  catalog: Catalog;
  targets: TargetStatus[];
  version: string;
  now: number;
}): Overview {
  const { latest, catalog } = options;
  const statuses = new Map(options.targets.map((t) => [t.name, t]));
  const names = [...new Set([...statuses.keys(), ...latest.targets()])];

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
  return { time: options.now, version: options.version, targets };
}
