import { Logger } from 'pino';
import { Registry } from 'prom-client';
import { LatestObservations } from '../collectors/latest-observations';
import { TargetConfig } from '../config/schema';
import { CheckResult, MonitorSettings, TargetMonitor } from '../db/target-monitor';
import { FindingsEngine } from '../findings/engine';
import { FindingRecord } from '../findings/types';
import { Governor } from '../governor/governor';
import { TargetLease } from '../governor/lease';
import { OperatorModes } from '../governor/operator-modes';
import { forgetTarget } from '../metrics/forget-target';
import { Collection } from '../scheduler/collection';
import { HistoryWriter } from '../store/types';
import { roleChangeEvent } from './role-change-event';
import { OwnershipClock, TargetFence } from './target-fence';

export interface TargetSetDeps {
  monitorSettings: MonitorSettings;
  collection: Collection;
  governor: Governor;
  modes: OperatorModes;
  latest: LatestObservations;
  registry: Registry;
  ownership: OwnershipClock;
  log: Logger;
  onCheck: (target: string, result: CheckResult) => void;
  /** Where a target's role change (primary <-> standby) is recorded. */
  events: Pick<HistoryWriter, 'writeEvent'>;
  /**
   * The findings of a target that stops here are dropped with its observations and series; those
   * its previous owner published are adopted by a target that starts here.
   */
  findings: Pick<FindingsEngine, 'forget' | 'adopt'>;
  /** The findings last published of targets (the store's target_findings). */
  storedFindings: {
    of(targets: readonly string[]): Promise<{ target: string; findings: FindingRecord[] }[]>;
  };
}

/** One running target: its monitor (and pool), loops, governor, behind its fence. */
interface RunningTarget {
  config: TargetConfig;
  monitor: TargetMonitor;
  fence: TargetFence;
}

const sameConfig = (a: TargetConfig, b: TargetConfig) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The targets this replica runs, brought to a wanted set one change at a time: a new target gets
 * its monitor, loops and governor (with the operator's mode from the store before it acts); a
 * target no longer wanted (removed from the configuration, or no longer this replica's) has its
 * loops stopped (the cycles under way end first), its governor session and pools closed, and its
 * series forgotten; a target whose configuration changed is stopped, then started again. Changes
 * are applied in order, each after the previous one is done.
 */
export class TargetSet {
  private readonly running = new Map<string, RunningTarget>();
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly deps: TargetSetDeps) {}

  monitors(): TargetMonitor[] {
    return [...this.running.values()].map((t) => t.monitor);
  }

  names(): string[] {
    return [...this.running.keys()];
  }

  /** Runs exactly these targets (once the changes before are done); never rejects. */
  reconcile(wanted: readonly TargetConfig[]): Promise<void> {
    const next = this.queue.then(() => this.apply(wanted));
    this.queue = next.catch((error: unknown) =>
      this.deps.log.error({ err: error }, 'targets: applying a change failed'),
    );
    return this.queue;
  }

  private async apply(wanted: readonly TargetConfig[]): Promise<void> {
    const byName = new Map(wanted.map((t) => [t.name, t]));
    const stop: string[] = [];
    const start: TargetConfig[] = [];
    for (const [name, target] of this.running) {
      const config = byName.get(name);
      if (!config || !sameConfig(config, target.config)) stop.push(name);
    }
    for (const config of wanted) {
      const current = this.running.get(config.name);
      if (!current || !sameConfig(config, current.config)) start.push(config);
    }
    if (stop.length === 0 && start.length === 0) return;
    await Promise.all(stop.map((name) => this.stopTarget(name)));
    await this.startTargets(start);
    this.deps.log.info(
      {
        running: this.running.size,
        started: start.map((t) => t.name),
        stopped: stop.filter((name) => !start.some((t) => t.name === name)),
        restarted: stop.filter((name) => start.some((t) => t.name === name)),
      },
      'targets changed',
    );
  }

  private async startTargets(configs: TargetConfig[]): Promise<void> {
    const { governor, collection, modes, log } = this.deps;
    const started: RunningTarget[] = [];
    for (const config of configs) {
      const monitor = new TargetMonitor(config, this.deps.monitorSettings, log, (result) =>
        this.deps.onCheck(config.name, result),
      );
      monitor.onRoleChange((change) => this.deps.events.writeEvent(roleChangeEvent(config.name, change)));
      governor.add(config);
      const lease = governor.leaseOf(config.name);
      const fence = new TargetFence(
        config.name,
        this.deps.ownership,
        lease instanceof TargetLease ? lease : undefined,
        () => monitor.usable,
      );
      const target = { config, monitor, fence };
      this.running.set(config.name, target);
      started.push(target);
    }
    if (started.length === 0) return;
    // Together: their first cycles are spread by their place among them.
    collection.add(started);
    const names = configs.map((c) => c.name);
    // The operators' modes before the governors act (they act only once the loops run), and the
    // findings the targets' last owner held before their checks run.
    await Promise.all([
      modes
        .restore(new Set(names))
        .catch((error: unknown) =>
          log.error(
            { err: error, targets: names },
            "governor modes: the operators' modes could not be read from the store; the configured modes apply",
          ),
        ),
      this.adoptFindings(names),
    ]);
    for (const { config, monitor } of started) {
      governor.start(config.name);
      void monitor.start();
    }
  }

  private async adoptFindings(names: string[]): Promise<void> {
    try {
      const now = Date.now();
      for (const { target, findings } of await this.deps.storedFindings.of(names))
        this.deps.findings.adopt(target, findings, now);
    } catch (error) {
      this.deps.log.warn(
        { err: (error as Error).message, targets: names },
        'findings: those last published could not be read from the store; they are found again',
      );
    }
  }

  private async stopTarget(name: string): Promise<void> {
    const target = this.running.get(name);
    if (!target) return;
    this.running.delete(name);
    target.fence.close();
    const { collection, governor, latest, registry } = this.deps;
    await collection.remove(name);
    // Closes the governor session, and with it the target's lock: the next owner may take it.
    await governor.remove(name);
    await target.monitor.stop();
    latest.forget(name);
    await forgetTarget(registry, name);
    this.deps.findings.forget(name);
  }
}
