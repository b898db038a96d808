/**
 * Strings numbered in the order first seen, each held once: a structure that refers to a string
 * many times (a label set shared by every metric of a row and by many targets) keeps a small
 * integer instead of a copy.
 */
export class StringNumbers {
  private readonly numbers = new Map<string, number>();
  private readonly strings: string[] = [];

  get size(): number {
    return this.strings.length;
  }

  /** The number of a string, assigned on first sight. */
  number(value: string): number {
    let n = this.numbers.get(value);
    if (n === undefined) {
      n = this.strings.length;
      this.numbers.set(value, n);
      this.strings.push(value);
    }
    return n;
  }

  /** The number of a string already seen. */
  find(value: string): number | undefined {
    return this.numbers.get(value);
  }

  string(n: number): string {
    const value = this.strings[n];
    if (value === undefined) throw new RangeError(`unknown string number ${n}`);
    return value;
  }
}
