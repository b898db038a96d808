import { Logger } from 'pino';
import { Registry } from 'prom-client';
import { Observation } from '../collectors/types';
import { GovernorMode, TargetConfig } from '../config/schema';
import { PoolSignalExecutor, SignalExecutor } from './executor';
import { createGovernorMetrics } from './governor-metrics';
import { EventSink } from './journal';
import { instanceName } from '../lib/instance-name';
import { GovernorLease, TargetLease } from './lease';
import { OwnSnapshot } from './own-snapshot';
import { OwnSnapshotFallback } from './own-snapshot-fallback';
import { activitySnapshotOf } from './snapshot';
import {
  CycleReport,
  LoopCadence,
  ModeChange,
  TargetGovernor,
  TargetGovernorStatus,
} from './target-governor';

export interface GovernorOptions {
  targets: TargetConfig[];
  /** The history store's writer (HistoryWriter): the journal. */
  events: EventSink;
  registry: Registry;
  log: Logger;
  /** The own snapshot's query text (config query_text): as the hot loop presents it. */
  queryText?: { maxLength: number; redact: boolean };
  /** A target's hot loop (Collection.runner(target, 'hot')), whose cadence the governor raises under pressure. */
  cadence?: (target: string) => LoopCadence | undefined;
  /** This replica's id in the journal (the store's ownership of targets uses the same); default a new one. */
  instance?: string;
  /**
   * Whether a target's lease may be taken when free (default always): not while this replica
   * cannot renew its ownership of the target in the store.
   */
  mayTakeLease?: (target: string) => boolean;
  /** Tests: another lease (then no fence on the signals), another executor (then no own snapshot), another clock. */
  lease?: GovernorLease;
  executor?: (target: TargetConfig) => SignalExecutor;
  now?: () => number;
}

/**
 * The governor of every target: consumes the hot loop's activity observations from the bus and
 * hands each to its target's governor. Targets are independent: each decides and acts on its own
 * promise, with timeouts on every statement, so a slow or failing target never holds up another.
 */
export class Governor {
  private readonly byTarget = new Map<string, TargetGovernor>();
  private readonly fallbacks = new Map<string, OwnSnapshotFallback>();
  private readonly leases = new Map<string, GovernorLease>();
  readonly instance: string;
  private readonly log: Logger;
  private readonly metrics: ReturnType<typeof createGovernorMetrics>;
  private readonly now: () => number;
  private readonly queryText: { maxLength: number; redact: boolean };

  constructor(private readonly options: GovernorOptions) {
    this.log = options.log.child({ component: 'governor' });
    this.instance = options.lease?.instance ?? options.instance ?? instanceName();
    this.metrics = createGovernorMetrics(options.registry);
    this.now = options.now ?? Date.now;
    this.queryText = options.queryText ?? { maxLength: 1024, redact: true };
    for (const target of options.targets) this.add(target);
  }

  /** Governs one more target (a target this replica took, or one added to the configuration). */
  add(target: TargetConfig): void {
    if (this.byTarget.has(target.name)) return;
    const options = this.options;
    const metrics = this.metrics;
    // The lease is held on the governor's own session on the target, which every signal re-checks.
    const own = options.executor ? undefined : new PoolSignalExecutor(target, this.log, !options.lease);
    const executor = options.executor?.(target) ?? (own as PoolSignalExecutor);
    const mayTake = options.mayTakeLease;
    const lease =
      options.lease ??
      new TargetLease(
        own?.session,
        this.log,
        this.instance,
        mayTake ? () => mayTake(target.name) : undefined,
      );
    this.leases.set(target.name, lease);
    const session = own?.session;
    if (session) {
      const snapshots = new OwnSnapshot(target.name, session, {
        queryText: this.queryText,
        budgetMs: target.connection.statement_timeout_ms,
      });
      this.fallbacks.set(
        target.name,
        new OwnSnapshotFallback(target.name, snapshots, {
          events: options.events,
          metrics,
          log: this.log,
          instance: this.instance,
          now: this.now,
        }),
      );
    }
    const cadence = options.cadence;
    this.byTarget.set(
      target.name,
      new TargetGovernor(target, {
        executor,
        lease,
        events: options.events,
        metrics,
        log: this.log,
        ...(cadence ? { cadence: () => cadence(target.name) } : {}),
        now: this.now,
      }),
    );
  }

  /** Stops governing a target: its governor connection closes, and with it the lease on the target. */
  async remove(target: string): Promise<void> {
    const governor = this.byTarget.get(target);
    const lease = this.leases.get(target);
    this.byTarget.delete(target);
    this.fallbacks.delete(target);
    this.leases.delete(target);
    await governor?.stop();
    // A lease shared by every target (tests) is not this target's to close.
    if (lease && lease !== this.options.lease) await lease.close();
  }

  /** A target's lease: the fence that the collection of the target follows too. */
  leaseOf(target: string): GovernorLease | undefined {
    return this.leases.get(target);
  }

  /** The observation-bus consumer: returns at once; failures are logged, never thrown. */
  readonly consume = (observation: Observation): void => {
    this.handle(observation).catch((error: unknown) =>
      this.log.error({ target: observation.target, err: error }, 'governor cycle failed'),
    );
  };

  /** Decides (and acts) on an activity observation; undefined for other observations, unknown targets, or while busy. */
  async handle(observation: Observation): Promise<CycleReport | undefined> {
    const governor = this.byTarget.get(observation.target);
    if (!governor) return undefined;
    const snapshot = activitySnapshotOf(observation);
    if (!snapshot) return undefined;
    this.fallbacks.get(observation.target)?.monitorSees();
    return governor.handle(snapshot);
  }

  /**
   * The hot loop found the target unusable (the monitor role refused on a full server, its
   * connection lost): the governor takes the snapshot on its own held connection and decides on
   * it, so that it still sees and acts when it is needed most. Returns at once; never throws.
   */
  readonly blind = (target: string, why: string): void => {
    this.decideOnOwnSnapshot(target, why).catch((error: unknown) =>
      this.log.error({ target, err: error }, 'governor cycle failed'),
    );
  };

  /** What blind() runs: undefined without a governor connection, while busy, or if the snapshot failed. */
  async decideOnOwnSnapshot(target: string, why: string): Promise<CycleReport | undefined> {
    const governor = this.byTarget.get(target);
    const fallback = this.fallbacks.get(target);
    if (!governor || !fallback) return undefined;
    const snapshot = await fallback.take(why);
    return snapshot ? governor.handle(snapshot) : undefined;
  }

  /** Changes a target's mode at run time (journaled with who and when); undefined for an unknown target. */
  setMode(target: string, mode: GovernorMode, who: string): ModeChange | undefined {
    return this.byTarget.get(target)?.setMode(mode, who);
  }

  has(target: string): boolean {
    return this.byTarget.has(target);
  }

  /** One target's governor (OperatorModes sets its mode), or every one. */
  targetGovernor(target: string): TargetGovernor | undefined {
    return this.byTarget.get(target);
  }

  targetGovernors(): TargetGovernor[] {
    return [...this.byTarget.values()];
  }

  status(): TargetGovernorStatus[] {
    return [...this.byTarget.values()].map((g) => g.status());
  }

  /** Opens each target's governor connection ahead of need (or one target's, once it is added). */
  start(target?: string): void {
    if (target !== undefined) this.byTarget.get(target)?.warm();
    else for (const governor of this.byTarget.values()) governor.warm();
  }

  /** Closes the governor connections, and with them the leases (a standby takes over on its next cycle). */
  async stop(): Promise<void> {
    await Promise.all([...this.byTarget.values()].map((g) => g.stop()));
    await Promise.all([...new Set(this.leases.values())].map((l) => l.close()));
  }
}
