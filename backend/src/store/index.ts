import { Logger } from 'pino';
import { Registry } from 'prom-client';
import { Config } from '../config/schema';
import { EmbeddedPostgres } from '../embedded/postgres-server';
import { backoffSettings } from '../config/backoff';
import { BackoffSettings, backoffDelay } from '../lib/backoff';
import { startEmbeddedStore } from './embedded-store';
import { StoreMaintenance } from './maintenance';
import { ModeOverrideStore, StoredModeOverrides } from './governor-modes';
import { migrate } from './migrate';
import { StoreReader } from './reader';
import { ClosedBucketCache } from './closed-buckets';
import { MinuteRollup } from './rollup';
import { createStoreMetrics } from './store-metrics';
import { createStorePool } from './store-pool';
import { isTransientStoreError } from './transient-error';
import { HistoryReader, HistoryWriter } from './types';
import { StoredReplicaAlerts } from './replica-alerts';
import { StoredTargetFindings } from './target-findings';
import { StoredTargetStatus } from './target-status';
import { StoreWriter } from './writer';

export type * from './types';
export type { ModeOverride, ModeOverrideStore } from './governor-modes';
export type { SharedTargetStatus } from './target-status';
export type { SharedTargetFindings } from './target-findings';
export type { ReplicaAlerts } from './replica-alerts';

/** The parts of the configuration the store reads. */
export type StoreConfig = Pick<Config, 'store' | 'embedded' | 'reconnect'>;

export interface HistoryStore {
  reader: HistoryReader;
  writer: HistoryWriter;
  /** The governor modes operators set through the API (governor_modes), written durably. */
  modeOverrides: ModeOverrideStore;
  /** What each owner sees of its targets (target_status): the fleet's overview from any replica. */
  targetStatus: StoredTargetStatus;
  /** Each replica's active alerts (replica_alerts): the fleet's alerts from any replica. */
  replicaAlerts: StoredReplicaAlerts;
  /** Each target's findings as its owner holds them (target_findings): the fleet's from any replica. */
  targetFindings: StoredTargetFindings;
  /**
   * Where the store is (the target ownership opens its own connection there), and whether it is
   * embedded: then it is this process's alone.
   */
  location: { url: string; embedded: boolean };
  /** Resolves once the store is migrated and written to (at once, unless it was unreachable at start). */
  ready: Promise<void>;
  /** Flushes what it can, closes the connections and stops the embedded server. */
  stop(): Promise<void>;
}

export interface StoreOptions {
  /** A fixed "now" for partition upkeep and the rollup job (tests pinning the hour); default the real clocks. */
  clock?: () => number;
}

/**
 * Opens the history store: the one at store.url, or an embedded PostgreSQL under
 * embedded.data_dir/store; migrates it, keeps its partitions (hourly) and its minute rollups (every
 * minute; unref'd timers), and starts the background writer. Self-metrics (pgg_store_*) go on the
 * given registry.
 *
 * An unreachable store at start does not fail the backend: the writer buffers (within its
 * bounds) and the store is retried with backoff until it answers; reads fail meanwhile. A store
 * that answers but cannot be migrated, or an embedded server that cannot start, does throw.
 */
export async function openStore(
  config: StoreConfig,
  log: Logger,
  registry: Registry,
  options: StoreOptions = {},
): Promise<HistoryStore> {
  const storeLog = log.child({ component: 'store' });
  let embedded: EmbeddedPostgres | undefined;
  let url = config.store.url;
  if (!url) {
    const store = await startEmbeddedStore(config.embedded, storeLog);
    embedded = store.server;
    url = store.url;
  }
  const pool = createStorePool(url, config.store.pool_max, storeLog);
  const backoff = backoffSettings(config.reconnect);
  const maintenance = new StoreMaintenance(
    pool,
    config.store.retention_days,
    storeLog,
    undefined,
    options.clock,
  );
  const rollup = new MinuteRollup(pool, storeLog, undefined, options.clock);
  const readCache =
    config.store.read_cache_mb > 0
      ? new ClosedBucketCache(config.store.read_cache_mb * 1024 * 1024)
      : undefined;
  // The gauges read the writer's, the rollups' and the reads' cache status (at scrape time); the
  // writer counts into the counters.
  const metrics = createStoreMetrics(
    registry,
    () => writer.status(),
    () => rollup.rolledUntil(),
    () => readCache,
  );
  const writer = new StoreWriter(
    pool,
    {
      flushIntervalMs: config.store.flush_interval_ms,
      batchMaxRows: config.store.batch_max_rows,
      bufferMaxSamples: config.store.buffer_max_samples,
      bufferMaxSnapshotRows: config.store.buffer_max_snapshot_rows,
      backoff,
    },
    storeLog,
    metrics,
  );

  let stopped = false;
  const prepare = async () => {
    await migrate(pool, storeLog);
    await maintenance.runOnce();
    maintenance.start();
    writer.start();
    void rollup.runOnce();
    rollup.start();
  };
  const release = async () => {
    await pool.end().catch(() => undefined);
    await embedded?.stop();
  };

  let ready: Promise<void>;
  try {
    await prepare();
    ready = Promise.resolve();
  } catch (error) {
    if (!isTransientStoreError(error)) {
      await release();
      throw error;
    }
    storeLog.warn({ err: error }, 'history store unreachable at start: buffering and retrying');
    writer.markUnreachable();
    ready = retryUntilReady(prepare, backoff, storeLog, () => stopped);
    ready.catch(() => undefined); // rejects only if stopped first; awaiting it is optional
  }

  return {
    reader: new StoreReader(pool, {
      minuteRollups: true,
      ...(readCache ? { closedBuckets: readCache } : {}),
    }),
    writer,
    modeOverrides: new StoredModeOverrides(pool),
    targetStatus: new StoredTargetStatus(pool),
    replicaAlerts: new StoredReplicaAlerts(pool),
    targetFindings: new StoredTargetFindings(pool),
    location: { url, embedded: embedded !== undefined },
    ready,
    async stop() {
      stopped = true;
      await maintenance.stop();
      await rollup.stop();
      await writer.stop();
      await release();
    },
  };
}

/** Retries the start with backoff; rejects only when the store is closed first. */
async function retryUntilReady(
  prepare: () => Promise<void>,
  backoff: BackoffSettings,
  log: Logger,
  stopped: () => boolean,
): Promise<void> {
  for (let failures = 1; ; failures++) {
    await new Promise((resolve) => setTimeout(resolve, backoffDelay(failures, backoff)).unref());
    if (stopped()) throw new Error('history store closed before it was reached');
    try {
      await prepare();
      log.info('history store reached and migrated');
      return;
    } catch (error) {
      if (isTransientStoreError(error)) log.debug({ err: error }, 'history store still unreachable');
      else log.warn({ err: error }, 'history store reached but could not be prepared; retrying');
    }
  }
}
