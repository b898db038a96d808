import { Labels } from '../collectors/types';
import { Int32Column } from '../lib/int32-column';
import { StringNumbers } from '../lib/string-numbers';
import { storableText } from './storable-json';

/**
 * Labels as JSON with sorted keys: equal label sets give equal strings, as jsonb equality does.
 * Names and values as the store can hold them (storableText), so a label cannot refuse a batch.
 */
export function canonicalLabels(labels: Labels): string {
  // An undefined value is no label (as JSON.stringify has it).
  const names = Object.keys(labels).filter((name) => labels[name] !== undefined);
  if (names.length > 1) names.sort();
  let json = '{';
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    const value = labels[name] as string;
    json += `${i === 0 ? '' : ','}${JSON.stringify(storableText(name))}:${JSON.stringify(storableText(value))}`;
  }
  return `${json}}`;
}

export interface SeriesKey {
  target: string;
  metric: string;
  /** canonicalLabels() of the label set. */
  labels: string;
}

/**
 * One number for a (metric, label set) pair of numbers (Szudzik's pairing): a Map key
 * that stays a small integer (no heap object) while both numbers are below about 46,000.
 */
const pair = (a: number, b: number): number => (a >= b ? a * a + a + b : b * b + a);

/**
 * The series this process has written, numbered locally in the order first seen, so that a
 * buffered sample holds a small integer rather than strings. The store's id of each is cached
 * beside it once resolved. A fleet's replica holds hundreds of thousands of series (a target's
 * statements alone are about 1,400: 8 metrics of each Top-N entry): a series is four 32-bit
 * numbers and a map entry of integers; its target, metric and label set are strings held once each (a
 * label set serves the 8 metrics of a statement, and in a fleet often many targets).
 */
export class SeriesKeys {
  private targets = new StringNumbers();
  private metrics = new StringNumbers();
  private labelSets = new StringNumbers();
  /** Per target number: pair(metric, label set) -> local number. */
  private byTarget: Map<number, number>[] = [];
  private targetOf = new Int32Column();
  private metricOf = new Int32Column();
  private labelSetOf = new Int32Column();
  /** 0: not resolved yet. */
  private storeIds = new Int32Column();
  /** The label set written last and its number: a row's metrics share one labels object. */
  private lastLabels: Labels | undefined;
  private lastLabelSet = 0;

  get size(): number {
    return this.targetOf.length;
  }

  /** The local number of a series, assigned on first sight. */
  number(target: string, metric: string, labels: Labels): number {
    if (labels !== this.lastLabels) {
      this.lastLabelSet = this.labelSets.number(canonicalLabels(labels));
      this.lastLabels = labels;
    }
    const t = this.targets.number(target);
    const m = this.metrics.number(metric);
    const key = pair(m, this.lastLabelSet);
    let series = this.byTarget[t];
    if (!series) this.byTarget[t] = series = new Map();
    let n = series.get(key);
    if (n === undefined) {
      n = this.targetOf.length;
      series.set(key, n);
      this.targetOf.push(t);
      this.metricOf.push(m);
      this.labelSetOf.push(this.lastLabelSet);
      this.storeIds.push(0);
    }
    return n;
  }

  /** The local number of a series already seen, by its canonical labels. */
  find(target: string, metric: string, canonical: string): number | undefined {
    const t = this.targets.find(target);
    const m = this.metrics.find(metric);
    const l = this.labelSets.find(canonical);
    if (t === undefined || m === undefined || l === undefined) return undefined;
    return this.byTarget[t]?.get(pair(m, l));
  }

  key(n: number): SeriesKey {
    if (!(n >= 0 && n < this.size)) throw new RangeError(`unknown local series ${n}`);
    return {
      target: this.targets.string(this.targetOf.get(n)),
      metric: this.metrics.string(this.metricOf.get(n)),
      labels: this.labelSets.string(this.labelSetOf.get(n)),
    };
  }

  storeId(n: number): number {
    return n >= 0 && n < this.storeIds.length ? this.storeIds.get(n) : 0;
  }

  setStoreId(n: number, id: number): void {
    this.storeIds.set(n, id);
  }

  /** Resolve every series again (they refresh their seen_at in the store on the way). */
  forgetStoreIds(): void {
    this.storeIds.fill(0);
  }

  /** Forget everything; only when no buffered sample refers to a local number any more. */
  clear(): void {
    this.targets = new StringNumbers();
    this.metrics = new StringNumbers();
    this.labelSets = new StringNumbers();
    this.byTarget = [];
    this.targetOf = new Int32Column();
    this.metricOf = new Int32Column();
    this.labelSetOf = new Int32Column();
    this.storeIds = new Int32Column();
    this.lastLabels = undefined;
  }
}
