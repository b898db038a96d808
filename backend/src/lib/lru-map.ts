/**
 * A Map bounded to `capacity` entries, the least recently used evicted first. Memory follows the
 * entries held, not the capacity: lru-cache allocates its index arrays for `max` up front, which
 * for a per-target cache of 5,000 is about 100 KB a target even when it holds 200 entries.
 * A Map keeps insertion order, so "recently used" is re-inserting on a hit.
 */
export class LruMap<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError(`LruMap capacity must be at least 1, got ${capacity}`);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Whether the key is held; does not count as a use. */
  has(key: K): boolean {
    return this.entries.has(key);
  }

  /** The value, or undefined; a hit makes the key the most recently used. */
  get(key: K): V | undefined {
    if (!this.entries.has(key)) return undefined;
    const value = this.entries.get(key) as V;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  /** Sets the value as the most recently used; evicts the least recently used beyond capacity. */
  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }
}
