import { performance } from 'node:perf_hooks';
import { Pool, PoolClient } from 'pg';
import { Logger } from 'pino';
import { Registry } from 'prom-client';
import { isConnectionLost, sqlState } from '../db/pg-errors';
import { inTransaction } from '../sql/transaction';
import { createOwnershipMetrics, OwnershipMetrics } from './ownership-metrics';
import { LiveReplica, planOwnership, TargetOwner } from './ownership-plan';
import { storeQuery } from './store-query';

export interface OwnershipSettings {
  /** This replica's id: hostname:pid:random (the governor journals under the same). */
  instance: string;
  host: string;
  heartbeatMs: number;
  leaseMs: number;
  /** The store is this process's alone (embedded): whatever another instance left there is dead. */
  exclusive: boolean;
  /**
   * How long a replica that has just started claims nothing, so that replicas started together see
   * each other first (ignored on an exclusive store: no other replica can come).
   */
  joinWindowMs: number;
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
  /** Left of this replica's join window (ms, store clock): it claims nothing before. */
  joinLeftMs: number;
  /**
   * Monotonic ms when the soonest lease of another replica that owns targets ends, if it has not
   * renewed by then (the store's time left, counted from when this replica read it: never early).
   */
  othersExpireAt: number | undefined;
}

interface LiveRow {
  instance: string;
  host: string;
  targets: string[];
  started_at_ms: number;
  heartbeat_at_ms: number;
  claiming: boolean;
  expires_in_ms: number;
}

/** How soon after another replica's lease ends the heartbeat that takes its targets comes. */
const AFTER_EXPIRY_MS = 50;
/** The least time between two heartbeats brought forward that way (clocks that drift apart). */
const MIN_EARLY_MS = 100;

/**
 * This replica's share of the targets, held in the shared store. Every heartbeat: renew the
 * replica's lease (one statement on its own row, store clock), release what it stopped, look at
 * the live replicas and the owners, claim the free targets whose rendezvous winner it is
 * (ownership-plan.ts), take those of replicas whose lease ran out, hand over what is another live
 * replica's share. No statement waits on another replica's heartbeat: a claim of a free target is
 * an insert that only one replica wins; a take from a replica whose lease ran out marks that
 * replica lapsed in the same transaction (its row lock orders the take and that replica's renewal,
 * which fails from then on: it joins again and reads what it still owns).
 *
 * Never two collectors: the lease is known valid only until the renewal's send time plus the
 * lease less a margin (a monotonic clock; the store's expiry is computed later than that send,
 * on its own clock, so it is later still); a replica whose renewals fail is told through
 * leaseValid() before any other can take its targets, and one whose clock is off changes nothing.
 * A renewal that comes late but within that time loses nothing. A replica that dies loses its
 * targets when its lease ends: the others' heartbeats come then, since each reads when the
 * others' leases end; one that stops calls leave() after stopping them, and the others take them
 * on their next heartbeat. A replica that starts claims nothing during its join window.
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
  /** Monotonic ms the next heartbeat is due (how late its timer fires says how busy the process is). */
  private dueAt = 0;
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

  /** After a failed heartbeat, the next try comes this soon: a lease lasts only a few heartbeats. */
  private get retryMs(): number {
    return Math.max(100, this.settings.heartbeatMs / 4);
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

  /** Whether this replica owns the target, as of its last heartbeat (see leaseValid()). */
  owns(target: string): boolean {
    return this.owned.has(target);
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

  /**
   * The first heartbeat: this replica joins the store (and claims its share at once when the store
   * is its alone), then one every heartbeat_ms; its share comes at the end of its join window.
   */
  async start(inventory: Iterable<string>): Promise<void> {
    this.inventory = new Set(inventory);
    this.dueAt = this.clock();
    await this.heartbeat();
  }

  /** A heartbeat as soon as possible (after the one under way). */
  requestHeartbeat(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.dueAt = this.clock() + delayMs;
    this.timer = setTimeout(() => void this.heartbeat(), delayMs);
    this.timer.unref();
  }

  private heartbeat(): Promise<void> {
    this.running ??= this.round().then((nextInMs) => {
      this.running = undefined;
      if (this.stopped) return;
      this.schedule(this.again ? 0 : nextInMs);
      this.again = false;
    });
    return this.running;
  }

  /** One heartbeat; resolves with when the next one is due (ms from now). */
  private async round(): Promise<number> {
    const sentAt = this.clock();
    const lateMs = Math.max(0, sentAt - this.dueAt);
    if (lateMs >= this.settings.heartbeatMs)
      this.log.warn(
        { lateMs: Math.round(lateMs) },
        'target ownership: heartbeat late (the process was busy); the lease still counts from each renewal',
      );
    const toRelease = [...this.releasable];
    let round: Round;
    try {
      round = await this.withConnection((client) => this.beat(client, sentAt, toRelease));
    } catch (error) {
      this.failed(error as Error, sentAt, lateMs);
      return this.retryMs;
    }
    this.metrics?.cycles.inc({ result: 'ok' });
    this.renewed(sentAt);
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
    this.changeOwned(round);
    let next = Math.max(0, sentAt + this.settings.heartbeatMs - this.clock());
    // The end of the join window is acted on at once (a lone replica starts collecting then).
    if (round.joinLeftMs > 0) next = Math.min(next, round.joinLeftMs + 50);
    // So is the end of another replica's lease, if it does not renew before (one killed): its
    // targets are taken then rather than up to a heartbeat later. Its lease is counted by the
    // store's clock, so a replica whose own clock is off comes no earlier; and the store still
    // decides who is live, so a heartbeat that comes early takes nothing.
    if (round.othersExpireAt !== undefined)
      next = Math.min(next, Math.max(MIN_EARLY_MS, round.othersExpireAt + AFTER_EXPIRY_MS - this.clock()));
    return next;
  }

  private renewed(sentAt: number): void {
    this.expiresNotBefore = Math.max(this.expiresNotBefore, sentAt + this.settings.leaseMs);
    this.validUntil = this.expiresNotBefore - this.marginMs;
  }

  private changeOwned(round: Round): void {
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

  private failed(error: Error, sentAt: number, lateMs: number): void {
    this.metrics?.cycles.inc({ result: 'error' });
    if (this.failing !== error.message)
      this.log.warn(
        {
          err: error.message,
          leaseValid: this.leaseValid(),
          tookMs: Math.round(this.clock() - sentAt),
          lateMs: Math.round(lateMs),
        },
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

  /**
   * The ownership's one connection for `work`. A statement the store cancelled (a timeout) leaves
   * the connection usable: it is kept, since connecting again costs most on a store already slow.
   */
  private async withConnection<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      return await work(client);
    } catch (error) {
      if (sqlState(error) === undefined || isConnectionLost(error)) broken = error as Error;
      throw error;
    } finally {
      client.release(broken);
    }
  }

  private async beat(client: PoolClient, sentAt: number, toRelease: string[]): Promise<Round> {
    const { instance, host, leaseMs, exclusive } = this.settings;
    const inventory = [...this.inventory].sort();
    const renewal = await client.query<{ join_left_ms: number }>(storeQuery('replica-renew'), [
      instance,
      leaseMs,
      inventory,
    ]);
    let joinLeftMs = renewal.rows[0]?.join_left_ms;
    if (joinLeftMs !== undefined) {
      // Nobody can take this replica's targets before the new expiry: what it owns holds, even if
      // the rest of this heartbeat fails.
      this.renewed(sentAt);
    } else {
      // First start, or the lease ran out and another replica took some of its targets: join (again),
      // then read what it still owns.
      if (this.first) {
        if (exclusive) await client.query(storeQuery('replicas-exclusive'), [instance]);
        await client.query(storeQuery('replicas-forget-dead'));
      } else
        this.log.warn(
          { owned: this.owned.size },
          "target ownership: this replica's lease ran out and other replicas took some of its targets; joining again",
        );
      const window = this.first && !exclusive ? this.settings.joinWindowMs : 0;
      const joined = await client.query<{ join_left_ms: number }>(storeQuery('replica-join'), [
        instance,
        host,
        leaseMs,
        inventory,
        window,
      ]);
      joinLeftMs = joined.rows[0]?.join_left_ms ?? 0;
    }
    if (toRelease.length > 0) await client.query(storeQuery('release-targets'), [instance, toRelease]);
    const live = (await client.query<LiveRow>(storeQuery('live-replicas'))).rows;
    const liveReadAt = this.clock();
    const rows = (
      await client.query<{ target: string; owner: string; live: boolean }>(storeQuery('target-owners'))
    ).rows;
    const owners = new Map<string, TargetOwner>(
      rows.map((r) => [r.target, { owner: r.owner, live: r.live }]),
    );
    for (const target of toRelease) owners.delete(target);
    const plan = planOwnership({
      me: instance,
      inventory: this.inventory,
      live: live.map((r): LiveReplica => ({
        instance: r.instance,
        targets: r.targets,
        claiming: r.claiming,
      })),
      owners,
      leaving: new Set([...this.leaving].filter((t) => !toRelease.includes(t))),
    });
    const claimed = await this.claim(client, plan.claim, owners);
    const owned = new Set([...plan.owned].filter((t) => !plan.claim.includes(t) || claimed.has(t)));

    const liveOwners = new Map(rows.filter((r) => r.live).map((r) => [r.target, r.owner]));
    for (const target of toRelease) liveOwners.delete(target);
    for (const target of claimed) liveOwners.set(target, instance);
    const counts = new Map<string, number>();
    for (const owner of liveOwners.values()) counts.set(owner, (counts.get(owner) ?? 0) + 1);
    const othersLeft = live
      .filter((r) => r.instance !== instance && (counts.get(r.instance) ?? 0) > 0)
      .map((r) => Number(r.expires_in_ms));
    return {
      owned,
      handOver: plan.handOver,
      released: toRelease,
      owners: liveOwners,
      joinLeftMs,
      othersExpireAt: othersLeft.length > 0 ? liveReadAt + Math.min(...othersLeft) : undefined,
      replicas: live.map((r) => ({
        instance: r.instance,
        host: r.host,
        startedAt: Number(r.started_at_ms),
        heartbeatAt: Number(r.heartbeat_at_ms),
        targets: counts.get(r.instance) ?? 0,
      })),
    };
  }

  /**
   * Claims the targets of the plan: those without an owner by an insert that one replica wins, those
   * of owners whose lease ran out by marking the owners lapsed and taking what they still own, in
   * one transaction. Returns what this replica got.
   */
  private async claim(
    client: PoolClient,
    targets: string[],
    owners: ReadonlyMap<string, TargetOwner>,
  ): Promise<Set<string>> {
    const { instance } = this.settings;
    const claimed = new Set<string>();
    const free = targets.filter((t) => !owners.has(t));
    if (free.length > 0) {
      const { rows } = await client.query<{ target: string }>(storeQuery('claim-free-targets'), [
        instance,
        free,
      ]);
      for (const r of rows) claimed.add(r.target);
    }
    const fromDead = targets.filter((t) => owners.has(t));
    if (fromDead.length > 0) {
      const dead = [...new Set(fromDead.map((t) => owners.get(t)?.owner as string))];
      await inTransaction(client, async () => {
        const lapsed = (await client.query<{ instance: string }>(storeQuery('replicas-lapse'), [dead])).rows;
        if (lapsed.length === 0) return;
        const { rows } = await client.query<{ target: string }>(storeQuery('take-targets'), [
          instance,
          fromDead,
          lapsed.map((r) => r.instance),
        ]);
        for (const r of rows) claimed.add(r.target);
      });
    }
    return claimed;
  }

  /** No more heartbeats (so no more claims), e.g. while this replica stops its targets to leave. */
  async pause(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /**
   * A clean stop: no more heartbeats, this replica owns nothing from now on (its targets' fences
   * stop collecting and publishing at once), then its targets and its row leave the store, for the
   * others to take on their next heartbeat. If the store does not answer, the lease simply runs out.
   * Closes the connection.
   */
  async leave(): Promise<void> {
    await this.pause();
    const released = this.owned.size;
    this.owned = new Set();
    try {
      await this.withConnection((client) =>
        client.query(storeQuery('replica-leave'), [this.settings.instance]),
      );
      this.log.info({ released }, 'target ownership: left the store; targets released');
    } catch (error) {
      this.log.warn(
        { err: (error as Error).message },
        'target ownership: could not release the targets; they are taken over when the lease ends',
      );
    }
    this.validUntil = -Infinity;
    this.expiresNotBefore = -Infinity;
    await this.pool.end().catch(() => undefined);
  }
}
