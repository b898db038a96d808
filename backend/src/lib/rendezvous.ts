import { createHash } from 'node:crypto';

/** A 48-bit weight of a (candidate, key) pair: the same on every process, well spread. */
function weight(candidate: string, key: string): number {
  return createHash('sha256').update(candidate).update('\u0000').update(key).digest().readUIntBE(0, 6);
}

/**
 * Rendezvous (highest random weight) hashing: the candidate with the highest weight for the key.
 * Every process that knows the same candidates picks the same one, without talking to the
 * others; when a candidate joins or leaves, only the keys it wins or held move (about 1/n of them).
 * Undefined without candidates. Ties (48 bits: practically never) go to the smaller name.
 */
export function rendezvousWinner(key: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestWeight = -1;
  for (const candidate of candidates) {
    const w = weight(candidate, key);
    if (w > bestWeight || (w === bestWeight && best !== undefined && candidate < best)) {
      best = candidate;
      bestWeight = w;
    }
  }
  return best;
}

/**
 * Rendezvous hashing with bounded loads, sticky: no candidate gets more than its fair share,
 * ceil(keys / candidates), and a key stays where it is while its holder is within that share.
 * First each candidate keeps the keys it holds (those it weighs highest, up to the share); then the
 * other keys, in name order, go to their highest-weight candidate still below its share (a key
 * whose candidates are all full goes to its first one). Every process that knows the same keys,
 * candidates and holders computes the same assignment; a candidate that joins takes only the
 * others' excess, one that leaves spreads only its own keys.
 */
export function rendezvousAssignment(
  candidatesOf: ReadonlyMap<string, readonly string[]>,
  held: ReadonlyMap<string, string> = new Map(),
): Map<string, string> {
  const everyone = new Set([...candidatesOf.values()].flat());
  const cap = Math.ceil(candidatesOf.size / Math.max(1, everyone.size));
  const load = new Map<string, number>();
  const assignment = new Map<string, string>();
  const give = (key: string, candidate: string) => {
    assignment.set(key, candidate);
    load.set(candidate, (load.get(candidate) ?? 0) + 1);
  };

  const holdings = new Map<string, string[]>();
  for (const [key, holder] of held) {
    if (!candidatesOf.get(key)?.includes(holder)) continue;
    let keys = holdings.get(holder);
    if (!keys) holdings.set(holder, (keys = []));
    keys.push(key);
  }
  for (const [holder, keys] of holdings) {
    const kept = keys
      .map((key) => ({ key, weight: weight(holder, key) }))
      .sort((a, b) => b.weight - a.weight || (a.key < b.key ? -1 : 1))
      .slice(0, cap);
    for (const { key } of kept) give(key, holder);
  }

  for (const key of [...candidatesOf.keys()].sort()) {
    if (assignment.has(key)) continue;
    const ranked = [...(candidatesOf.get(key) ?? [])]
      .map((candidate) => ({ candidate, weight: weight(candidate, key) }))
      .sort((a, b) => b.weight - a.weight || (a.candidate < b.candidate ? -1 : 1))
      .map((c) => c.candidate);
    const chosen = ranked.find((c) => (load.get(c) ?? 0) < cap) ?? ranked[0];
    if (chosen !== undefined) give(key, chosen);
  }
  return assignment;
}
