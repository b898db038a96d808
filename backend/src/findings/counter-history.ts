import { Labels, Sample } from '../collectors/types';
import { CounterIncrease } from './types';

/**
 * One metric on one target: the times it was recorded at, shared by its series (a collector
 * reports all of them in one observation), oldest first.
 */
interface MetricWindow {
  maxAgeMs: number;
  times: number[];
  /**
   * Per series (labelsKey), its values at the times (NaN: not observed then): a packed array of
   * doubles, 8 bytes a point, where an object a point took about 60.
   */
  series: Map<string, number[]>;
}

/**
 * A label set as JSON of its names and values, names sorted: the series' key, and its labels
 * (labelsOf) when a check reads it, rather than a labels object kept beside it.
 */
function labelsKey(labels: Labels): string {
  const flat: string[] = [];
  for (const name of Object.keys(labels).sort()) {
    const value = labels[name];
    if (value !== undefined) flat.push(name, value);
  }
  return JSON.stringify(flat);
}

function labelsOf(key: string): Labels {
  const flat = JSON.parse(key) as string[];
  const labels: Labels = {};
  for (let i = 0; i + 1 < flat.length; i += 2) labels[flat[i] as string] = flat[i + 1] as string;
  return labels;
}

/** The index of the newest observed value at or before `end` (exclusive bound), or -1. */
function lastObserved(values: readonly number[], end: number): number {
  for (let i = end - 1; i >= 0; i--) if (!Number.isNaN(values[i])) return i;
  return -1;
}

/**
 * The values of a few counters over the last while, per target and series, as observed: what a
 * check needs to see a rate over a window (checkpoints requested in the last hour, temporary bytes
 * in the last quarter of an hour) from collectors that report only the running totals.
 * Each metric is kept as long as the longest window read over it (maxAgeMs); a series not observed
 * for that long (a statement that left the Top-N, a dropped database) is forgotten: memory stays
 * bounded by what the collectors report now. A fleet's replica holds hundreds of thousands of
 * points (statement_regression: two counters of every Top-N entry for 15 minutes), hence the
 * columns: one list of times per metric and target, one array of doubles per series.
 */
export class CounterHistory {
  private readonly byTarget = new Map<string, Map<string, MetricWindow>>();

  constructor(private readonly maxAgeMs: ReadonlyMap<string, number>) {}

  record(target: string, samples: readonly Sample[], at: number): void {
    let windows = this.byTarget.get(target);
    if (!windows) this.byTarget.set(target, (windows = new Map()));
    const recorded = new Set<MetricWindow>();
    // Samples of one row share their labels object: its key is made once.
    let lastLabels: Labels | undefined;
    let lastKey = '';
    for (const sample of samples) {
      const maxAgeMs = this.maxAgeMs.get(sample.metric);
      if (maxAgeMs === undefined || !Number.isFinite(sample.value)) continue;
      let window = windows.get(sample.metric);
      if (!window) windows.set(sample.metric, (window = { maxAgeMs, times: [], series: new Map() }));
      if (!recorded.has(window)) {
        // Not newer than what the metric has: already recorded (or out of order), skipped.
        if (window.times.length > 0 && at <= (window.times.at(-1) as number)) continue;
        dropOld(window, at);
        window.times.push(at);
        for (const values of window.series.values()) values.push(NaN);
        recorded.add(window);
      }
      if (sample.labels !== lastLabels) {
        lastLabels = sample.labels;
        lastKey = labelsKey(sample.labels);
      }
      const newest = window.times.length - 1;
      let values = window.series.get(lastKey);
      if (!values) window.series.set(lastKey, (values = new Array<number>(newest + 1).fill(NaN)));
      if (Number.isNaN(values[newest])) values[newest] = sample.value;
    }
    for (const window of recorded) forgetUnobserved(window, at);
    for (const [metric, window] of windows)
      if (!recorded.has(window) && (window.times.at(-1) ?? -Infinity) < at - window.maxAgeMs)
        windows.delete(metric);
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
    const window = this.byTarget.get(target)?.get(metric);
    if (!window) return [];
    const { times } = window;
    const from = now - windowMs;
    // Points after now are left out; the window's start is the last point at or before `from`.
    let end = times.length;
    while (end > 0 && (times[end - 1] as number) > now) end--;
    let fromIndex = -1;
    while (fromIndex + 1 < end && (times[fromIndex + 1] as number) <= from) fromIndex++;
    const out: CounterIncrease[] = [];
    for (const [key, values] of window.series) {
      let start = lastObserved(values, fromIndex + 1);
      if (start < 0) start = values.findIndex((v, i) => i < end && !Number.isNaN(v));
      let increase = 0;
      let first = -1;
      let previous = -1;
      for (let i = Math.max(start, 0); start >= 0 && i < end; i++) {
        const value = values[i] as number;
        if (Number.isNaN(value)) continue;
        if (first < 0) first = i;
        else {
          const delta = value - (values[previous] as number);
          increase += delta >= 0 ? delta : value;
        }
        previous = i;
      }
      const spanMs = first >= 0 ? (times[previous] as number) - (times[first] as number) : 0;
      out.push({ labels: labelsOf(key), increase, spanMs });
    }
    return out;
  }
}

/**
 * Before `at` is appended: keeps one time at or before the oldest moment a window can reach back
 * to (its base) and drops the older ones (first, so that the arrays never outgrow the window).
 */
function dropOld(window: MetricWindow, at: number): void {
  const oldest = at - window.maxAgeMs;
  const { times } = window;
  let drop = 0;
  // With `at` appended, at least two points stay.
  while (times.length + 1 - drop > 2 && drop + 1 < times.length && (times[drop + 1] as number) <= oldest)
    drop++;
  if (drop === 0) return;
  times.splice(0, drop);
  for (const values of window.series.values()) values.splice(0, drop);
}

/** Forgets the series with no point left since the oldest moment a window can reach back to. */
function forgetUnobserved(window: MetricWindow, at: number): void {
  const oldest = at - window.maxAgeMs;
  for (const [key, values] of window.series) {
    // Observed this time: kept.
    if (!Number.isNaN(values.at(-1))) continue;
    const newest = lastObserved(values, values.length);
    if (newest < 0 || (window.times[newest] as number) < oldest) window.series.delete(key);
  }
}
