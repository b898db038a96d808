import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { HistoryStore, openStore } from '../../backend/src/store';
import { readMigrations } from '../../backend/src/store/migration-files';
import { startPostgres, TestPostgres } from '../support/postgres';
import {
  createDatabase,
  observation,
  poolFor,
  quietLog,
  readSeries,
  registry,
  storeConfig,
} from './store-kit';

/**
 * kill -9 of a backend in the middle of writing, then a restart on the same store: migrations
 * find nothing to do, the data is readable, series are not duplicated and keep their ids.
 */
const WRITER = path.join(__dirname, 'continuous-writer.cjs');
const COMPILED_STORE = path.resolve(__dirname, '..', '..', 'backend', 'dist', 'store', 'index.js');

let pg: TestPostgres;
beforeAll(async () => {
  if (!existsSync(COMPILED_STORE)) throw new Error('build the backend first: npx tsc -b backend');
  pg = await startPostgres();
});
afterAll(async () => {
  await pg?.destroy();
});

/** Runs the writer until it has flushed `flushes` times, then SIGKILLs it. */
async function writeThenKill(url: string, flushes: number): Promise<void> {
  const child = spawn(process.execPath, [WRITER, url], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_code, signal) => resolve(signal)),
  );
  const deadline = Date.now() + 30_000;
  while ((stdout.match(/flushed/g) ?? []).length < flushes) {
    if (child.exitCode !== null) throw new Error(`writer exited early:\n${stderr}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`writer did not flush in time:\n${stdout}\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
}

describe('history store after a kill -9 mid-write', () => {
  let store: HistoryStore | undefined;
  afterEach(async () => {
    await store?.stop();
    store = undefined;
  });

  it('reopens clean: migrated once, readable, no duplicate series, same ids', async () => {
    const url = await createDatabase(pg, 'crash');
    // Three crashes in a row: each restart also finds what the previous kill left behind.
    for (let round = 0; round < 3; round++) await writeThenKill(url, 5);
    const pool = poolFor(url);
    try {
      const before = await pool.query('SELECT id, labels FROM series WHERE metric = $1 ORDER BY id', [
        'crash_test',
      ]);
      expect(before.rows).toHaveLength(200);

      store = await openStore(storeConfig(url), quietLog(), registry());
      const migrations = await pool.query('SELECT count(*)::int AS n FROM store_migrations');
      expect(migrations.rows[0].n).toBe(readMigrations().length);

      const [first] = await readSeries(store.reader, {
        metric: 'crash_test',
        type: 'gauge',
        filters: { i: ['0'] },
        from: Date.now() - 60_000, // short enough for 1 ms buckets (at most 100,000 a read)
        to: Date.now(),
        stepMs: 1,
        aggregation: 'last',
      });
      expect(first?.points.length).toBeGreaterThan(0);
      // each value is its own write time: in order, and every value where it belongs
      for (const [time, value] of first?.points ?? []) expect(value).toBe(time);

      // the same series again from the new process: found, not created twice
      store.writer.write(
        observation(
          'crash',
          Date.now(),
          Array.from({ length: 200 }, (_, i) => ({
            metric: 'crash_test',
            labels: { i: String(i) },
            value: -1,
          })),
        ),
      );
      await store.writer.flush();
      const after = await pool.query('SELECT id, labels FROM series WHERE metric = $1 ORDER BY id', [
        'crash_test',
      ]);
      expect(after.rows).toEqual(before.rows);
      const duplicates = await pool.query(
        'SELECT target, metric, labels FROM series GROUP BY 1, 2, 3 HAVING count(*) > 1',
      );
      expect(duplicates.rows).toEqual([]);
    } finally {
      await pool.end();
    }
  });
});
