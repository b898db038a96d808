import pino, { Logger } from 'pino';
import { Pool } from 'pg';
import { Registry } from 'prom-client';
import { loadConfig } from '../../backend/src/config/load';
import { Config } from '../../backend/src/config/schema';
import { Observation } from '../../backend/src/collectors/types';
import { HistoryReader, SeriesQuery } from '../../backend/src/store';
import { seriesPoints } from '../../backend/src/store/reader';
import { MinuteRollup, RollupRun } from '../../backend/src/store/rollup';
import { TestPostgres } from '../support/postgres';

/** Helpers of the history store tests (test/store/*.test.ts). */

/** The backend's configuration for a store at url; env: PGG_STORE__* overrides. */
export function storeConfig(url: string, env: Record<string, string> = {}): Config {
  return loadConfig({ env: { PGG_STORE_URL: url, ...env } }).config;
}

/** A logger whose JSON lines the test can read. */
export function capturedLog(): { log: Logger; lines: { msg?: string; [key: string]: unknown }[] } {
  const lines: { msg?: string }[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, lines };
}

export const quietLog = () => pino({ level: 'silent' });
export const registry = () => new Registry();

/** A fresh database on the test server; returns its URL. */
export async function createDatabase(pg: TestPostgres, name: string): Promise<string> {
  await pg.query(`CREATE DATABASE ${name}`);
  return pg.url(name);
}

/** A pool for the test's own checks; the server may stop under it (outage tests, teardown). */
export function poolFor(url: string): Pool {
  const pool = new Pool({ connectionString: url, max: 2 });
  // pool.end() resolves before its connections are closed: one may still hear the server stop.
  pool.on('error', () => undefined);
  return pool;
}

/** An observation of one target's gauge-like samples at a time. */
export function observation(
  target: string,
  time: number,
  samples: Observation['samples'],
  snapshots: Observation['snapshots'] = [],
): Observation {
  return { target, collector: 'test', loop: 'hot', time, samples, snapshots };
}

/** Start of the UTC hour of `now` minus `hours` (aligned: buckets of a minute or 15 s line up). */
export function hourAgo(hours: number, now = Date.now()): number {
  return Math.floor(now / 3_600_000) * 3_600_000 - hours * 3_600_000;
}

/**
 * The day the store tests pin their clocks to (UTC, in the past: every batch is late for the
 * store's own clock, as a backlog is), so that no test depends on when it runs.
 */
export const PINNED_DAY = Date.UTC(2024, 1, 29);
/** Every hour of a day, as the hours the time-dependent store tests run at. */
export const HOURS_OF_A_DAY = Array.from({ length: 24 }, (_, hour) => hour);

/** hh:mm UTC on the pinned day (43 minutes past: the hour of the issue's 02:43 failure). */
export function pinnedAt(hour: number, minute = 43): number {
  return PINNED_DAY + hour * 3_600_000 + minute * 60_000;
}

/** "hh:mm UTC" of a pinned time, for test titles. */
export const hhmm = (ms: number) => `${new Date(ms).toISOString().slice(11, 16)} UTC`;

export async function pgStoreMetric(registry: Registry, name: string): Promise<number | undefined> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  return metric?.values[0]?.value;
}

/** A series read with its buckets as [time, value] pairs (the store returns them as JSON text). */
export async function readSeries(
  reader: HistoryReader,
  query: SeriesQuery,
): Promise<{ target: string; labels: Record<string, string>; points: [number, number | null][] }[]> {
  return (await reader.series(query)).map((r) => ({
    target: r.target,
    labels: r.labels,
    points: seriesPoints(r),
  }));
}

/** Runs a rollup job until a run was not skipped (the store's own job may be under way): then it is done. */
export async function caughtUp(rollup: MinuteRollup): Promise<RollupRun> {
  for (;;) {
    const run = await rollup.runOnce();
    if (run === undefined) throw new Error('the rollup job failed');
    if (!run.skipped) return run;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
