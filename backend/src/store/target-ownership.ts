import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import { Logger } from 'pino';
import { Registry } from 'prom-client';
import { inTransaction } from '../sql/transaction';
import { createOwnershipMetrics, OwnershipMetrics } from './ownership-metrics';
import { LiveReplica, planOwnership, TargetOwner } from './ownership-plan';
import { storeQuery } from './store-query';
import { withClient } from './transaction';

/** The ownership transactions' lock: 'PGG_OWNR' as a bigint (text: pg reads it as bigint). */
export const OWNERSHIP_LOCK_KEY = '5784670721059278418';

export interface OwnershipSettings {
  /** This replica's id: hostname:pid:random (the governor journals under the same). */
  instance: string;
  host: string;
  heartbeatMs: number;
  leaseMs: number;
  /** The store is this process's alone (embedded): whatever another instance left there is dead. */
  exclusive: boolean;
}

/** A live replica as the last heartbeat saw it. */
export interface ReplicaSeen {
  instance: string;
  host: string;
  startedAt: number;
  heartbeatAt: number;
  targets: number;
}

export interface OwnershipStatus {
  instance: string;
  leaseValid: boolean;
  /** Live owners of targets (target -> replica), as of the last heartbeat. */
  owners: ReadonlyMap<string, string>;
  replicas: ReplicaSeen[];
}

/**
 * Told what this replica owns after a heartbeat changed it; resolves once the targets it no longer
 * owns are stopped here (their ownership is released in the store only then).
 */
export type OwnedListener = (owned: ReadonlySet<string>) => Promise<void>;

interface Round {
  owned: Set<string>;
  handOver: string[];
  released: string[];
  owners: Map<string, string>;
  replicas: ReplicaSeen[];
}

/**
 * This replica's share of the targets, held in the shared store. Every heartbeat, in one
 * transaction under the ownership lock: renew the replica's lease (store clock), release what
 * it stopped, look at the live replicas and the owners, claim the free targets whose rendezvous
 * winner it is (ownership-plan.ts), hand over what is another live replica's share.
 *
 * Never two collectors: the lease is known valid only until the renewal's send time plus the
 * lease less a margin (a monotonic clock; the store's expiry is computed later than that send,
 * on its own clock, so it is later still); a replica whose renewals fail is told through
 * leaseValid() before any other can take its targets, and one whose clock is off changes nothing.
 * A replica that dies loses its targets when its lease ends; one that stops calls leave() after
 * stopping them, and the others take them on their next heartbeat.
 */
export class TargetOwnership {
  private inventory = new Set<string>();
  private owned = new Set<string>();
  private readonly leaving = new Set<string>();
  private readonly releasable = new Set<string>();
  private owners = new Map<string, string>();
  private replicas: ReplicaSeen[] = [];
  /** Monotonic ms: the lease holds before this (margin taken). */
  private validUntil = -Infinity;
  /** Monotonic ms: the store cannot see the lease expired before this. */
  private expiresNotBefore = -Infinity;
  private listener: OwnedListener = () => Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private first = true;
  private failing: string | undefined;
  private lapseLogged = false;
  private readonly metrics: OwnershipMetrics | undefined;
  private readonly log: Logger;

  constructor(
    private readonly pool: Pool,
    private readonly settings: OwnershipSettings,
    log: Logger,
    registry?: Registry,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.log = log.child({ component: 'ownership', replica: settings.instance });
    this.metrics =
      registry &&
      createOwnershipMetrics(registry, {
        instance: settings.instance,
        inventory: () => this.inventory,
        owned: () => this.owned,
        leaseValid: () => this.leaseValid(),
        liveReplicas: () => this.replicas.length,
      });
  }

  get instance(): string {
    return this.settings.instance;
  }

  /** The margin kept before the lease's end: a heartbeat, at most a third of the lease. */
  private get marginMs(): number {
    return Math.min(this.settings.heartbeatMs, this.settings.leaseMs / 3);
  }

  onChange(listener: OwnedListener): void {
    this.listener = listener;
  }

  /** What this replica is configured to watch; a change is acted on at once. */
  setInventory(targets: Iterable<string>): void {
    this.inventory = new Set(targets);
    this.requestHeartbeat();
  }

  ownedTargets(): ReadonlySet<string> {
    return this.owned;
  }

  /** Whether the lease is known to hold now, margin taken: renewed, or not yet past its end. */
  leaseValid(): boolean {
    return this.clock() < this.validUntil;
  }

  /** Whether no other replica can have taken this replica's targets yet (the lease's end, no margin). */
  withinLease(): boolean {
    return this.clock() < this.expiresNotBefore;
  }

  status(): OwnershipStatus {
    return {
      instance: this.settings.instance,
      leaseValid: this.leaseValid(),
      owners: this.owners,
      replicas: this.replicas,
    };
  }

  /** The first heartbeat (this replica's share claimed, if the store answers), then one every heartbeat_ms. */
  async start(inventory: Iterable<string>): Promise<void> {
    this.inventory = new Set(inventory);
    await this.heartbeat();
  }

  /** A heartbeat as soon as possible (after the one under way). */
  requestHeartbeat(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.heartbeat(), 0);
    this.timer.unref();
  }

  private heartbeat(): Promise<void> {
    this.running ??= this.round().finally(() => {
      this.running = undefined;
      if (this.stopped) return;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.heartbeat(), this.again ? 0 : this.settings.heartbeatMs);
      this.timer.unref();
      this.again = false;
    });
    return this.running;
  }

  private async round(): Promise<void> {
    const sentAt = this.clock();
    const toRelease = [...this.releasable];
    let round: Round;
    try {
      round = await this.transaction(toRelease);
    } catch (error) {
      this.failed(error as Error);
      return;
    }
    this.metrics?.cycles.inc({ result: 'ok' });
    this.expiresNotBefore = sentAt + this.settings.leaseMs;
    this.validUntil = this.expiresNotBefore - this.marginMs;
    if (this.failing !== undefined || this.lapseLogged)
      this.log.info({ owned: round.owned.size }, 'target ownership: the store answers again; lease renewed');
    this.failing = undefined;
    this.lapseLogged = false;
    this.first = false;
    for (const target of round.released) {
      this.releasable.delete(target);
      this.leaving.delete(target);
    }
    this.owners = round.owners;
    this.replicas = round.replicas;
    for (const target of round.handOver) this.leaving.add(target);
    const changed = round.owned.size !== this.owned.size || [...round.owned].some((t) => !this.owned.has(t));
    if (!changed) return;
    const gained = [...round.owned].filter((t) => !this.owned.has(t));
    const lost = [...this.owned].filter((t) => !round.owned.has(t));
    this.log.info(
      { owned: round.owned.size, gained, lost, handOver: round.handOver, replicas: round.replicas.length },
      'target ownership changed',
    );
    this.owned = round.owned;
    const leaving = [...this.leaving];
    this.listener(this.owned).then(
      () => {
        for (const target of leaving) if (this.leaving.has(target)) this.releasable.add(target);
        if (leaving.length > 0) this.requestHeartbeat();
      },
      (error: unknown) => this.log.error({ err: error }, 'target ownership: stopping targets failed'),
    );
  }

  private failed(error: Error): void {
    this.metrics?.cycles.inc({ result: 'error' });
    if (this.failing !== error.message)
      this.log.warn(
        { err: error.message, leaseValid: this.leaseValid() },
        'target ownership: heartbeat failed; retrying',
      );
    this.failing = error.message;
    if (!this.leaseValid() && !this.lapseLogged && this.owned.size > 0) {
      this.lapseLogged = true;
      this.log.error(
        { owned: this.owned.size },
        "target ownership: the lease could not be renewed in time; this replica's targets go on only where it still holds their lock on the target",
      );
    }
  }

  private transaction(toRelease: string[]): Promise<Round> {
    const { instance, host, leaseMs, exclusive } = this.settings;
    const inventory = [...this.inventory].sort();
    return withClient(this.pool, (client) =>
      inTransaction(client, async () => {
        await client.query(storeQuery('ownership-lock'), [OWNERSHIP_LOCK_KEY]);
        if (this.first) {
          if (exclusive) await client.query(storeQuery('replicas-exclusive'), [instance]);
          await client.query(storeQuery('replicas-forget-dead'));
        }
        await client.query(storeQuery('replica-heartbeat'), [instance, host, leaseMs, inventory]);
        if (toRelease.length > 0) await client.query(storeQuery('release-targets'), [instance, toRelease]);
        const live = (
          await client.query<{
            instance: string;
            host: string;
            targets: string[];
            started_at_ms: number;
            heartbeat_at_ms: number;
          }>(storeQuery('live-replicas'))
        ).rows;
        const rows = (
          await client.query<{ target: string; owner: string; live: boolean }>(storeQuery('target-owners'))
        ).rows;
        const owners = new Map<string, TargetOwner>(
          rows.map((r) => [r.target, { owner: r.owner, live: r.live }]),
        );
        const plan = planOwnership({
          me: instance,
          inventory: this.inventory,
          live: live.map((r): LiveReplica => ({ instance: r.instance, targets: r.targets })),
          owners,
          leaving: new Set([...this.leaving].filter((t) => !toRelease.includes(t))),
        });
        if (plan.claim.length > 0) await client.query(storeQuery('claim-targets'), [instance, plan.claim]);
        const liveOwners = new Map(rows.filter((r) => r.live).map((r) => [r.target, r.owner]));
        for (const target of toRelease) liveOwners.delete(target);
        for (const target of plan.claim) liveOwners.set(target, instance);
        const counts = new Map<string, number>();
        for (const owner of liveOwners.values()) counts.set(owner, (counts.get(owner) ?? 0) + 1);
        return {
          owned: plan.owned,
          handOver: plan.handOver,
          released: toRelease,
          owners: liveOwners,
          replicas: live.map((r) => ({
            instance: r.instance,
            host: r.host,
            startedAt: Number(r.started_at_ms),
            heartbeatAt: Number(r.heartbeat_at_ms),
            targets: counts.get(r.instance) ?? 0,
          })),
        };
      }),
    );
  }

  /** No more heartbeats (so no more claims), e.g. while this replica stops its targets to leave. */
  async pause(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /**
   * A clean stop, once this replica's targets are stopped: its targets and its row leave the store
   * at once, for the others to take on their next heartbeat. If the store does not answer, the
   * lease simply runs out. Closes the connection.
   */
  async leave(): Promise<void> {
    await this.pause();
    try {
      await withClient(this.pool, (client) =>
        inTransaction(client, async () => {
          await client.query(storeQuery('ownership-lock'), [OWNERSHIP_LOCK_KEY]);
          await client.query(storeQuery('replica-leave'), [this.settings.instance]);
        }),
      );
      this.log.info({ released: this.owned.size }, 'target ownership: left the store; targets released');
    } catch (error) {
      this.log.warn(
        { err: (error as Error).message },
        'target ownership: could not release the targets; they are taken over when the lease ends',
      );
    }
    this.owned = new Set();
    this.validUntil = -Infinity;
    this.expiresNotBefore = -Infinity;
    await this.pool.end().catch(() => undefined);
  }
}
