import { Static, TSchema, Type } from '@sinclair/typebox';
import { OneOf } from './schema-parts';

/** GET /api/v1/overview: the headline numbers of every target in one call. */

/** A number, or null: not observed (yet). */
const Observed = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const ObservedNumber = Observed(Type.Number());

export const TARGET_STATES = ['connecting', 'up', 'down', 'refused', 'unknown'] as const;
export type OverviewTargetState = (typeof TARGET_STATES)[number];

/** The headline numbers of one target, from what the backend holds now. */
export const TargetOverviewSchema = Type.Object({
  name: Type.String(),
  /** unknown: nothing known of it now (not collected by any live replica, or not yet). */
  state: OneOf(TARGET_STATES),
  /** The replica that collects and governs it (its id, as in pgg_replica_info); null: none alive now. */
  owner: Observed(Type.String()),
  reason: Type.Optional(Type.String()),
  /** When the state last changed (ISO 8601). */
  since: Type.Optional(Type.String()),
  major: Observed(Type.Integer()),
  version: Observed(Type.String()),
  role: Observed(OneOf(['primary', 'standby'] as const)),
  /** Newest successful collection of any collector (ms since the epoch); monotonic through failures. */
  lastCollectedAt: ObservedNumber,
  connections: Type.Object({
    used: ObservedNumber,
    usable: ObservedNumber,
    max: ObservedNumber,
    usageRatio: ObservedNumber,
  }),
  tps: ObservedNumber,
  /** The lowest of the databases': the one a DBA would look at. */
  cacheHitRatio: ObservedNumber,
  blockedSessions: ObservedNumber,
  blockingRootSessions: ObservedNumber,
  idleInTransactionSessions: ObservedNumber,
  oldestTransactionSeconds: ObservedNumber,
  longestQuerySeconds: ObservedNumber,
  /** The worst of the replicas' lags (primary) or the standby's own replay lag. */
  replicationLagSeconds: ObservedNumber,
  replicationLagBytes: ObservedNumber,
  replicasConnected: ObservedNumber,
  databaseSizeBytes: ObservedNumber,
  xidWraparoundRatio: ObservedNumber,
  walBytesPerSecond: ObservedNumber,
  tempBytesPerSecond: ObservedNumber,
  autovacuumWorkers: Type.Object({ running: ObservedNumber, max: ObservedNumber }),
  settingsPendingRestart: ObservedNumber,
  pgbouncer: Observed(
    Type.Object({ up: ObservedNumber, clientsWaiting: ObservedNumber, maxWaitSeconds: ObservedNumber }),
  ),
});
export type TargetOverview = Static<typeof TargetOverviewSchema>;

/** A backend replica alive on the shared store. */
export const ReplicaOverviewSchema = Type.Object({
  id: Type.String(),
  host: Type.String(),
  /** Targets it collects and governs. */
  targets: Type.Integer(),
  /** ms since the epoch, on the store's clock. */
  startedAt: Type.Number(),
  heartbeatAt: Type.Number(),
});
export type ReplicaOverview = Static<typeof ReplicaOverviewSchema>;

export const OverviewSchema = Type.Object({
  /** When this was put together (ms since the epoch). */
  time: Type.Number(),
  /** The backend's version. */
  version: Type.String(),
  /** The replica that answered. */
  replica: Type.String(),
  /**
   * fleet: every target, each as its owner last reported it to the store; replica: this
   * replica's targets only (the store did not answer).
   */
  scope: OneOf(['fleet', 'replica'] as const),
  /** The replicas sharing the store, as this replica's last heartbeat saw them. */
  replicas: Type.Array(ReplicaOverviewSchema),
  targets: Type.Array(TargetOverviewSchema),
});
export type Overview = Static<typeof OverviewSchema>;
