import pino from 'pino';
import { Registry } from 'prom-client';
import { ioStatsCollector, IO_STATS_MIN_MAJOR } from '../../backend/src/collectors/io-stats';
import { LatestObservations } from '../../backend/src/collectors/latest-observations';
import { ObservationBus } from '../../backend/src/collectors/observation-bus';
import { CollectResult } from '../../backend/src/collectors/types';
import { loadConfig, targetWithDefaults } from '../../backend/src/config/load';
import { TargetMonitor } from '../../backend/src/db/target-monitor';
import { createCollectorMetrics } from '../../backend/src/scheduler/collector-metrics';
import { LoopRunner } from '../../backend/src/scheduler/loop-runner';
import { eventually } from '../support/backend-process';
import { collectOnce, samplesOf, valueOf } from '../support/collect';
import { majorsUnderTest, startPostgres, TestPostgres } from '../support/postgres';

/**
 * The workload loop's io_stats collector (pg_stat_io, PostgreSQL 16+) on a real server, as a
 * pg_monitor role: run by its loop on 16+ and skipped on 14; on 16+, the counters a staged workload
 * must move (a table written, read, then checkpointed). Autovacuum is off so that nobody but the
 * test does relation I/O.
 */
jest.setTimeout(120_000);

const WATCHER = { user: 'io_watcher', password: 'io-watcher-pw' };
const CLIENT = { backend_type: 'client backend', object: 'relation', context: 'normal' };
const CHECKPOINTER = { backend_type: 'checkpointer', object: 'relation', context: 'normal' };

describe.each(majorsUnderTest())('io_stats collector on PostgreSQL %i', (major) => {
  let pg: TestPostgres;
  const watcherUrl = () => pg.url('postgres', WATCHER.user, WATCHER.password);

  beforeAll(async () => {
    pg = await startPostgres({ major, settings: { autovacuum: 'off' } });
    await pg.createRole(WATCHER.user, { password: WATCHER.password, grants: ['pg_monitor'] });
    // Before 15 every role may create tables in public: the target monitor refuses such a role.
    if (major < 15) await pg.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
  });

  afterAll(async () => {
    await pg?.destroy();
  });

  it(`is run by the workload loop from PostgreSQL ${IO_STATS_MIN_MAJOR}, skipped (not failed) before`, async () => {
    const log = pino({ level: 'silent' });
    const { config } = loadConfig({ env: {} });
    const target = targetWithDefaults(config, { name: 'io', dsn: watcherUrl() });
    const monitor = new TargetMonitor(target, { probeIntervalMs: 60_000, initialMs: 100, maxMs: 1_000 }, log);
    try {
      await monitor.start();
      const server = monitor.status().server;
      expect(server?.major).toBe(major);
      const runs = major >= IO_STATS_MIN_MAJOR;
      expect(server && ioStatsCollector.enabled?.(server)).toBe(runs);
      const runner = new LoopRunner('workload', config.loops.workload, [ioStatsCollector], monitor, {
        bus: new ObservationBus(log),
        latest: new LatestObservations(),
        metrics: createCollectorMetrics(new Registry()),
        log,
        config,
      });
      await runner.tick();
      expect(runner.status().collectors).toEqual([
        expect.objectContaining({ name: 'io_stats', state: runs ? 'ok' : 'skipped' }),
      ]);
      expect(runner.status().consecutiveFailures).toBe(0);
    } finally {
      await monitor.stop();
    }
  });

  if (major < IO_STATS_MIN_MAJOR) {
    it('has no SQL for this major: run anyway, it fails rather than guess', async () => {
      await expect(collectOnce(watcherUrl(), ioStatsCollector)).rejects.toThrow(
        `no io-stats query for PostgreSQL ${major}`,
      );
    });
    return;
  }

  it('counts the extends, hits and writes of a staged workload by backend type and context', async () => {
    const first = await collectOnce(watcherUrl(), ioStatsCollector);
    const counter = (result: CollectResult, metric: string, labels: Record<string, string>) =>
      valueOf(result, `pg_io_${metric}_total`, labels) ?? 0;

    // A session of its own, closed at the end: a backend reports its I/O when it ends at the latest.
    await pg.run(
      'CREATE TABLE io_sink (id int, pad text)',
      "INSERT INTO io_sink SELECT g, repeat('x', 100) FROM generate_series(1, 20000) g",
      'SELECT count(*) FROM io_sink',
    );
    const [table] = await pg.query<{ pages: number }>(
      "SELECT pg_relation_size('io_sink')::float8 / current_setting('block_size')::int AS pages",
    );
    const pages = table?.pages ?? 0;
    expect(pages).toBeGreaterThan(200);
    await pg.query('CHECKPOINT');

    const second = await eventually(
      async () => {
        const result = await collectOnce(watcherUrl(), ioStatsCollector);
        const grew = (metric: string, labels: Record<string, string>, by: number) =>
          counter(result, metric, labels) - counter(first, metric, labels) >= by;
        // The checkpointer writes what the inserts dirtied (the background writer may take a few
        // first); it syncs nothing here: the harness runs with fsync off.
        return grew('extends', CLIENT, 1) &&
          grew('extend_bytes', CLIENT, pages * 8192) &&
          grew('hits', CLIENT, pages) &&
          grew('writes', CHECKPOINTER, 1)
          ? result
          : undefined;
      },
      20_000,
      "the workload's I/O in pg_stat_io",
    );

    // Bytes: count x block size on 16 and 17; 18 counts bytes itself (an operation may span blocks).
    const written =
      counter(second, 'write_bytes', CHECKPOINTER) - counter(first, 'write_bytes', CHECKPOINTER);
    const writes = counter(second, 'writes', CHECKPOINTER) - counter(first, 'writes', CHECKPOINTER);
    if (major < 18) expect(written).toBe(writes * 8192);
    else expect(written).toBeGreaterThanOrEqual(writes * 8192);
    // The harness turns track_io_timing on: times are there, and never negative.
    expect(valueOf(second, 'pg_io_write_time_seconds_total', CHECKPOINTER)).toBeGreaterThanOrEqual(0);
    expect(valueOf(second, 'pg_io_fsync_time_seconds_total', CHECKPOINTER)).toBeGreaterThanOrEqual(0);
    // An operation that cannot happen in a row gives no sample: the checkpointer never reads.
    expect(valueOf(second, 'pg_io_reads_total', CHECKPOINTER)).toBeUndefined();
  });

  it('labels by backend type, object and context only, and leaves WAL I/O to the wal collector', async () => {
    const counting = async () =>
      (
        await pg.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_io WHERE object <> 'wal' AND coalesce(reads, 0) + coalesce(hits, 0) + coalesce(writes, 0) + coalesce(extends, 0) + coalesce(evictions, 0) + coalesce(reuses, 0) + coalesce(writebacks, 0) + coalesce(fsyncs, 0) > 0",
        )
      )[0]?.n ?? -1;
    const before = await counting();
    const result = await collectOnce(watcherUrl(), ioStatsCollector);
    const after = await counting();

    const labelNames = new Set(result.samples.flatMap((s) => Object.keys(s.labels)));
    expect([...labelNames].sort()).toEqual(['backend_type', 'context', 'object']);
    const objects = new Set(result.samples.map((s) => s.labels.object));
    expect(objects.has('relation')).toBe(true);
    expect(objects.has('wal')).toBe(false);
    const exported = new Set(
      samplesOf(result, 'pg_io_hits_total')
        .concat(samplesOf(result, 'pg_io_writes_total'))
        .map((s) => `${s.labels.backend_type}/${s.labels.object}/${s.labels.context}`),
    );
    // Every row that counted something (rows that counted nothing are left out; other processes
    // may report their first I/O in between).
    expect(exported.size).toBeGreaterThanOrEqual(before);
    expect(exported.size).toBeLessThanOrEqual(after);
  });
});
