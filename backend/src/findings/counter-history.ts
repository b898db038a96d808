import { Labels, Sample } from '../collectors/types';
import { CounterIncrease } from './types';

interface Point {
  at: number;
  value: number;
}

interface Series {
  metric: string;
  labels: Labels;
  points: Point[];
}

const labelsKey = (labels: Labels) =>
  Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join('\u0001');

/**
 * The values of a few counters over the last while, per target and series, as observed: what a
 * check needs to see a rate over a window (checkpoints requested in the last hour, temporary bytes
 * in the last quarter of an hour) from collectors that report only the running totals.
 * Each metric is kept as long as the longest window read over it (maxAgeMs); a series not observed
 * for that long (a statement that left the Top-N, a dropped database) is forgotten: memory stays
 * bounded by what the collectors report now.
 */
export class CounterHistory {
  private readonly byTarget = new Map<string, Map<string, Series>>();

  constructor(private readonly maxAgeMs: ReadonlyMap<string, number>) {}

  record(target: string, samples: readonly Sample[], at: number): void {
    let series = this.byTarget.get(target);
    if (!series) this.byTarget.set(target, (series = new Map()));
    for (const sample of samples) {
      const maxAge = this.maxAgeMs.get(sample.metric);
      if (maxAge === undefined || !Number.isFinite(sample.value)) continue;
      const key = `${sample.metric}\u0000${labelsKey(sample.labels)}`;
      let one = series.get(key);
      if (!one) series.set(key, (one = { metric: sample.metric, labels: sample.labels, points: [] }));
      const last = one.points.at(-1);
      if (last && at <= last.at) continue;
      one.points.push({ at, value: sample.value });
      // Keep one point at or before the oldest moment a window can reach back to: its base.
      while (one.points.length > 2 && (one.points[1] as Point).at <= at - maxAge) one.points.shift();
    }
    for (const [key, one] of series) {
      const newest = one.points.at(-1);
      if (!newest || newest.at < at - (this.maxAgeMs.get(one.metric) ?? 0)) series.delete(key);
    }
  }

  /** The target is no longer collected here: its series go with it. */
  forget(target: string): void {
    this.byTarget.delete(target);
  }

  /**
   * Per series of the metric: what it grew by from the last point at or before now - windowMs (or
   * the oldest point kept) to the newest, a drop counted as a reset from zero.
   */
  increase(target: string, metric: string, windowMs: number, now: number): CounterIncrease[] {
    const out: CounterIncrease[] = [];
    for (const series of this.byTarget.get(target)?.values() ?? []) {
      if (series.metric !== metric) continue;
      const from = now - windowMs;
      let start = 0;
      series.points.forEach((p, i) => {
        if (p.at <= from) start = i;
      });
      const points = series.points.slice(start).filter((p) => p.at <= now);
      let increase = 0;
      for (let i = 1; i < points.length; i++) {
        const delta = (points[i] as Point).value - (points[i - 1] as Point).value;
        increase += delta >= 0 ? delta : (points[i] as Point).value;
      }
      const first = points[0];
      const last = points.at(-1);
      out.push({ labels: series.labels, increase, spanMs: first && last ? last.at - first.at : 0 });
    }
    return out;
  }
}
