import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AlertState, dedupeKey, dueSeverities, evaluateAlerts } from '../../backend/src/alerts/evaluator';
import { Series } from '../../backend/src/alerts/expr/vector';
import { effectiveRules } from '../../backend/src/alerts/rules';
import { WindowStore } from '../../backend/src/alerts/windows';
import { SHARED_CATALOGS_DATNAME } from '../../backend/src/catalog/alerts/data-checksums';
import { SHARED_CATALOG_CHECKSUM_FAILURES } from '../../backend/src/catalog/collectors/shared-catalog-checksums';
import { databaseStatsCollector } from '../../backend/src/collectors/database-stats';
import { sharedCatalogChecksumsCollector } from '../../backend/src/collectors/shared-catalog-checksums';
import { Collector, CollectResult } from '../../backend/src/collectors/types';
import { eventually } from '../support/backend-process';
import { collectOnce, valueOf } from '../support/collect';
import { NEWEST_MAJOR, startPostgres, TestPostgres } from '../support/postgres';

/**
 * PgDataChecksumFailure (pgmonitor PGDataChecksum) on real corruption: a PostgreSQL 18 server
 * (initdb turns data checksums on by default from 18) is stopped, one byte of a table's page is
 * changed on disk, and the server started again. Reading the table fails on the checksum,
 * database_stats exports the failure in pg_database_checksum_failures_total, and the catalog's
 * rule, run through the backend's evaluator over the readings before and after, fires critical for
 * that database; the same for a page of a shared catalog, counted apart. (The rule's timing, window and `for`, is promtool's and fixtures.test.ts's.)
 */
jest.setTimeout(120_000);

const TARGET = 'shop-db';
let pg: TestPostgres;

beforeAll(async () => {
  pg = await startPostgres({ major: NEWEST_MAJOR });
});

afterAll(async () => {
  await pg?.destroy();
});

/** A cycle's samples as the alert engine sees them: with the target label. */
function samplesOf(result: CollectResult): Map<string, Series[]> {
  const samples = new Map<string, Series[]>();
  for (const s of result.samples) {
    const list = samples.get(s.metric) ?? [];
    list.push({ labels: { target: TARGET, ...s.labels }, value: s.value });
    samples.set(s.metric, list);
  }
  return samples;
}

/** Flips one byte of the first page of a relation file (tuples fill a page from its end), server down. */
async function corrupt(file: string): Promise<void> {
  await pg.stop();
  const relation = path.join(pg.server.dataDir, file);
  const bytes = readFileSync(relation);
  bytes[8100] = (bytes[8100] ?? 0) ^ 0xff;
  writeFileSync(relation, bytes);
  await pg.start();
}

/** A cycle of `collector` once its `metric` counts a failure. */
function failureCounted(collector: Collector, metric: string, labels: Record<string, string>) {
  return eventually(
    async () => {
      const result = await collectOnce(pg.superuserUrl, collector);
      return (valueOf(result, metric, labels) ?? 0) > 0 ? result : undefined;
    },
    30_000,
    'the checksum failure counted in pg_stat_database',
  );
}

/**
 * The catalog's rule run through the backend's evaluator over two readings a minute apart, as the
 * rule files run it: the severities due per datname, and every instance's datname.
 */
function evaluate(before: CollectResult, after: CollectResult) {
  const rule = effectiveRules().find((r) => r.definition.id === 'data_checksum_failure');
  if (!rule) throw new Error('data_checksum_failure is not in the alert catalog');
  const windows = new WindowStore([rule], { minSpacingMs: 0, maxSeriesPerTarget: 1000 });
  let state: AlertState = new Map();
  const start = Date.UTC(2024, 0, 1);
  for (const [minute, result] of [before, after].entries()) {
    const now = start + minute * 60_000;
    const samples = samplesOf(result);
    windows.record(samples, now);
    state = evaluateAlerts({ rules: [rule], samples, windows, state, now }).state;
  }
  const now = start + 60_000;
  return {
    firing: (datname: string) => {
      const instance = state.get(dedupeKey(rule, { target: TARGET, datname }));
      return instance ? dueSeverities(rule, instance.holdingSince, now) : [];
    },
    keys: [...state.keys()],
    key: (datname: string) => dedupeKey(rule, { target: TARGET, datname }),
  };
}

it('fires critical for the database whose page failed its checksum', async () => {
  expect((await pg.query('SHOW data_checksums'))[0]?.data_checksums).toBe('on');
  await pg.query('CREATE TABLE corrupt_me (id int, note text)');
  await pg.query("INSERT INTO corrupt_me SELECT g, repeat('x', 50) FROM generate_series(1, 20) g");
  await pg.query('CHECKPOINT');
  const [{ file } = { file: '' }] = await pg.query<{ file: string }>(
    "SELECT pg_relation_filepath('corrupt_me') AS file",
  );
  const before = await collectOnce(pg.superuserUrl, databaseStatsCollector);
  expect(valueOf(before, 'pg_database_checksum_failures_total', { datname: 'postgres' })).toBe(0);

  await corrupt(file);
  await expect(pg.query('SELECT count(*) FROM corrupt_me')).rejects.toThrow(/invalid page in block 0/);
  const after = await failureCounted(databaseStatsCollector, 'pg_database_checksum_failures_total', {
    datname: 'postgres',
  });
  expect(valueOf(after, 'pg_database_checksum_failures_total', { datname: 'postgres' })).toBe(1);

  const alert = evaluate(before, after);
  expect(alert.firing('postgres')).toEqual(['critical']);
  // Only that database: no other instance of the alert.
  expect(alert.keys).toEqual([alert.key('postgres')]);
});

/**
 * A page of a shared catalog (pg_shdescription, the comments on databases: nothing reads it at
 * connection, so the server still starts and logs in) fails its checksum: pg_stat_database counts it
 * on its row of datid 0, which has no database name; the alert names it "(shared catalogs)".
 */
it('fires critical for the shared catalogs when a page of one fails its checksum', async () => {
  await pg.query("COMMENT ON DATABASE postgres IS 'the page this test damages'");
  await pg.query('CHECKPOINT');
  const [{ file } = { file: '' }] = await pg.query<{ file: string }>(
    "SELECT pg_relation_filepath('pg_shdescription') AS file",
  );
  expect(file).toMatch(/^global\//);
  const before = await collectOnce(pg.superuserUrl, sharedCatalogChecksumsCollector);
  expect(before.samples).toEqual([{ metric: SHARED_CATALOG_CHECKSUM_FAILURES, labels: {}, value: 0 }]);
  const databaseFailures = async () =>
    valueOf(
      await collectOnce(pg.superuserUrl, databaseStatsCollector),
      'pg_database_checksum_failures_total',
      { datname: 'postgres' },
    );
  const databaseFailuresBefore = await databaseFailures();

  await corrupt(file);
  await expect(pg.query('SELECT count(*) FROM pg_shdescription')).rejects.toThrow(/invalid page in block 0/);
  const after = await failureCounted(sharedCatalogChecksumsCollector, SHARED_CATALOG_CHECKSUM_FAILURES, {});
  expect(valueOf(after, SHARED_CATALOG_CHECKSUM_FAILURES, {})).toBe(1);
  // Not a database's: database_stats counts none of it.
  expect(await databaseFailures()).toBe(databaseFailuresBefore);

  const alert = evaluate(before, after);
  expect(alert.firing(SHARED_CATALOGS_DATNAME)).toEqual(['critical']);
  expect(alert.keys).toEqual([alert.key(SHARED_CATALOGS_DATNAME)]);
});
