import { Observation, Snapshot } from './types';

/**
 * The newest observation of every collector on every target: what /metrics serves, what the API
 * answers for "now", what the governor decides on. A failed cycle forgets the collector's last
 * observation so that nothing stale is served as current.
 */
export class LatestObservations {
  private readonly byTarget = new Map<string, Map<string, Observation>>();
  /** Newest observation time per target; a forgotten collector does not take it back. */
  private readonly newest = new Map<string, number>();

  record(observation: Observation): void {
    const newest = this.newest.get(observation.target);
    if (newest === undefined || observation.time > newest)
      this.newest.set(observation.target, observation.time);
    let collectors = this.byTarget.get(observation.target);
    if (!collectors) this.byTarget.set(observation.target, (collectors = new Map()));
    collectors.set(observation.collector, observation);
  }

  forget(target: string, collector?: string): void {
    if (collector === undefined) {
      this.byTarget.delete(target);
      this.newest.delete(target);
    } else this.byTarget.get(target)?.delete(collector);
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

  /**
   * When the target's newest successful collection was (ms), whichever collector made it: never goes
   * back while collectors fail (their observations are forgotten, this is not).
   */
  lastCollectedAt(target: string): number | undefined {
    return this.newest.get(target);
  }

  targets(): string[] {
    return [...this.byTarget.keys()];
  }
}
