import { Int32Column } from './int32-column';

const EMPTY = 0;

/** A 32-bit hash of three 32-bit integers (multiply-xorshift mixing). */
function hash(a: number, b: number, c: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77) ^ Math.imul(c, 0xc2b2ae3d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 12);
}

/**
 * A set of triples of 32-bit integers, each numbered in the order added (its row), with the row of
 * a triple found by hashing. Rows are three Int32 columns; the index is an open-addressing table
 * of row numbers in an Int32Array, at most half full: about 20 bytes a triple, where a Map entry
 * keyed by a string or a number takes 40 to 80 and its key more.
 */
export class IntTriples {
  private readonly a = new Int32Column();
  private readonly b = new Int32Column();
  private readonly c = new Int32Column();
  /** row + 1 of each slot's triple; EMPTY: free. */
  private slots = new Int32Array(1024);

  get size(): number {
    return this.a.length;
  }

  /** The row of a triple, or -1. */
  find(a: number, b: number, c: number): number {
    const mask = this.slots.length - 1;
    for (let i = hash(a, b, c) & mask; ; i = (i + 1) & mask) {
      const slot = this.slots[i] as number;
      if (slot === EMPTY) return -1;
      const row = slot - 1;
      if (this.a.get(row) === a && this.b.get(row) === b && this.c.get(row) === c) return row;
    }
  }

  /** The row of a triple, added (as the next row) when new. */
  add(a: number, b: number, c: number): number {
    const found = this.find(a, b, c);
    if (found >= 0) return found;
    const row = this.size;
    this.a.push(a);
    this.b.push(b);
    this.c.push(c);
    if ((row + 1) * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(row);
    return row;
  }

  /** The triple of a row. */
  get(row: number): [number, number, number] {
    return [this.a.get(row), this.b.get(row), this.c.get(row)];
  }

  private place(row: number): void {
    const mask = this.slots.length - 1;
    let i = hash(this.a.get(row), this.b.get(row), this.c.get(row)) & mask;
    while (this.slots[i] !== EMPTY) i = (i + 1) & mask;
    this.slots[i] = row + 1;
  }

  private rehash(capacity: number): void {
    this.slots = new Int32Array(capacity);
    for (let row = 0; row < this.size; row++) this.place(row);
  }
}
