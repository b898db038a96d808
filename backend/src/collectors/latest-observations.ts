import { Observation, Snapshot } from './types';

/**
 * The newest observation of every collector on every target: what /metrics serves, what the API
 * answers for "now", what the governor decides on. A failed cycle forgets the collector's last
 * observation so that nothing stale is served as current.
 */
export class LatestObservations {
  private readonly byTarget = new Map<string, Map<string, Observation>>();

  record(observation: Observation): void {
    let collectors = this.byTarget.get(observation.target);
    if (!collectors) this.byTarget.set(observation.target, (collectors = new Map()));
    collectors.set(observation.collector, observation);
  }

  forget(target: string, collector?: string): void {
    if (collector === undefined) this.byTarget.delete(target);
    else this.byTarget.get(target)?.delete(collector);
  }

  get(target: string, collector: string): Observation | undefined {
    return this.byTarget.get(target)?.get(collector);
  }

  /** Every current observation of a collector, one per target. */
  ofCollector(collector: string): Observation[] {
    const out: Observation[] = [];
    for (const collectors of this.byTarget.values()) {
      const observation = collectors.get(collector);
      if (observation) out.push(observation);
    }
    return out;
  }

  snapshot(target: string, kind: string): { time: number; snapshot: Snapshot } | undefined {
    for (const observation of this.byTarget.get(target)?.values() ?? []) {
      const snapshot = observation.snapshots.find((s) => s.kind === kind);
      if (snapshot) return { time: observation.time, snapshot };
    }
    return undefined;
  }

  targets(): string[] {
    return [...this.byTarget.keys()];
  }
}
