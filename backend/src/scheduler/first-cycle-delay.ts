import { LoopName } from '../config/schema';

/** Where a target stands among the targets started together (a replica's start, a takeover, a live add). */
export interface BatchPosition {
  index: number;
  count: number;
}

/**
 * How far apart the first cycles of targets started together are, per loop, and the share of the
 * loop's interval they may spread over at most. The hot loop's come almost at once (the governor
 * decides on its snapshots); the heavier loops' spread wider, so that their statements do not
 * spend the first hot cycles' budget: 50 targets gained at once, every loop of each on the same
 * tick, spent the hot loop's 1 s budget and their first hot samples came an interval later.
 */
const SPREAD: Record<LoopName, { spacingMs: number; maxShare: number }> = {
  hot: { spacingMs: 10, maxShare: 0.1 },
  workload: { spacingMs: 200, maxShare: 0.25 },
  storage: { spacingMs: 200, maxShare: 0.25 },
  hourly: { spacingMs: 200, maxShare: 0.25 },
  custom: { spacingMs: 200, maxShare: 0.25 },
};

/**
 * In a batch, the heavier loops' first cycles start this long after the hot loop's (whose first
 * cycles, and their retries, LoopRunner.retrySoon, then have the cores to themselves): 50 targets
 * taken over at once ran their workload, storage and hourly cycles beside their first hot cycles,
 * which spent the hot budget (a second from the cycle's start to its first statement on cores
 * shared with 30 servers), and their first hot samples came up to 7 s later.
 */
const HEAVIER_AFTER_MS = 5000;

/** The heavier loops of one target take turns within its slot, so they do not start together either. */
const TURN: Record<LoopName, number> = { hot: 0, workload: 0, storage: 1, hourly: 2, custom: 3 };
const TURNS = 4;

/**
 * The delay of a loop's first cycle for the target at `position` among those started together:
 * the batch spreads evenly over a window that grows with its size (`spacingMs` a target) up to a
 * share of the loop's interval, the heavier loops' window HEAVIER_AFTER_MS after the hot loop's. A
 * target started alone runs its hot cycle at once and the others within 200 ms.
 */
export function firstCycleDelayMs(loop: LoopName, intervalMs: number, position: BatchPosition): number {
  const { spacingMs, maxShare } = SPREAD[loop];
  const count = Math.max(1, position.count);
  const windowMs = Math.min(count * spacingMs, maxShare * intervalMs);
  const slot = (Math.min(Math.max(0, position.index), count - 1) + TURN[loop] / TURNS) / count;
  const after = loop !== 'hot' && count > 1 ? HEAVIER_AFTER_MS : 0;
  return after + Math.round(windowMs * slot);
}
