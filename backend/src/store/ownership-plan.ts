import { rendezvousAssignment } from '../lib/rendezvous';

/** A replica alive now, as the store says, with the targets it is configured to watch. */
export interface LiveReplica {
  instance: string;
  targets: readonly string[];
  /**
   * Its join window is over (false for a replica that has just started): it claims targets and is
   * handed its share. Before, it claims nothing, and the free targets that are its share wait for it.
   */
  claiming: boolean;
}

/** A target's owner in the store, and whether that owner is alive now. */
export interface TargetOwner {
  owner: string;
  live: boolean;
}

export interface OwnershipView {
  /** This replica. */
  me: string;
  /** What this replica is configured to watch now. */
  inventory: ReadonlySet<string>;
  /** The live replicas, this one included (its heartbeat came first). */
  live: readonly LiveReplica[];
  owners: ReadonlyMap<string, TargetOwner>;
  /** Targets this replica is handing over: stopped or stopping here, not yet released in the store. */
  leaving: ReadonlySet<string>;
}

export interface OwnershipPlan {
  /** What this replica collects and governs after this round: kept and claimed. */
  owned: Set<string>;
  /** Free targets (no owner, or a dead one) whose share is this replica's: taken in this round. */
  claim: string[];
  /**
   * Targets this replica owns and must hand over (no longer configured here, or another live
   * replica's share): stopped here first, released in the store after.
   */
  handOver: string[];
}

/**
 * Who should collect each target: sticky rendezvous hashing with bounded loads among the live
 * replicas configured to watch it (lib/rendezvous.ts): each replica gets its fair share, at most
 * ceil(targets / replicas), and keeps what it owns within it. The same answer on every replica
 * that sees the same store, so that replicas divide the targets without negotiating: a replica
 * that joins takes only the others' excess, one that leaves or dies spreads only its own. A
 * target owned by a live replica stays with it until that replica hands it over; a free target
 * is claimed by the replica whose share it is.
 *
 * A replica still in its join window counts in the shares (so that replicas started together
 * divide the fleet at once rather than all of it landing on the first), but acts only once the
 * window is over: until then it claims nothing, nobody claims its share of the free targets, and
 * nobody hands it anything (what would be its share goes on being collected where it is).
 */
export function planOwnership(view: OwnershipView): OwnershipPlan {
  const watchers = new Map<string, string[]>();
  for (const replica of view.live)
    for (const target of replica.targets) {
      let list = watchers.get(target);
      if (!list) watchers.set(target, (list = []));
      list.push(replica.instance);
    }
  // Held: by live owners (this replica's leaving targets are not its to keep).
  const held = new Map<string, string>();
  for (const [target, row] of view.owners)
    if (row.live && !(row.owner === view.me && view.leaving.has(target))) held.set(target, row.owner);
  const share = rendezvousAssignment(watchers, held);
  const winner = (target: string) => share.get(target);
  const claiming = new Set(view.live.filter((r) => r.claiming).map((r) => r.instance));

  const owned = new Set<string>();
  const claim: string[] = [];
  const handOver: string[] = [];
  const mine = [...view.owners].filter(([, o]) => o.owner === view.me).map(([target]) => target);
  for (const target of new Set([...view.inventory, ...mine])) {
    if (view.leaving.has(target)) continue;
    const row = view.owners.get(target);
    if (row?.owner === view.me) {
      const share = winner(target);
      if (!view.inventory.has(target) || (share !== undefined && share !== view.me && claiming.has(share)))
        handOver.push(target);
      else owned.add(target);
    } else if (
      (!row || !row.live) &&
      view.inventory.has(target) &&
      winner(target) === view.me &&
      claiming.has(view.me)
    ) {
      claim.push(target);
      owned.add(target);
    }
  }
  return { owned, claim: claim.sort(), handOver: handOver.sort() };
}
