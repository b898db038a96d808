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

/** NUL never occurs in PostgreSQL text nor in JSON, so it cannot make two different keys collide. */
const SEPARATOR = '\0';

/**
 * One flat string for a series: join() builds it in one piece, where `+` and template literals
 * leave a tree of partial strings that a long-lived key would keep alive.
 */
const mapKey = (target: string, metric: string, labels: string) => [target, metric, labels].join(SEPARATOR);

/**
 * The series this process has written, numbered locally in the order first seen, so that a
 * buffered sample holds a small integer rather than strings. The store's id of each is cached
 * beside it once resolved. A fleet's replica holds hundreds of thousands of series: each is one
 * flat string, shared by the map and the list (the parts are split off it when a batch resolves it).
 */
export class SeriesKeys {
  private readonly numbers = new Map<string, number>();
  /** mapKey() of each series, by local number. */
  private keys: string[] = [];
  /** 0: not resolved yet. */
  private storeIds: number[] = [];

  get size(): number {
    return this.keys.length;
  }

  /** The local number of a series, assigned on first sight. */
  number(target: string, metric: string, labels: Labels): number {
    const key = mapKey(target, metric, canonicalLabels(labels));
    let n = this.numbers.get(key);
    if (n === undefined) {
      n = this.keys.length;
      this.numbers.set(key, n);
      this.keys.push(key);
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
    if (key === undefined) throw new RangeError(`unknown local series ${n}`);
    const first = key.indexOf(SEPARATOR);
    const second = key.indexOf(SEPARATOR, first + 1);
    return {
      target: key.slice(0, first),
      metric: key.slice(first + 1, second),
      labels: key.slice(second + 1),
    };
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
