import { openStore } from '../../backend/src/store';
import { migrate } from '../../backend/src/store/migrate';
import { readMigrations } from '../../backend/src/store/migration-files';
import { startPostgres, TestPostgres } from '../support/postgres';
import {
  capturedLog,
  createDatabase,
  hourAgo,
  observation,
  poolFor,
  quietLog,
  registry,
  storeConfig,
} from './store-kit';

let pg: TestPostgres;
beforeAll(async () => {
  pg = await startPostgres();
});
afterAll(async () => {
  await pg?.destroy();
});

const migrationNames = readMigrations().map((m) => m.name);

describe('store migrations', () => {
  it('apply once: a second run changes nothing', async () => {
    const pool = poolFor(await createDatabase(pg, 'twice'));
    try {
      expect(await migrate(pool, quietLog())).toEqual(migrationNames);
      expect(await migrate(pool, quietLog())).toEqual([]);
      const applied = await pool.query('SELECT version, name FROM store_migrations ORDER BY version');
      expect(applied.rows.map((r) => r.name)).toEqual(migrationNames);
      const tables = await pool.query(
        `SELECT relname, relkind FROM pg_class WHERE relname IN ('series', 'samples', 'snapshots', 'events') ORDER BY relname`,
      );
      expect(tables.rows).toEqual([
        { relname: 'events', relkind: 'p' },
        { relname: 'samples', relkind: 'p' },
        { relname: 'series', relkind: 'r' },
        { relname: 'snapshots', relkind: 'p' },
      ]);
    } finally {
      await pool.end();
    }
  });

  it('run one after the other when two backends migrate at once', async () => {
    const url = await createDatabase(pg, 'racing');
    const pools = [poolFor(url), poolFor(url)];
    try {
      const results = await Promise.all(pools.map((pool) => migrate(pool, quietLog())));
      // One applied everything, the other waited for the lock and found nothing to do.
      expect(results.map((r) => r.length).sort()).toEqual([0, migrationNames.length]);
      const applied = await pools[0]!.query('SELECT count(*)::int AS n FROM store_migrations');
      expect(applied.rows[0].n).toBe(migrationNames.length);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('two stores opened together on one URL migrate once, and both write and read', async () => {
    const url = await createDatabase(pg, 'replicas');
    const logs = [capturedLog(), capturedLog()];
    const stores = await Promise.all(logs.map(({ log }) => openStore(storeConfig(url), log, registry())));
    try {
      const applied = logs.flatMap(({ lines }) => lines.filter((l) => l.msg === 'store migration applied'));
      expect(applied.map((l) => l.migration).sort()).toEqual(migrationNames);

      const time = hourAgo(1);
      stores.forEach((store, i) =>
        store.writer.write(observation(`replica${i}`, time, [{ metric: 'pg_up', labels: {}, value: 1 }])),
      );
      await Promise.all(stores.map((s) => s.writer.flush()));
      for (const store of stores) {
        expect(await store.reader.labelValues('target')).toEqual(['replica0', 'replica1']);
      }
    } finally {
      await Promise.all(stores.map((s) => s.stop()));
    }
  });
});
