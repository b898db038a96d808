/**
 * What the bounds of a single-column RANGE partitioned table say: its oldest and newest bounds, the
 * period it is partitioned by, and whether the future is covered. Pure: values are numbers already
 * (seconds since the epoch for time keys, the key itself for integer keys; MINVALUE and MAXVALUE
 * are -Infinity and Infinity).
 */
export interface RangeEdge {
  value: number;
  /** As the server printed it ('MINVALUE' / 'MAXVALUE' for the open ends). */
  text: string;
}

export interface RangePartitionBounds {
  from: RangeEdge;
  to: RangeEdge;
}

export interface RangeAnalysis {
  /** Lower bound of the oldest partition. */
  oldest: RangeEdge;
  /** Upper bound (exclusive) of the newest partition. */
  newest: RangeEdge;
  /** Width of the newest bounded partition (or the spacing of the two newest upper bounds); null when unknown. */
  period: number | null;
  /** newest - now, when `now` is given and the newest bound is finite. */
  futureCoverage: number | null;
  /**
   * When `now` is given: true when no partition holds the start of the period after the current one.
   * The current period is the partition holding now (its upper bound starts the next); when none
   * holds now, the next period starts at now + period. Null when that cannot be told.
   */
  missingNext: boolean | null;
}

/** Undefined when there are no partitions. */
export function analyseRange(partitions: RangePartitionBounds[], now?: number): RangeAnalysis | undefined {
  if (partitions.length === 0) return undefined;
  // Range partitions never overlap: ordering by upper bound orders them in time.
  const sorted = [...partitions].sort((a, b) => a.to.value - b.to.value || a.from.value - b.from.value);
  const oldest = (sorted[0] as RangePartitionBounds).from;
  const newest = (sorted[sorted.length - 1] as RangePartitionBounds).to;
  const period = inferPeriod(sorted);
  if (now === undefined) return { oldest, newest, period, futureCoverage: null, missingNext: null };
  const futureCoverage = Number.isFinite(newest.value) ? newest.value - now : null;
  return { oldest, newest, period, futureCoverage, missingNext: missingNext(sorted, now, period) };
}

const covers = (p: RangePartitionBounds, point: number) => p.from.value <= point && point < p.to.value;

/** The newest bounded partition's width (its two bounds), else the spacing of the two newest upper bounds. */
function inferPeriod(sorted: RangePartitionBounds[]): number | null {
  const finite = sorted.filter((p) => Number.isFinite(p.to.value));
  const last = finite[finite.length - 1];
  const previous = finite[finite.length - 2];
  if (last && Number.isFinite(last.from.value) && last.to.value > last.from.value)
    return last.to.value - last.from.value;
  if (last && previous && last.to.value > previous.to.value) return last.to.value - previous.to.value;
  return null;
}

function missingNext(sorted: RangePartitionBounds[], now: number, period: number | null): boolean | null {
  const current = sorted.find((p) => covers(p, now));
  let nextStart: number;
  if (current) nextStart = current.to.value;
  else if (sorted.every((p) => p.to.value <= now))
    return true; // nothing from now on
  else if (period !== null) nextStart = now + period;
  else return null;
  if (!Number.isFinite(nextStart)) return false; // the current partition runs to MAXVALUE
  return !sorted.some((p) => covers(p, nextStart));
}
