import { Logger } from 'pino';
import { LatestObservations } from '../collectors/latest-observations';
import { ObservationBus } from '../collectors/observation-bus';
import { Collector } from '../collectors/types';
import { Config, LoopName } from '../config/schema';
import { TargetMonitor } from '../db/target-monitor';
import { CollectorMetrics } from './collector-metrics';
import { BatchPosition, firstCycleDelayMs } from './first-cycle-delay';
import { CollectionFence, CollectorStatus, GovernorWatch, LoopRunner, LoopStatus } from './loop-runner';

const LOOPS: LoopName[] = ['hot', 'workload', 'storage', 'hourly', 'custom'];

/** A target to collect: its monitor (and pool), behind its fence if given. */
export interface CollectedTarget {
  monitor: TargetMonitor;
  fence?: CollectionFence;
}

/**
 * Every loop of every target. Loops of one target share its pool (≤5 connections) and never wait
 * for each other; a slow target never delays another target's loops.
 */
export class Collection {
  private readonly byTarget = new Map<string, LoopRunner[]>();
  private started = false;

  constructor(
    monitors: TargetMonitor[],
    private readonly collectors: Collector[],
    private readonly config: Config,
    private readonly deps: {
      bus: ObservationBus;
      latest: LatestObservations;
      metrics: CollectorMetrics;
      log: Logger;
      /** Given to the loop that runs the governor's input collector (the hot loop's activity). */
      governor?: GovernorWatch;
    },
  ) {
    this.add(monitors.map((monitor) => ({ monitor })));
  }

  /**
   * The loops of more targets, running at once if the collection runs. Targets added together
   * (a takeover, a live add) have their first cycles spread by their place in the batch
   * (firstCycleDelayMs); a target already collected is left as it is.
   */
  add(targets: readonly CollectedTarget[]): void {
    const added: string[] = [];
    for (const { monitor, fence } of targets) {
      if (this.byTarget.has(monitor.name)) continue;
      this.addOne(monitor, fence);
      added.push(monitor.name);
    }
    if (this.started)
      added.forEach((target, index) => this.startLoops(target, { index, count: added.length }));
  }

  private addOne(monitor: TargetMonitor, fence: CollectionFence | undefined): void {
    const { governor, ...shared } = this.deps;
    const runners: LoopRunner[] = [];
    for (const loop of LOOPS) {
      const ofLoop = this.collectors.filter((c) => c.loop === loop);
      if (ofLoop.length === 0) continue;
      runners.push(
        new LoopRunner(loop, this.config.loops[loop], ofLoop, monitor, {
          ...shared,
          config: this.config,
          ...(governor && ofLoop.some((c) => c.name === governor.input) ? { governor } : {}),
          ...(fence ? { fence } : {}),
        }),
      );
    }
    this.byTarget.set(monitor.name, runners);
  }

  /** Later cycles keep a phase of their own (LoopRunner.start), whatever the first one's delay. */
  private startLoops(target: string, position: BatchPosition): void {
    for (const runner of this.byTarget.get(target) ?? [])
      runner.start(
        firstCycleDelayMs(runner.loop, this.config.loops[runner.loop].interval_s * 1000, position),
        true,
      );
  }

  /** Stops a target's loops (the cycles under way end first) and forgets them. */
  async remove(target: string): Promise<void> {
    const runners = this.byTarget.get(target) ?? [];
    this.byTarget.delete(target);
    await Promise.all(runners.map((r) => r.stop()));
  }

  private get runners(): LoopRunner[] {
    return [...this.byTarget.values()].flat();
  }

  start(): void {
    this.started = true;
    const targets = [...this.byTarget.keys()];
    targets.forEach((target, index) => this.startLoops(target, { index, count: targets.length }));
  }

  async stop(): Promise<void> {
    this.started = false;
    await Promise.all(this.runners.map((r) => r.stop()));
  }

  /** One target's loop, e.g. the hot loop whose cadence the governor raises under pressure. */
  runner(target: string, loop: LoopName): LoopRunner | undefined {
    return this.byTarget.get(target)?.find((r) => r.loop === loop);
  }

  /** A collector's state on a target (whichever loop runs it): what the findings engine checks its inputs with. */
  collectorStatus(target: string, collector: string): CollectorStatus | undefined {
    for (const runner of this.byTarget.get(target) ?? []) {
      const status = runner.collectorStatus(collector);
      if (status) return status;
    }
    return undefined;
  }

  status(): LoopStatus[] {
    return this.runners.map((r) => r.status());
  }

  /** Runs one cycle of every loop now (tests, benchmarks, on-demand refresh). */
  async runOnce(loop?: LoopName): Promise<void> {
    await Promise.all(this.runners.filter((r) => loop === undefined || r.loop === loop).map((r) => r.tick()));
  }
}
