import { LruMap } from './lru-map';

/**
 * Equal strings held once: intern() returns the copy seen first, so the one just parsed can be
 * collected. For texts that many targets and cycles repeat (setting names, units, sources, most
 * values); bounded, the least recently used forgotten first (forgetting costs only sharing).
 */
export class Interner {
  private readonly strings: LruMap<string, string>;

  constructor(capacity: number) {
    this.strings = new LruMap(capacity);
  }

  get size(): number {
    return this.strings.size;
  }

  intern<T extends string | null>(value: T): T {
    if (value === null) return value;
    const known = this.strings.get(value);
    if (known !== undefined) return known as T;
    this.strings.set(value, value);
    return value;
  }
}
