import { LruMap } from '../lib/lru-map';
import { BucketRun } from './bucket-run';

/** A span the rollup job redid, under its redo generation: [generation, from ms, to ms). */
export type RedoneSpan = [number, number, number];

/** Selections remembered (which series a panel's query picks), most recently used kept. */
const MAX_SELECTIONS = 256;

/**
 * Rolled-up buckets that reads brought, kept in memory per series, aggregation and step, so that
 * the next read of them asks the store only for what is not held (the range's edges, the minutes
 * rolled up since). What is held is what the store held when it was read: a bucket is held only
 * once whole and rolled up (before the rollups' done_until, not stale), and such a bucket changes
 * only when the rollup job redoes it after a late batch. The job numbers its redos (the redo
 * generation, sql/store/011) and records what each redid; every read hands the store the
 * generation the cache is at, and the store skips held buckets only if it is still the store's
 * (series-rollup.sql), so a redo, a stale span or a dropped day is noticed by the read itself,
 * whichever replica did what. The store stays the truth; this is bounded by maxBytes (least
 * recently read series dropped first).
 */
export class ClosedBucketCache {
  private readonly runs = new Map<string, BucketRun>();
  private readonly selections = new LruMap<string, number[]>(MAX_SELECTIONS);
  private held = 0;
  /** Reads that took held buckets instead of reading them (for tests and benches). */
  hits = 0;
  /** The store's redo generation that what is held is valid at; undefined until a read tells. */
  private atGeneration: number | undefined;

  constructor(private readonly maxBytes: number) {}

  /** What a read hands the store: the generation held (-1: none yet). */
  get generation(): number {
    return this.atGeneration ?? -1;
  }

  /** About how many bytes the held buckets take. */
  get bytes(): number {
    return this.held;
  }

  /** The series a selection picked last time (none remembered: []). */
  seriesOf(selection: string): number[] {
    return this.selections.get(selection) ?? [];
  }

  rememberSeries(selection: string, ids: number[]): void {
    this.selections.set(selection, ids);
  }

  /** The held run of a series, aggregation and step (marked as used). */
  run(key: string): BucketRun | undefined {
    const run = this.runs.get(key);
    if (run) {
      this.runs.delete(key);
      this.runs.set(key, run);
    }
    return run;
  }

  /** Holds `run` for `key` (or forgets the key: undefined), then drops the least recently used beyond the bound. */
  hold(key: string, run: BucketRun | undefined): void {
    this.forget(key);
    if (!run || run.size === 0 || run.bytes > this.maxBytes) return;
    this.runs.set(key, run);
    this.held += run.bytes;
    for (const oldest of this.runs.keys()) {
      if (this.held <= this.maxBytes) break;
      this.forget(oldest);
    }
  }

  /**
   * What a read saw of the store: its redo generation and the spans redone after the one the read
   * handed over (null: not asked). Drops the buckets redone since the held generation (each run
   * from the first of them on; everything if the record of a redo is gone) and moves to the read's
   * generation. Returns whether the read's buckets may be held: not if the read saw an older store
   * than the cache already has (a read that ran alongside a newer one).
   */
  sync(generation: number, redone: RedoneSpan[] | null): boolean {
    const held = this.atGeneration;
    if (held === undefined || generation === held) {
      this.atGeneration = generation;
      return true;
    }
    if (generation < held) return false;
    const spans = (redone ?? []).filter(([g]) => g > held && g <= generation);
    if (new Set(spans.map(([g]) => g)).size !== generation - held) this.clear();
    else
      for (const [key, run] of [...this.runs]) {
        const cutAt = Math.min(
          ...spans.filter(([, from, to]) => from < run.hi && to > run.lo).map(([, from]) => from),
        );
        if (cutAt < run.hi) this.hold(key, run.cut(run.lo, cutAt - (cutAt % stepOf(key))));
      }
    this.atGeneration = generation;
    return true;
  }

  clear(): void {
    this.runs.clear();
    this.held = 0;
  }

  private forget(key: string): void {
    const run = this.runs.get(key);
    if (!run) return;
    this.held -= run.bytes;
    this.runs.delete(key);
  }
}

/** The key of a series' buckets of one aggregation and step. */
export const bucketKey = (seriesId: number, aggregation: string, stepMs: number): string =>
  `${seriesId} ${aggregation} ${stepMs}`;

const stepOf = (key: string): number => Number(key.slice(key.lastIndexOf(' ') + 1));
