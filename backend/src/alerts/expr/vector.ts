import { Labels } from '../../catalog/alerts/types';

/** One series' current value; `target` is a label like any other, as in Prometheus. */
export interface Series {
  labels: Labels;
  value: number;
}

export type Vector = Series[];

/** The latest value of every series, by metric family: what /metrics shows at this moment. */
export type SampleView = ReadonlyMap<string, readonly Series[]>;

/** Time-stamped samples of one series, oldest first. */
export interface SeriesHistory {
  labels: Labels;
  points: readonly (readonly [number, number])[];
}

/** Samples kept over time for the selectors that range functions read (baselines, increases). */
export interface WindowView {
  /** Every series of the metric, with its samples between fromMs and toMs (both included). */
  range(metric: string, fromMs: number, toMs: number): SeriesHistory[];
}

/** A canonical key for a label set (sorted names), for matching and deduplication. */
export function labelsKey(labels: Labels, only?: string[]): string {
  const names = (only ?? Object.keys(labels)).slice().sort();
  return names.map((name) => `${name}=${JSON.stringify(labels[name] ?? '')}`).join(',');
}

/** `{target="main", datname="app"}`, Prometheus style, names sorted. */
export function formatLabels(labels: Labels): string {
  const names = Object.keys(labels).sort();
  return `{${names.map((n) => `${n}=${JSON.stringify(labels[n])}`).join(', ')}}`;
}
