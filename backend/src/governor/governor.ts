import { Logger } from 'pino';
import { Registry } from 'prom-client';
import { Observation } from '../collectors/types';
import { GovernorMode, TargetConfig } from '../config/schema';
import { PoolSignalExecutor, SignalExecutor } from './executor';
import { createGovernorMetrics } from './governor-metrics';
import { EventSink } from './journal';
import { AdvisoryLease, GovernorLease, instanceName, SoloLease } from './lease';
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
  /**
   * URL of the history store that every replica shares: the per-target leases live there. Unset:
   * this process is the only governor (no lease is taken).
   */
  leaseUrl?: string;
  /** A target's hot loop (Collection.runner(target, 'hot')), whose cadence the governor raises under pressure. */
  cadence?: (target: string) => LoopCadence | undefined;
  /** Tests: another lease, another executor, another clock. */
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
  private readonly lease: GovernorLease;
  private readonly log: Logger;

  constructor(options: GovernorOptions) {
    this.log = options.log.child({ component: 'governor' });
    const instance = options.lease?.instance ?? instanceName();
    this.lease =
      options.lease ??
      (options.leaseUrl ? new AdvisoryLease(options.leaseUrl, this.log, instance) : new SoloLease(instance));
    const metrics = createGovernorMetrics(options.registry);
    const now = options.now ?? Date.now;
    for (const target of options.targets) {
      const executor = options.executor?.(target) ?? new PoolSignalExecutor(target, this.log);
      const cadence = options.cadence;
      this.byTarget.set(
        target.name,
        new TargetGovernor(target, {
          executor,
          lease: this.lease,
          events: options.events,
          metrics,
          log: this.log,
          ...(cadence ? { cadence: () => cadence(target.name) } : {}),
          now,
        }),
      );
    }
  }

  get instance(): string {
    return this.lease.instance;
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
    return governor.handle(snapshot);
  }

  /** Changes a target's mode at run time (journaled with who and when); undefined for an unknown target. */
  setMode(target: string, mode: GovernorMode, who: string): ModeChange | undefined {
    return this.byTarget.get(target)?.setMode(mode, who);
  }

  has(target: string): boolean {
    return this.byTarget.has(target);
  }

  status(): TargetGovernorStatus[] {
    return [...this.byTarget.values()].map((g) => g.status());
  }

  /** Opens each target's governor connection ahead of need. */
  start(): void {
    for (const governor of this.byTarget.values()) governor.warm();
  }

  /** Closes the governor connections and the lease session (a standby takes over on its next cycle). */
  async stop(): Promise<void> {
    await Promise.all([...this.byTarget.values()].map((g) => g.stop()));
    await this.lease.close();
  }
}
