import { Logger } from 'pino';
import { LatestObservations } from '../collectors/latest-observations';
import { ObservationBus } from '../collectors/observation-bus';
import { Collector } from '../collectors/types';
import { Config, LoopName } from '../config/schema';
import { TargetMonitor } from '../db/target-monitor';
import { CollectorMetrics } from './collector-metrics';
import { CollectorStatus, LoopRunner, LoopStatus } from './loop-runner';

const LOOPS: LoopName[] = ['hot', 'workload', 'storage', 'hourly', 'custom'];

/**
 * Every loop of every target. Loops of one target share its pool (≤5 connections) and never wait
 * for each other; a slow target never delays another target's loops.
 */
export class Collection {
  private readonly runners: LoopRunner[] = [];
  private readonly byTarget = new Map<string, LoopRunner>();

  constructor(
    monitors: TargetMonitor[],
    collectors: Collector[],
    config: Config,
    deps: {
      bus: ObservationBus;
      latest: LatestObservations;
      metrics: CollectorMetrics;
      log: Logger;
      /** Told when the hot loop finds its target unusable: the governor takes its own snapshot. */
      whenHotBlind?: (target: string, why: string) => void;
    },
  ) {
    const { whenHotBlind, ...shared } = deps;
    for (const monitor of monitors) {
      for (const loop of LOOPS) {
        const ofLoop = collectors.filter((c) => c.loop === loop);
        if (ofLoop.length === 0) continue;
        const runner = new LoopRunner(loop, config.loops[loop], ofLoop, monitor, {
          ...shared,
          config,
          ...(loop === 'hot' && whenHotBlind ? { whenBlind: whenHotBlind } : {}),
        });
        this.runners.push(runner);
        this.byTarget.set(`${monitor.name}\u0000${loop}`, runner);
      }
    }
  }

  start(): void {
    // Spread first cycles a little so that loops and targets do not all fire on the same tick.
    for (const runner of this.runners) runner.start(Math.round(Math.random() * 500));
  }

  async stop(): Promise<void> {
    await Promise.all(this.runners.map((r) => r.stop()));
  }

  /** One target's loop, e.g. the hot loop whose cadence the governor raises under pressure. */
  runner(target: string, loop: LoopName): LoopRunner | undefined {
    return this.byTarget.get(`${target}\u0000${loop}`);
  }

  /** A collector's state on a target (whichever loop runs it): what the findings engine checks its inputs with. */
  collectorStatus(target: string, collector: string): CollectorStatus | undefined {
    for (const loop of LOOPS) {
      const status = this.byTarget.get(`${target}\u0000${loop}`)?.collectorStatus(collector);
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
