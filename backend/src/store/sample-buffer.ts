/**
 * Samples waiting for the store, oldest first, as parallel typed arrays (20 bytes a sample, no
 * object per sample) in fixed-size chunks. Bounded: past the capacity the oldest are dropped.
 */
export interface SampleBatch {
  /** Local series numbers (SeriesKeys). */
  series: Int32Array;
  /** ms since epoch */
  times: Float64Array;
  values: Float64Array;
  length: number;
}

interface Chunk {
  series: Int32Array;
  times: Float64Array;
  values: Float64Array;
  start: number;
  end: number;
}

const CHUNK_SIZE = 8192;

function newChunk(size: number): Chunk {
  return {
    series: new Int32Array(size),
    times: new Float64Array(size),
    values: new Float64Array(size),
    start: 0,
    end: 0,
  };
}

export class SampleBuffer {
  private chunks: Chunk[] = [];
  private count = 0;

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError('capacity must be at least 1');
  }

  get size(): number {
    return this.count;
  }

  /** Appends a sample; returns how many of the oldest were dropped to make room (0 or 1). */
  push(series: number, time: number, value: number): number {
    let last = this.chunks[this.chunks.length - 1];
    if (!last || last.end === last.series.length) {
      last = newChunk(CHUNK_SIZE);
      this.chunks.push(last);
    }
    last.series[last.end] = series;
    last.times[last.end] = time;
    last.values[last.end] = value;
    last.end++;
    this.count++;
    return this.trim();
  }

  /** Removes and returns up to max of the oldest samples. */
  take(max: number): SampleBatch {
    const length = Math.max(0, Math.min(max, this.count));
    const batch: SampleBatch = {
      series: new Int32Array(length),
      times: new Float64Array(length),
      values: new Float64Array(length),
      length,
    };
    let filled = 0;
    while (filled < length) {
      const chunk = this.chunks[0] as Chunk;
      const n = Math.min(length - filled, chunk.end - chunk.start);
      batch.series.set(chunk.series.subarray(chunk.start, chunk.start + n), filled);
      batch.times.set(chunk.times.subarray(chunk.start, chunk.start + n), filled);
      batch.values.set(chunk.values.subarray(chunk.start, chunk.start + n), filled);
      chunk.start += n;
      filled += n;
      if (chunk.start === chunk.end) this.chunks.shift();
    }
    this.count -= length;
    return batch;
  }

  /**
   * Returns a batch that could not be written to the front, where it came from; then drops the
   * oldest beyond the capacity. Returns how many were dropped.
   */
  putBack(batch: SampleBatch): number {
    if (batch.length === 0) return 0;
    this.chunks.unshift({
      series: batch.series,
      times: batch.times,
      values: batch.values,
      start: 0,
      end: batch.length,
    });
    this.count += batch.length;
    return this.trim();
  }

  private trim(): number {
    let excess = this.count - this.capacity;
    if (excess <= 0) return 0;
    const dropped = excess;
    while (excess > 0) {
      const chunk = this.chunks[0] as Chunk;
      const n = Math.min(excess, chunk.end - chunk.start);
      chunk.start += n;
      excess -= n;
      if (chunk.start === chunk.end) this.chunks.shift();
    }
    this.count -= dropped;
    return dropped;
  }
}
