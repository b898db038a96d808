import { LruMap } from './lru-map';

/**
 * Equal values held once: intern() returns the one seen first with the same key, so that the copy
 * just parsed can be collected. For what many targets and cycles repeat: texts (setting names,
 * units, sources, most values; the key is the string itself) and rows most targets report alike
 * (their settings; keyed by their JSON, fields in order). Values handed out are shared: nobody may
 * change them. Bounded, the least recently used forgotten first (forgetting costs only sharing).
 */
export class Interner<V = string> {
  private readonly held: LruMap<string, V>;

  constructor(
    capacity: number,
    private readonly keyOf: (value: V) => string = String,
  ) {
    this.held = new LruMap(capacity);
  }

  get size(): number {
    return this.held.size;
  }

  intern<T extends V | null>(value: T): T {
    if (value === null) return value;
    const key = this.keyOf(value as V);
    const known = this.held.get(key);
    if (known !== undefined) return known as T;
    this.held.set(key, value as V);
    return value;
  }
}
