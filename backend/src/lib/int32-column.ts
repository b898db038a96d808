/** A growable column of 32-bit integers: 4 bytes an entry, where a JavaScript array takes 8. */
export class Int32Column {
  private data: Int32Array;
  private count = 0;

  constructor(initialCapacity = 1024) {
    this.data = new Int32Array(Math.max(1, initialCapacity));
  }

  get length(): number {
    return this.count;
  }

  push(value: number): void {
    if (this.count === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.count++] = value;
  }

  get(i: number): number {
    if (!(i >= 0 && i < this.count)) throw new RangeError(`index ${i} outside 0..${this.count - 1}`);
    return this.data[i] as number;
  }

  set(i: number, value: number): void {
    if (!(i >= 0 && i < this.count)) throw new RangeError(`index ${i} outside 0..${this.count - 1}`);
    this.data[i] = value;
  }

  fill(value: number): void {
    this.data.fill(value, 0, this.count);
  }
}
