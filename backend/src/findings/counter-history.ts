import { Labels, Sample } from '../collectors/types';
import { CounterIncrease } from './types';

interface Point {
  at: number;
  value: number;
}

interface Series {
  labels: Labels;
  points: Point[];
}

const labelsKey = (labels: Labels) =>
  Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join('\u0001');

/**
 * The values of a few counters over the last maxAgeMs, per target and series, as observed: what a
 * check needs to see a rate over a window (checkpoints requested in the last hour, temporary bytes
 * in the last quarter of an hour) from collectors that report only the running totals.
 */
export class CounterHistory {
  private readonly series = new Map<string, Series>();

  constructor(private readonly maxAgeMs: number) {}

  record(target: string, samples: readonly Sample[], metrics: ReadonlySet<string>, at: number): void {
    for (const sample of samples) {
      if (!metrics.has(sample.metric) || !Number.isFinite(sample.value)) continue;
      const key = `${target}\u0000${sample.metric}\u0000${labelsKey(sample.labels)}`;
      let series = this.series.get(key);
      if (!series) this.series.set(key, (series = { labels: sample.labels, points: [] }));
      const last = series.points.at(-1);
      if (last && at <= last.at) continue;
      series.points.push({ at, value: sample.value });
      // Keep one point at or before the oldest moment a window can reach back to: its base.
      while (series.points.length > 2 && (series.points[1] as Point).at <= at - this.maxAgeMs)
        series.points.shift();
    }
  }

  /**
   * Per series of the metric: what it grew by from the last point at or before now - windowMs (or
   * the oldest point kept) to the newest, a drop counted as a reset from zero.
   */
  increase(target: string, metric: string, windowMs: number, now: number): CounterIncrease[] {
    const prefix = `${target}\u0000${metric}\u0000`;
    const out: CounterIncrease[] = [];
    for (const [key, series] of this.series) {
      if (!key.startsWith(prefix)) continue;
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
