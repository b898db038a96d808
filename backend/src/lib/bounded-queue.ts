/**
 * A FIFO bounded by the total weight of its items (e.g. snapshot rows); past the bound the oldest
 * items are dropped whole. The newest item always stays, however heavy.
 */
export class BoundedQueue<T> {
  private items: T[] = [];
  private total = 0;

  constructor(
    private readonly maxWeight: number,
    private readonly weigh: (item: T) => number,
  ) {}

  get length(): number {
    return this.items.length;
  }

  get weight(): number {
    return this.total;
  }

  /** Appends; returns the items dropped to stay within the bound (oldest first). */
  push(item: T): T[] {
    this.items.push(item);
    this.total += this.weigh(item);
    return this.trim();
  }

  /** Removes and returns the oldest items up to maxWeight in total, at least one if any. */
  take(maxWeight: number): T[] {
    let weight = 0;
    let n = 0;
    while (n < this.items.length) {
      const next = this.weigh(this.items[n] as T);
      if (n > 0 && weight + next > maxWeight) break;
      weight += next;
      n++;
    }
    this.total -= weight;
    return this.items.splice(0, n);
  }

  /** Puts items that could not be written back in front; returns those dropped to fit. */
  putBack(items: T[]): T[] {
    this.items.unshift(...items);
    for (const item of items) this.total += this.weigh(item);
    return this.trim();
  }

  private trim(): T[] {
    let n = 0;
    let weight = this.total;
    while (weight > this.maxWeight && n < this.items.length - 1) {
      weight -= this.weigh(this.items[n] as T);
      n++;
    }
    this.total = weight;
    return n === 0 ? [] : this.items.splice(0, n);
  }
}
