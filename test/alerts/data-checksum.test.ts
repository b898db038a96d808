import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AlertState, dedupeKey, dueSeverities, evaluateAlerts } from '../../backend/src/alerts/evaluator';
import { Series } from '../../backend/src/alerts/expr/vector';
import { effectiveRules } from '../../backend/src/alerts/rules';
import { WindowStore } from '../../backend/src/alerts/windows';
import { databaseStatsCollector } from '../../backend/src/collectors/database-stats';
import { CollectResult } from '../../backend/src/collectors/types';
import { eventually } from '../support/backend-process';
import { collectOnce, valueOf } from '../support/collect';
import { NEWEST_MAJOR, startPostgres, TestPostgres } from '../support/postgres';

/**
 * PgDataChecksumFailure (pgmonitor PGDataChecksum) on real corruption: a PostgreSQL 18 server
 * (initdb turns data checksums on by default from 18) is stopped, one byte of a table's page is
 * changed on disk, and the server started again. Reading the table fails on the checksum,
 * database_stats exports the failure in pg_database_checksum_failures_total, and the catalog's
 * rule, run through the backend's evaluator over the readings before and after, fires critical for
 * that database. (The rule's timing, window and `for`, is promtool's and fixtures.test.ts's.)
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

  // Tuples fill a page from its end: flip a byte of the last row's data, with the server down.
  await pg.stop();
  const relation = path.join(pg.server.dataDir, file);
  const bytes = readFileSync(relation);
  bytes[8100] = (bytes[8100] ?? 0) ^ 0xff;
  writeFileSync(relation, bytes);
  await pg.start();

  await expect(pg.query('SELECT count(*) FROM corrupt_me')).rejects.toThrow(/invalid page in block 0/);
  const after = await eventually(
    async () => {
      const result = await collectOnce(pg.superuserUrl, databaseStatsCollector);
      return (valueOf(result, 'pg_database_checksum_failures_total', { datname: 'postgres' }) ?? 0) > 0
        ? result
        : undefined;
    },
    30_000,
    'the checksum failure counted in pg_stat_database',
  );
  expect(valueOf(after, 'pg_database_checksum_failures_total', { datname: 'postgres' })).toBe(1);

  const rule = effectiveRules().find((r) => r.definition.id === 'data_checksum_failure');
  if (!rule) throw new Error('data_checksum_failure is not in the alert catalog');
  const windows = new WindowStore([rule], { minSpacingMs: 0, maxSeriesPerTarget: 1000 });
  let state: AlertState = new Map();
  const start = Date.UTC(2024, 0, 1);
  // One evaluation a minute, as the rule files run: the reading before, then the one after.
  for (const [minute, result] of [before, after].entries()) {
    const now = start + minute * 60_000;
    const samples = samplesOf(result);
    windows.record(samples, now);
    state = evaluateAlerts({ rules: [rule], samples, windows, state, now }).state;
  }
  const now = start + 60_000;
  const firing = (datname: string) => {
    const instance = state.get(dedupeKey(rule, { target: TARGET, datname }));
    return instance ? dueSeverities(rule, instance.holdingSince, now) : [];
  };
  expect(firing('postgres')).toEqual(['critical']);
  // Only that database: no other instance of the alert.
  expect([...state.keys()]).toEqual([dedupeKey(rule, { target: TARGET, datname: 'postgres' })]);
});
