import { Labels } from '../collectors/types';
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

/** NUL never occurs in PostgreSQL text, so it cannot make two different keys collide. */
const mapKey = (target: string, metric: string, labels: string) => `${target}\0${metric}\0${labels}`;

/**
 * The series this process has written, numbered locally in the order first seen, so that a
 * buffered sample holds a small integer rather than strings. The store's id of each is cached
 * beside it once resolved.
 */
export class SeriesKeys {
  private readonly numbers = new Map<string, number>();
  private keys: SeriesKey[] = [];
  /** 0: not resolved yet. */
  private storeIds: number[] = [];

  get size(): number {
    return this.keys.length;
  }

  /** The local number of a series, assigned on first sight. */
  number(target: string, metric: string, labels: Labels): number {
    const canonical = canonicalLabels(labels);
    const key = mapKey(target, metric, canonical);
    let n = this.numbers.get(key);
    if (n === undefined) {
      n = this.keys.length;
      this.numbers.set(key, n);
      this.keys.push({ target, metric, labels: canonical });
      this.storeIds.push(0);
    }
    return n;
  }

  /** The local number of a series already seen, by its canonical labels. */
  find(target: string, metric: string, canonical: string): number | undefined {
    return this.numbers.get(mapKey(target, metric, canonical));
  }

  key(n: number): SeriesKey {
    const key = this.keys[n];
    if (!key) throw new RangeError(`unknown local series ${n}`);
    return key;
  }

  storeId(n: number): number {
    return this.storeIds[n] ?? 0;
  }

  setStoreId(n: number, id: number): void {
    this.storeIds[n] = id;
  }

  /** Resolve every series again (they refresh their seen_at in the store on the way). */
  forgetStoreIds(): void {
    this.storeIds.fill(0);
  }

  /** Forget everything; only when no buffered sample refers to a local number any more. */
  clear(): void {
    this.numbers.clear();
    this.keys = [];
    this.storeIds = [];
  }
}
