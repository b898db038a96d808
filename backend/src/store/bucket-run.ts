/**
 * A series' buckets over [lo, hi) (ms, whole buckets of one step) as the store's read spells them:
 * the present buckets' start times and values as comma-separated JSON numbers (times, values), with
 * where each entry ends in them, so that a stretch of buckets is one substring of each (no parsing,
 * no printing). Immutable: a changed run is a new one.
 */
export class BucketRun {
  private constructor(
    readonly lo: number,
    readonly hi: number,
    /** Start (ms) of each present bucket, ascending. */
    private readonly starts: Float64Array,
    private readonly times: string,
    private readonly values: string,
    /** Where each entry ends (exclusive) in times and in values. */
    private readonly timeEnds: Uint32Array,
    private readonly valueEnds: Uint32Array,
  ) {}

  /** Entries held. */
  get size(): number {
    return this.starts.length;
  }

  /** About what it holds in memory (one byte a character, the arrays, the objects). */
  get bytes(): number {
    return this.times.length + this.values.length + this.starts.length * 16 + 200;
  }

  /** The first entry starting at or after `time`. */
  indexAt(time: number): number {
    return firstAtOrAfter(this.starts, time);
  }

  /** The entries of the buckets in [from, to) as the store's lists ('' for none). */
  lists(from: number, to: number): { times: string; values: string } {
    const [first, end] = [this.indexAt(from), this.indexAt(to)];
    if (first >= end) return { times: '', values: '' };
    return {
      times: this.times.slice(this.timeStart(first), this.timeEnds[end - 1]),
      values: this.values.slice(this.valueStart(first), this.valueEnds[end - 1]),
    };
  }

  /** The same run over [lo, hi) ∩ [this.lo, this.hi); undefined when that is empty. */
  cut(lo: number, hi: number): BucketRun | undefined {
    const [from, to] = [Math.max(lo, this.lo), Math.min(hi, this.hi)];
    if (from >= to) return undefined;
    if (from === this.lo && to === this.hi) return this;
    const builder = new RunBuilder();
    builder.addRun(this, from, to);
    return builder.build(from, to);
  }

  private timeStart(i: number): number {
    return i === 0 ? 0 : (this.timeEnds[i - 1] as number) + 1;
  }

  private valueStart(i: number): number {
    return i === 0 ? 0 : (this.valueEnds[i - 1] as number) + 1;
  }

  /** For RunBuilder: the entries [first, end) as lists and their ends relative to their start. */
  piece(first: number, end: number): Piece {
    const [t0, v0] = [this.timeStart(first), this.valueStart(first)];
    return {
      starts: this.starts.subarray(first, end),
      times: this.times.slice(t0, this.timeEnds[end - 1]),
      values: this.values.slice(v0, this.valueEnds[end - 1]),
      timeEnds: Array.from(this.timeEnds.subarray(first, end), (e) => e - t0),
      valueEnds: Array.from(this.valueEnds.subarray(first, end), (e) => e - v0),
    };
  }

  /** Made by RunBuilder. */
  static of(lo: number, hi: number, pieces: Piece[]): BucketRun {
    const count = pieces.reduce((n, p) => n + p.starts.length, 0);
    const starts = new Float64Array(count);
    const [timeEnds, valueEnds] = [new Uint32Array(count), new Uint32Array(count)];
    let [i, tOffset, vOffset] = [0, 0, 0];
    for (const p of pieces) {
      starts.set(p.starts, i);
      for (let k = 0; k < p.starts.length; k++, i++) {
        timeEnds[i] = tOffset + (p.timeEnds[k] as number);
        valueEnds[i] = vOffset + (p.valueEnds[k] as number);
      }
      tOffset += p.times.length + 1;
      vOffset += p.values.length + 1;
    }
    const joined = (key: 'times' | 'values') => pieces.map((p) => p[key]).join(',');
    return new BucketRun(lo, hi, starts, joined('times'), joined('values'), timeEnds, valueEnds);
  }
}

/** Consecutive entries: start times, the lists, where each entry ends in them. */
interface Piece {
  starts: ArrayLike<number> & { length: number };
  times: string;
  values: string;
  timeEnds: number[];
  valueEnds: number[];
}

/** Entries of the store's lists split apart: the entries a read brought, to be held. */
export interface SplitLists {
  starts: number[];
  times: string[];
  values: string[];
}

/** Splits the store's lists (times, values) into entries; empty lists: none. */
export function splitLists(times: string | null, values: string | null): SplitLists {
  if (!times || !values) return { starts: [], times: [], values: [] };
  const timeTexts = times.split(',');
  const valueTexts = values.split(',');
  if (timeTexts.length !== valueTexts.length) throw new Error('a series read gave times and values apart');
  return { starts: timeTexts.map(Number), times: timeTexts, values: valueTexts };
}

/** The first entry of `split` starting at or after `time`. */
export function splitIndexAt(split: SplitLists, time: number): number {
  return firstAtOrAfter(split.starts, time);
}

/** The index of the first of ascending `starts` at or after `time` (binary search). */
function firstAtOrAfter(starts: ArrayLike<number>, time: number): number {
  let [low, high] = [0, starts.length];
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((starts[mid] as number) < time) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Builds a run from stretches of other runs and of split lists, in time order. */
export class RunBuilder {
  private readonly pieces: Piece[] = [];

  /** The entries of `run` in [from, to). */
  addRun(run: BucketRun, from: number, to: number): this {
    const [first, end] = [run.indexAt(from), run.indexAt(to)];
    if (first < end) this.pieces.push(run.piece(first, end));
    return this;
  }

  /** The entries of `split` in [from, to). */
  addSplit(split: SplitLists, from: number, to: number): this {
    const [first, end] = [splitIndexAt(split, from), splitIndexAt(split, to)];
    if (first >= end) return this;
    const times = split.times.slice(first, end);
    const values = split.values.slice(first, end);
    const ends = (texts: string[]) => {
      let offset = -1;
      return texts.map((text) => (offset += text.length + 1));
    };
    this.pieces.push({
      starts: split.starts.slice(first, end),
      times: times.join(','),
      values: values.join(','),
      timeEnds: ends(times),
      valueEnds: ends(values),
    });
    return this;
  }

  /**
   * The run over [lo, hi), begun at its first bucket: what is held is then checked against the
   * day that bucket is in (series-rollup.sql: a day retention dropped is read again).
   */
  build(lo: number, hi: number): BucketRun {
    const first = this.pieces[0]?.starts[0];
    return BucketRun.of(first === undefined ? lo : Math.max(lo, first), hi, this.pieces);
  }
}
