import { Logger } from 'pino';
import { LatestObservations } from '../collectors/latest-observations';
import { ObservationBus } from '../collectors/observation-bus';
import { Collector } from '../collectors/types';
import { Config, LoopName } from '../config/schema';
import { TargetMonitor } from '../db/target-monitor';
import { CollectorMetrics } from './collector-metrics';
import { CollectionFence, CollectorStatus, GovernorWatch, LoopRunner, LoopStatus } from './loop-runner';

const LOOPS: LoopName[] = ['hot', 'workload', 'storage', 'hourly', 'custom'];

/**
 * First cycles are spread a little, so that loops and targets do not all fire on the same tick,
 * yet come at once; the loops spread their later cycles over their interval (LoopRunner.start).
 */
const firstCycleDelayMs = () => Math.round(Math.random() * 500);

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
    for (const monitor of monitors) this.add(monitor);
  }

  /** The loops of one more target (running at once if the collection runs), behind its fence if given. */
  add(monitor: TargetMonitor, fence?: CollectionFence): void {
    if (this.byTarget.has(monitor.name)) return;
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
    if (this.started) for (const runner of runners) runner.start(firstCycleDelayMs(), true);
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
    for (const runner of this.runners) runner.start(firstCycleDelayMs(), true);
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
