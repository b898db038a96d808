import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { WriterStatus } from './types';

export type StoreOperation = 'samples' | 'snapshots' | 'events' | 'series' | 'partitions';

/** What the writer counts as it goes; the gauges read its status at scrape time. */
export interface StoreMetrics {
  droppedSamples: Counter;
  droppedSnapshots: Counter;
  writeErrors: Counter<'operation'>;
  flushDuration: Histogram;
  /** Rows the store refused as data, set aside in dead_letter (the rest of their batch written). */
  rejectedRows: Counter<'kind'>;
}

/** What the reads' cache of rolled-up buckets holds (store/closed-buckets), read at scrape time. */
export interface ReadCacheStatus {
  bytes: number;
  hits: number;
}

export function createStoreMetrics(
  registry: Registry,
  status: () => WriterStatus,
  rolledUntil: () => number | undefined = () => undefined,
  readCache: () => ReadCacheStatus | undefined = () => undefined,
): StoreMetrics {
  const registers = [registry];
  new Gauge({
    name: 'pgg_store_read_cache_bytes',
    help: 'Memory the rolled-up buckets held between panel reads take, about (bounded by store.read_cache_mb)',
    registers,
    collect() {
      this.set(readCache()?.bytes ?? 0);
    },
  });
  let hitsSeen = 0;
  new Counter({
    name: 'pgg_store_read_cache_hits_total',
    help: 'Panel reads that took held rolled-up buckets instead of reading them from the store again',
    registers,
    collect() {
      const hits = readCache()?.hits ?? 0;
      if (hits > hitsSeen) this.inc(hits - hitsSeen);
      hitsSeen = hits;
    },
  });
  new Gauge({
    name: 'pgg_store_rollup_lag_seconds',
    help: 'How far behind now the minute rollups end (normally ~3 minutes; panels stay exact, reading samples beyond)',
    registers,
    collect() {
      const until = rolledUntil();
      if (until === undefined) this.reset();
      else this.set(Math.max(0, (Date.now() - until) / 1000));
    },
  });
  new Gauge({
    name: 'pgg_store_buffered_samples',
    help: 'Samples waiting in memory for the history store',
    registers,
    collect() {
      this.set(status().bufferedSamples);
    },
  });
  new Gauge({
    name: 'pgg_store_buffered_events',
    help: 'Events waiting in memory for the history store (never dropped for space)',
    registers,
    collect() {
      this.set(status().bufferedEvents);
    },
  });
  new Gauge({
    name: 'pgg_store_buffered_snapshots',
    help: 'Snapshots waiting in memory for the history store',
    registers,
    collect() {
      this.set(status().bufferedSnapshots ?? 0);
    },
  });
  new Gauge({
    name: 'pgg_store_reachable',
    help: 'Whether the last write to the history store succeeded (1) or not (0)',
    registers,
    collect() {
      this.set(status().storeReachable ? 1 : 0);
    },
  });
  return {
    droppedSamples: new Counter({
      name: 'pgg_store_dropped_samples_total',
      help: 'Samples dropped: the oldest, when the buffer was full during a store outage, or rejected by the store',
      registers,
    }),
    droppedSnapshots: new Counter({
      name: 'pgg_store_dropped_snapshots_total',
      help: 'Snapshots dropped: the oldest, when the buffer was full during a store outage, or rejected by the store',
      registers,
    }),
    writeErrors: new Counter({
      name: 'pgg_store_write_errors_total',
      help: 'Failed writes to the history store, by what was written',
      labelNames: ['operation'],
      registers,
    }),
    rejectedRows: new Counter({
      name: 'pgg_store_rejected_rows_total',
      help: 'Rows the history store refused as data (samples, snapshots, events): set aside in its dead_letter table, the rest of their batch written',
      labelNames: ['kind'],
      registers,
    }),
    flushDuration: new Histogram({
      name: 'pgg_store_flush_duration_seconds',
      help: 'Time of one flush of the buffered samples, snapshots and events to the history store',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
  };
}
