/**
 * Blocking chains from pg_blocking_pids: who waits on whom, down to the root blocker (a session
 * that blocks others and waits on nobody) — the one a DBA or the governor would act on.
 */
export interface WaitingSession {
  pid: number;
  blockedBy: number[];
}

export interface BlockedLink {
  blockedPid: number;
  /** Its direct blocker (the first, when several). */
  blockerPid: number;
  /** The root of the chain; the blocked session itself never. */
  rootPid: number;
  /** 1 when blocked directly by the root. */
  depth: number;
}

export interface BlockingAnalysis {
  links: BlockedLink[];
  roots: number[];
  maxDepth: number;
}

export function analyseBlocking(waiting: WaitingSession[]): BlockingAnalysis {
  const blockersOf = new Map<number, number[]>();
  for (const w of waiting) if (w.blockedBy.length > 0) blockersOf.set(w.pid, w.blockedBy);

  // Walk up from each blocked session; a cycle (a deadlock before the detector fires) ends the walk.
  const resolve = (pid: number): { root: number; depth: number } => {
    const seen = new Set<number>([pid]);
    let current = pid;
    let depth = 0;
    for (;;) {
      const next = blockersOf.get(current)?.[0];
      if (next === undefined || seen.has(next)) return { root: current, depth };
      seen.add(next);
      current = next;
      depth += 1;
    }
  };

  const links: BlockedLink[] = [];
  const roots = new Set<number>();
  let maxDepth = 0;
  for (const [pid, blockers] of blockersOf) {
    const { root, depth } = resolve(pid);
    links.push({ blockedPid: pid, blockerPid: blockers[0] as number, rootPid: root, depth });
    if (!blockersOf.has(root)) roots.add(root);
    maxDepth = Math.max(maxDepth, depth);
  }
  return { links, roots: [...roots].sort((a, b) => a - b), maxDepth };
}
