import { Pool, PoolClient } from 'pg';
import { Logger } from 'pino';
import { Observation, SnapshotRow } from '../collectors/types';
import { BackoffSettings, backoffDelay } from '../lib/backoff';
import { insertEvents, insertSamples, insertSnapshots } from './batch-inserts';
import { BoundedQueue } from '../lib/bounded-queue';
import { DeadLetter } from './dead-letter';
import { eventRecordJson } from './event-record';
import { writeIsolatingRejects } from './isolate-rejects';
import { DAY_MS, ensurePartitions, PartitionedTable, utcDay } from './partitions';
import { SampleBatch, SampleBuffer } from './sample-buffer';
import { SeriesKeys } from './series-keys';
import { resolveSeries } from './series-resolver';
import { StoreMetrics, StoreOperation } from './store-metrics';
import { storableJson } from './storable-json';
import { isStorableTime } from './storable-time';
import { isTransientStoreError } from './transient-error';
import { HistoryWriter, StoredEvent, WriterStatus } from './types';
import { sqlState } from '../db/pg-errors';

/**
 * Snapshot rows an insert takes at most: their JSON is made in one go on the event loop (~1 KB a
 * row), and 5,000 rows (batch_max_rows) held it 25-50 ms at 200 targets, with every target's
 * loops and the API waiting; the flush yields between statements.
 */
const SNAPSHOT_ROWS_A_STATEMENT = 1000;

export interface WriterSettings {
  flushIntervalMs: number;
  /** Rows per statement: samples, snapshot rows, events. */
  batchMaxRows: number;
  bufferMaxSamples: number;
  bufferMaxSnapshotRows: number;
  /** Retry delays while the store is unreachable. */
  backoff: BackoffSettings;
}

interface QueuedSnapshot {
  target: string;
  kind: string;
  time: number;
  rows: SnapshotRow[];
}

/** Serialised when taken (eventRecordJson). */
interface QueuedEvent {
  time: number;
  json: string;
}

/** flush(): attempts before giving up, quick retries between them. */
const FLUSH_ATTEMPTS = 3;
const FLUSH_RETRY: BackoffSettings = { initialMs: 100, maxMs: 1000 };

/** A time the store would refuse (or file in an absurd partition): its row is set aside. */
function storableTimes(what: string, times: ArrayLike<number>): void {
  for (let i = 0; i < times.length; i++) {
    const ms = times[i] as number;
    if (!isStorableTime(ms)) throw new RangeError(`${what} time ${ms} is outside what the store keeps`);
  }
}

function sliceSamples(batch: SampleBatch, lo: number, hi: number): SampleBatch {
  return {
    series: batch.series.subarray(lo, hi),
    times: batch.times.subarray(lo, hi),
    values: batch.values.subarray(lo, hi),
    length: hi - lo,
  };
}

/**
 * The history writer. write() and writeEvent() only append to memory; a background flusher
 * sends batches (one statement per batch) every flushIntervalMs. While the store is unreachable
 * it keeps everything within bounds and retries with backoff; on recovery it writes in order.
 * Bounds: samples (oldest dropped beyond bufferMaxSamples), snapshots (oldest dropped whole
 * beyond bufferMaxSnapshotRows rows), events (never dropped for space). A batch the store
 * refuses as data (not a connection problem) is split until only the refused rows are left; those
 * go to the dead_letter table (DeadLetter) and the rest is written, so one bad row can neither
 * wedge the queue nor take its batch with it.
 */
export class StoreWriter implements HistoryWriter {
  private readonly samples: SampleBuffer;
  private readonly snapshots: BoundedQueue<QueuedSnapshot>;
  private readonly events = new BoundedQueue<QueuedEvent>(Infinity, () => 1);
  private readonly series = new SeriesKeys();
  /** table:day of the partitions this writer made sure exist. */
  private readonly knownPartitions = new Set<string>();
  private inFlight = { samples: 0, snapshots: 0, events: 0 };
  private droppedSamples = 0;
  private droppedSnapshots = 0;
  private reachable = true;
  private failures = 0;
  private lastFlushAt: number | undefined;
  private seriesDay = Math.floor(Date.now() / DAY_MS);
  private operation: StoreOperation = 'samples';
  private cycle: Promise<unknown> | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Set by start(): the store is migrated and may be written. */
  private ready = false;
  private stopped = false;
  private warnedOverflow = false;
  private readonly deadLetter: DeadLetter;

  constructor(
    private readonly pool: Pool,
    private readonly settings: WriterSettings,
    private readonly log: Logger,
    private readonly metrics?: StoreMetrics,
  ) {
    this.deadLetter = new DeadLetter(log, metrics?.rejectedRows);
    this.samples = new SampleBuffer(settings.bufferMaxSamples);
    this.snapshots = new BoundedQueue<QueuedSnapshot>(
      settings.bufferMaxSnapshotRows,
      // an empty snapshot still takes room
      (s) => Math.max(1, s.rows.length),
    );
  }

  write(observation: Observation): void {
    try {
      const { target, time } = observation;
      if (!Number.isFinite(time)) return;
      let dropped = 0;
      for (const sample of observation.samples) {
        // NaN and infinities cannot be averaged or summed into anything useful.
        if (!Number.isFinite(sample.value)) continue;
        const series = this.series.number(target, sample.metric, sample.labels);
        dropped += this.samples.push(series, time, sample.value);
      }
      if (dropped > 0) this.droppedSamplesCounted(dropped);
      for (const { kind, rows } of observation.snapshots) {
        const evicted = this.snapshots.push({ target, kind, time, rows });
        if (evicted.length > 0) this.droppedSnapshotsCounted(evicted.length);
      }
      for (const event of observation.events ?? []) this.writeEvent({ ...event, target, time });
    } catch (error) {
      this.log.error(
        { err: error, target: observation.target },
        'history writer could not buffer an observation',
      );
    }
  }

  writeEvent(event: StoredEvent): void {
    try {
      this.events.push({ time: event.time, json: eventRecordJson(event) });
    } catch (error) {
      this.metrics?.writeErrors.inc({ operation: 'events' });
      this.log.error(
        { err: error, kind: event.kind, title: event.title },
        'history writer could not take an event',
      );
    }
  }

  /** Starts the background flusher (once the store is migrated). */
  start(): void {
    if (this.ready || this.stopped) return;
    this.ready = true;
    this.schedule(this.settings.flushIntervalMs);
  }

  /** Before start(): the store could not be reached or migrated yet. */
  markUnreachable(): void {
    this.reachable = false;
  }

  async flush(): Promise<void> {
    // A cycle writes what was buffered when it began; two good cycles begun since this call
    // cover everything buffered at the call, even if the first was already under way.
    let successes = 0;
    let failures = 0;
    for (;;) {
      const error = await this.runCycle();
      if (error === undefined) {
        if (this.isEmpty() || ++successes >= 2) return;
        continue;
      }
      if (++failures >= FLUSH_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, backoffDelay(failures, FLUSH_RETRY)));
    }
  }

  /** Stops the flusher after one last attempt to write what is buffered. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.cycle;
    const error = this.ready ? await this.runCycle() : new Error('the store was never reached');
    if (error !== undefined && !this.isEmpty()) {
      this.log.warn(
        { err: error, ...this.status() },
        'history store unreachable at shutdown: buffered samples, snapshots and events are lost',
      );
    }
  }

  status(): WriterStatus {
    return {
      bufferedSamples: this.samples.size + this.inFlight.samples,
      bufferedEvents: this.events.length + this.inFlight.events,
      bufferedSnapshots: this.snapshots.length + this.inFlight.snapshots,
      droppedSamples: this.droppedSamples,
      droppedSnapshots: this.droppedSnapshots,
      storeReachable: this.reachable,
      ...(this.lastFlushAt === undefined ? {} : { lastFlushAt: this.lastFlushAt }),
    };
  }

  private isEmpty(): boolean {
    return this.samples.size + this.snapshots.length + this.events.length === 0;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    const error = await this.runCycle();
    this.schedule(
      error === undefined
        ? this.settings.flushIntervalMs
        : backoffDelay(this.failures, this.settings.backoff),
    );
  }

  /** One flush at a time: a caller arriving during one waits for it. Resolves with its error, if any. */
  private runCycle(): Promise<unknown> {
    if (!this.ready) return Promise.resolve(new Error('the history store is not migrated yet'));
    this.cycle ??= this.flushOnce().finally(() => (this.cycle = undefined));
    return this.cycle;
  }

  private async flushOnce(): Promise<unknown> {
    if (this.isEmpty()) return undefined;
    const endTimer = this.metrics?.flushDuration.startTimer();
    this.refreshSeriesCache();
    // What is buffered now; what arrives meanwhile waits for the next cycle.
    const present = {
      events: this.events.length,
      snapshots: this.snapshots.length,
      samples: this.samples.size,
    };
    let client: PoolClient | undefined;
    let failure: unknown;
    try {
      this.operation = 'samples';
      client = await this.pool.connect();
      await this.writeEvents(client, present.events);
      await this.writeSnapshots(client, present.snapshots);
      await this.writeSamples(client, present.samples);
    } catch (error) {
      failure = error ?? new Error('unknown store error');
    }
    // A connection that failed may be broken: do not give it back to the pool.
    client?.release(failure === undefined ? undefined : true);
    endTimer?.();
    if (failure === undefined) this.succeeded();
    else this.failed(failure);
    return failure;
  }

  private async writeEvents(client: PoolClient, count: number): Promise<void> {
    this.operation = 'events';
    for (let left = count; left > 0 && this.events.length > 0;) {
      const batch = this.events.take(this.settings.batchMaxRows);
      left -= batch.length;
      this.inFlight.events = batch.length;
      try {
        const interrupted = await writeIsolatingRejects(
          batch.length,
          async (lo, hi) => {
            const part = batch.slice(lo, hi);
            const times = part.map((e) => e.time);
            storableTimes('event', times);
            await this.ensureDays(client, 'events', times);
            this.operation = 'events';
            await insertEvents(client, `[${part.map((e) => e.json).join(',')}]`);
          },
          (i, error) => this.deadLetter.setAside(client, 'events', batch[i]?.json ?? 'null', error),
          isTransientStoreError,
        );
        if (interrupted) {
          this.events.putBack(batch.slice(interrupted.resumeAt));
          throw interrupted.error;
        }
      } finally {
        this.inFlight.events = 0;
      }
    }
  }

  private async writeSnapshots(client: PoolClient, count: number): Promise<void> {
    this.operation = 'snapshots';
    const record = (s: QueuedSnapshot) => ({ target: s.target, kind: s.kind, ms: s.time, rows: s.rows });
    for (let left = count; left > 0 && this.snapshots.length > 0;) {
      const batch = this.snapshots.take(Math.min(this.settings.batchMaxRows, SNAPSHOT_ROWS_A_STATEMENT));
      left -= batch.length;
      this.inFlight.snapshots = batch.length;
      try {
        const interrupted = await writeIsolatingRejects(
          batch.length,
          async (lo, hi) => {
            const part = batch.slice(lo, hi);
            const times = part.map((s) => s.time);
            storableTimes('snapshot', times);
            await this.ensureDays(client, 'snapshots', times);
            this.operation = 'snapshots';
            await insertSnapshots(client, storableJson(part.map(record)));
          },
          (i, error) =>
            this.deadLetter.setAside(
              client,
              'snapshots',
              storableJson(record(batch[i] as QueuedSnapshot)),
              error,
            ),
          isTransientStoreError,
        );
        if (interrupted) {
          const evicted = this.snapshots.putBack(batch.slice(interrupted.resumeAt));
          if (evicted.length > 0) this.droppedSnapshotsCounted(evicted.length);
          throw interrupted.error;
        }
      } finally {
        this.inFlight.snapshots = 0;
      }
    }
  }

  private async writeSamples(client: PoolClient, count: number): Promise<void> {
    this.operation = 'samples';
    for (let left = count; left > 0 && this.samples.size > 0;) {
      const batch = this.samples.take(Math.min(left, this.settings.batchMaxRows));
      left -= batch.length;
      this.inFlight.samples = batch.length;
      try {
        const interrupted = await writeIsolatingRejects(
          batch.length,
          (lo, hi) => this.insertSampleBatch(client, sliceSamples(batch, lo, hi)),
          (i, error) => this.deadLetter.setAside(client, 'samples', this.sampleJson(batch, i), error),
          isTransientStoreError,
        );
        if (interrupted) {
          const dropped = this.samples.putBack(sliceSamples(batch, interrupted.resumeAt, batch.length));
          if (dropped > 0) this.droppedSamplesCounted(dropped);
          throw interrupted.error;
        }
      } finally {
        this.inFlight.samples = 0;
      }
    }
  }

  private async insertSampleBatch(client: PoolClient, batch: SampleBatch): Promise<void> {
    storableTimes('sample', batch.times);
    await this.ensureDays(client, 'samples', batch.times);
    this.operation = 'series';
    const ids = await resolveSeries(client, this.series, batch.series);
    this.operation = 'samples';
    await insertSamples(client, ids, batch.times, batch.values);
  }

  /** One sample as the dead letter keeps it: its series spelled out. */
  private sampleJson(batch: SampleBatch, i: number): string {
    const key = this.series.key(batch.series[i] as number);
    return storableJson({
      target: key.target,
      metric: key.metric,
      labels: JSON.parse(key.labels) as unknown,
      ms: batch.times[i],
      value: batch.values[i],
    });
  }

  /** Makes the partitions of the days a batch falls on, unless this writer already did. */
  private async ensureDays(
    client: PoolClient,
    table: PartitionedTable,
    times: Iterable<number>,
  ): Promise<void> {
    const days = new Set<string>();
    let lastDay = NaN;
    for (const time of times) {
      const dayNumber = Math.floor(time / DAY_MS);
      if (dayNumber === lastDay) continue; // batches are mostly one day: skip the string work
      lastDay = dayNumber;
      const day = utcDay(time);
      if (!this.knownPartitions.has(`${table}:${day}`)) days.add(day);
    }
    if (days.size === 0) return;
    this.operation = 'partitions';
    await ensurePartitions(client, table, [...days]);
    for (const day of days) this.knownPartitions.add(`${table}:${day}`);
  }

  /**
   * Once a day: resolve every series again (which refreshes its seen_at, so retention keeps it),
   * and when no buffered sample refers to the local numbers, forget them all (bounds the memory
   * of series that are not written any more).
   */
  private refreshSeriesCache(): void {
    const day = Math.floor(Date.now() / DAY_MS);
    if (day === this.seriesDay) return;
    this.seriesDay = day;
    if (this.samples.size === 0) this.series.clear();
    else this.series.forgetStoreIds();
  }

  private succeeded(): void {
    if (!this.reachable) this.log.info({ ...this.status() }, 'history store reachable again');
    this.reachable = true;
    this.failures = 0;
    this.warnedOverflow = false;
    this.lastFlushAt = Date.now();
  }

  private failed(error: unknown): void {
    this.failures++;
    this.metrics?.writeErrors.inc({ operation: this.operation });
    // A partition we thought existed is gone (retention of an old day): make it again next time.
    if (sqlState(error) === '23514') this.knownPartitions.clear();
    const details = { err: error, operation: this.operation, failures: this.failures, ...this.status() };
    if (this.reachable) this.log.warn(details, 'history store write failed: buffering and retrying');
    else this.log.debug(details, 'history store still unreachable');
    this.reachable = false;
  }

  private droppedSamplesCounted(n: number, overflow = true): void {
    this.droppedSamples += n;
    this.metrics?.droppedSamples.inc(n);
    if (overflow && !this.warnedOverflow) {
      this.warnedOverflow = true;
      this.log.warn(
        { bufferMaxSamples: this.settings.bufferMaxSamples },
        'history buffer full: dropping the oldest samples until the store is back',
      );
    }
  }

  private droppedSnapshotsCounted(n: number): void {
    this.droppedSnapshots += n;
    this.metrics?.droppedSnapshots.inc(n);
  }
}
