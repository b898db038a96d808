import { GovernorLease, LeaseState } from '../governor/lease';
import { CollectionFence } from '../scheduler/loop-runner';

/** What the fence reads of this replica's ownership in the store. */
export interface OwnershipClock {
  /** This replica owns the target as of its last heartbeat (one it just lost stops at once). */
  owns(target: string): boolean;
  /** The lease is known to hold (renewed, margin taken). */
  leaseValid(): boolean;
  /** No other replica can have taken this replica's targets yet. */
  withinLease(): boolean;
}

/** What the fence uses of the target's lease (TargetLease): the lock on the governor's session there. */
export type FenceLease = Pick<GovernorLease, 'check'> & { readonly fenced: boolean; state(): LeaseState };

/**
 * Whether this replica collects a target it owns, cycle by cycle. Two guards, so that a target is
 * never collected twice, even while the store is cut off from one replica:
 * - the ownership in the store, known to hold until the lease's end (margin taken);
 * - the target's lease, the advisory lock that the governor's session holds on the target
 *   (sql/governor/lease.sql): held by another session, another replica still works there.
 * Past the lease's end without a renewal (the store unreachable), the replica goes on only while
 * its session still holds the lock, which it does not take back then: no other replica can hold
 * it meanwhile, so the target is still collected once, as before the store went away. Without a
 * governor session (pool_max 1) there is no lock: it stops at the lease's end.
 */
export class TargetFence implements CollectionFence {
  private active = true;
  reason = 'not collected by this replica';

  constructor(
    private readonly target: string,
    private readonly ownership: OwnershipClock,
    private readonly lease: FenceLease | undefined,
    /** Whether the target answers: while it is down, its loops wait anyway, and a lock check would only wait too. */
    private readonly targetUp: () => boolean,
  ) {}

  /** The target is being stopped here: nothing more is collected or published. */
  close(): void {
    this.active = false;
    this.reason = 'no longer collected by this replica';
  }

  async mayCollect(): Promise<boolean> {
    if (!this.active) return false;
    if (!this.ownership.owns(this.target)) {
      this.reason = 'another replica owns it now: being stopped here';
      return false;
    }
    const lease = this.lease?.fenced ? this.lease : undefined;
    if (this.ownership.leaseValid()) {
      // Takes the lock if it is free; finds whether another replica's session still holds it.
      if (lease && lease.state() !== 'held' && this.targetUp()) await lease.check(this.target);
      if (lease?.state() === 'other') {
        this.reason = "waiting for the target's lock, held by another replica's governor session";
        return false;
      }
      return true;
    }
    if (!lease) {
      this.reason = "this replica's lease in the store could not be renewed: not collecting";
      return false;
    }
    // Not taken back if lost (the lease's mayTake says no while the store lease is not renewed).
    await lease.check(this.target);
    if (lease.state() === 'held') return true;
    this.reason =
      "this replica's lease in the store could not be renewed and its session no longer holds the target's lock: not collecting";
    return false;
  }

  mayPublish(): boolean {
    if (!this.active || !this.ownership.owns(this.target)) return false;
    const state = this.lease?.fenced ? this.lease.state() : undefined;
    if (state === 'other') return false;
    return this.ownership.withinLease() || state === 'held';
  }
}
