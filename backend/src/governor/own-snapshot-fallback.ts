import { Logger } from 'pino';
import { StoredEvent } from '../store/types';
import { GovernorMetrics } from './governor-metrics';
import { EventSink } from './journal';
import { OwnSnapshot } from './own-snapshot';
import { ActivitySnapshot } from './snapshot';

/** The journal's record of the governor switching to, or off, its own snapshot. */
export function snapshotSourceEvent(
  target: string,
  change: { own: boolean; why?: string },
  context: { time: number; instance: string },
): StoredEvent {
  const title = change.own
    ? `Governor on ${target} decides on its own snapshot: the monitor cannot see the target`
    : `Governor on ${target} decides on the hot loop's snapshots again`;
  return {
    time: context.time,
    target,
    kind: 'governor_decision',
    severity: change.own ? 'warning' : 'info',
    title,
    text: change.own
      ? `${change.why ?? 'The hot loop cannot reach the target'}. The governor takes the hot snapshot on its own held connection (instance ${context.instance}) until the monitor sees the target again.`
      : `The monitor sees the target again (instance ${context.instance}).`,
    tags: ['governor_decision', target, 'snapshot_source', change.own ? 'own' : 'hot_loop'],
    data: { ownSnapshot: change.own, instance: context.instance, ...(change.why ? { why: change.why } : {}) },
  };
}

/**
 * One target's switch between the hot loop's snapshots (the rule) and the governor's own (the
 * exception, while the monitor cannot see the target): takes the own snapshot, one at a time, and
 * says so once per switch (log, event, pgg_governor_own_snapshot), counting every snapshot.
 */
export class OwnSnapshotFallback {
  private inUse = false;
  private taking = false;
  private failure: string | undefined;

  constructor(
    private readonly target: string,
    private readonly snapshots: OwnSnapshot,
    private readonly deps: {
      events: EventSink;
      metrics: GovernorMetrics;
      log: Logger;
      instance: string;
      now: () => number;
    },
  ) {
    deps.metrics.ownSnapshot.set({ target }, 0);
  }

  /** A snapshot on the governor's connection; undefined while one is being taken or if it failed (logged). */
  async take(why: string): Promise<ActivitySnapshot | undefined> {
    if (this.taking) return undefined;
    this.taking = true;
    const now = this.deps.now();
    try {
      const snapshot = await this.snapshots.take(now);
      this.failure = undefined;
      this.deps.metrics.ownSnapshots.inc({ target: this.target });
      if (!this.inUse) this.switchTo(true, now, why);
      return snapshot;
    } catch (error) {
      const message = (error as Error).message;
      if (message !== this.failure)
        this.deps.log.warn(
          { target: this.target, err: message },
          'governor: the monitor cannot see the target and neither can the governor connection',
        );
      this.failure = message;
      return undefined;
    } finally {
      this.taking = false;
    }
  }

  /** A snapshot came from the hot loop: back to the rule. */
  monitorSees(): void {
    if (!this.inUse) return;
    this.snapshots.forget();
    this.switchTo(false, this.deps.now());
  }

  private switchTo(own: boolean, time: number, why?: string): void {
    this.inUse = own;
    this.deps.metrics.ownSnapshot.set({ target: this.target }, own ? 1 : 0);
    const context = { time, instance: this.deps.instance };
    this.deps.events.writeEvent(snapshotSourceEvent(this.target, { own, ...(why ? { why } : {}) }, context));
    if (own)
      this.deps.log.warn(
        { target: this.target, why },
        'governor: the monitor cannot see the target; deciding on its own snapshot',
      );
    else this.deps.log.info({ target: this.target }, 'governor: deciding on the hot loop snapshots again');
  }
}
