import { Labels } from '../collectors/types';
import { Int32Column } from '../lib/int32-column';
import { IntTriples } from '../lib/int-triples';
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
 * The series this process has written, numbered locally in the order first seen, so that a
 * buffered sample holds a small integer rather than strings. The store's id of each is cached
 * beside it once resolved. A fleet's replica holds hundreds of thousands of series (a target's
 * statements alone are about 1,400: 8 metrics of each Top-N entry): a series is a triple of
 * numbers (target, metric, label set; its local number is its row) and a store id, about 24
 * bytes; the target, metric and label set are strings held once each (a label set serves the 8
 * metrics of a statement, and in a fleet often many targets).
 */
export class SeriesKeys {
  private targets = new StringNumbers();
  private metrics = new StringNumbers();
  private labelSets = new StringNumbers();
  private series = new IntTriples();
  /** 0: not resolved yet. */
  private storeIds = new Int32Column();
  /** The label set written last and its number: a row's metrics share one labels object. */
  private lastLabels: Labels | undefined;
  private lastLabelSet = 0;

  get size(): number {
    return this.series.size;
  }

  /** The local number of a series, assigned on first sight. */
  number(target: string, metric: string, labels: Labels): number {
    if (labels !== this.lastLabels) {
      this.lastLabelSet = this.labelSets.number(canonicalLabels(labels));
      this.lastLabels = labels;
    }
    const t = this.targets.number(target);
    const m = this.metrics.number(metric);
    const n = this.series.add(t, m, this.lastLabelSet);
    if (n === this.storeIds.length) this.storeIds.push(0);
    return n;
  }

  /** The local number of a series already seen, by its canonical labels. */
  find(target: string, metric: string, canonical: string): number | undefined {
    const t = this.targets.find(target);
    const m = this.metrics.find(metric);
    const l = this.labelSets.find(canonical);
    if (t === undefined || m === undefined || l === undefined) return undefined;
    const n = this.series.find(t, m, l);
    return n < 0 ? undefined : n;
  }

  key(n: number): SeriesKey {
    if (!(n >= 0 && n < this.size)) throw new RangeError(`unknown local series ${n}`);
    const [target, metric, labels] = this.series.get(n);
    return {
      target: this.targets.string(target),
      metric: this.metrics.string(metric),
      labels: this.labelSets.string(labels),
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
    this.series = new IntTriples();
    this.storeIds = new Int32Column();
    this.lastLabels = undefined;
  }
}
