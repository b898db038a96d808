import { Client } from 'pg';
import { relationsCollector } from '../../backend/src/collectors/relations';
import { CollectResult } from '../../backend/src/collectors/types';
import { unusedIndexesCollector } from '../../backend/src/collectors/unused-indexes';
import { collectOnce, valueOf } from '../support/collect';
import { forEachMajor, startPostgres, TestPostgres } from '../support/postgres';

const rowsOf = (result: CollectResult, kind: string) =>
  result.snapshots?.find((s) => s.kind === kind)?.rows ?? [];

/**
 * A table held in ACCESS EXCLUSIVE mode (LOCK TABLE in an open transaction) and an index being
 * dropped in another: the storage collectors still answer within their lock_timeout, the other
 * relations with exact sizes, the locked ones sized from the catalog (size_exact false).
 */
forEachMajor((major) => {
  let pg: TestPostgres;
  const holders: Client[] = [];
  /** The collector's session as the target pool opens it: with a lock_timeout. */
  const collectorUrl = () => `${pg.url('locks')}?options=${encodeURIComponent('-c lock_timeout=1000')}`;

  async function run(sql: string): Promise<Record<string, unknown>[]> {
    const client = new Client({ connectionString: pg.url('locks') });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  }
  const scalar = async (sql: string) => Number(Object.values((await run(sql))[0] as object)[0]);

  async function holding(statements: string[]): Promise<void> {
    const client = new Client({ connectionString: pg.url('locks') });
    client.on('error', () => undefined);
    await client.connect();
    holders.push(client);
    await client.query('BEGIN');
    for (const sql of statements) await client.query(sql);
  }

  beforeAll(async () => {
    pg = await startPostgres({ major });
    await pg.query('CREATE DATABASE locks');
    for (const name of ['held', 'free', 'dropping']) {
      await run(`CREATE TABLE ${name} (id int PRIMARY KEY, note text)`);
      await run(`INSERT INTO ${name} SELECT g, md5(g::text) FROM generate_series(1, 3000) g`);
      await run(`CREATE INDEX ${name}_note_idx ON ${name} (note)`);
      await run(`VACUUM ANALYZE ${name}`);
    }
    await holding(['LOCK TABLE held IN ACCESS EXCLUSIVE MODE']);
    await holding(['DROP INDEX dropping_note_idx']);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(holders.map((c) => c.end().catch(() => undefined)));
    await pg?.destroy();
  });

  it('relations: every relation has a size; the locked one estimated, the others exact', async () => {
    const result = await collectOnce(collectorUrl(), relationsCollector);
    const labels = (relname: string) => ({ datname: 'locks', schemaname: 'public', relname });
    expect(valueOf(result, 'pg_relation_size_bytes', labels('free'))).toBe(
      await scalar("SELECT pg_total_relation_size('free')"),
    );
    expect(valueOf(result, 'pg_index_size_bytes', { ...labels('free'), indexrelname: 'free_note_idx' })).toBe(
      await scalar("SELECT pg_relation_size('free_note_idx')"),
    );
    // relpages of the heap and its indexes: what the catalog says without opening the table
    const estimate = await scalar(
      `SELECT sum(relpages) * current_setting('block_size')::int FROM pg_class
        WHERE relname IN ('held', 'held_pkey', 'held_note_idx')`,
    );
    expect(valueOf(result, 'pg_relation_size_bytes', labels('held'))).toBe(estimate);
    const storage = rowsOf(result, 'storage');
    expect(storage.find((r) => r.relname === 'held')).toMatchObject({ size_exact: false });
    expect(storage.find((r) => r.relname === 'free')).toMatchObject({ size_exact: true });
    // an index being dropped: its size from relpages
    expect(
      valueOf(result, 'pg_index_size_bytes', { ...labels('dropping'), indexrelname: 'dropping_note_idx' }),
    ).toBe(
      await scalar(
        "SELECT relpages * current_setting('block_size')::int FROM pg_class WHERE relname = 'dropping_note_idx'",
      ),
    );
  });

  it('unused indexes: the locked index estimated, the others exact', async () => {
    const result = await collectOnce(collectorUrl(), unusedIndexesCollector);
    const rows = rowsOf(result, 'unused_indexes');
    expect(rows.map((r) => r.indexrelname).sort()).toEqual([
      'dropping_note_idx',
      'free_note_idx',
      'held_note_idx',
    ]);
    expect(rows.find((r) => r.indexrelname === 'free_note_idx')).toMatchObject({
      size_exact: true,
      size_bytes: await scalar("SELECT pg_relation_size('free_note_idx')"),
      definition: 'CREATE INDEX free_note_idx ON public.free USING btree (note)',
    });
    // its table locked: the index's size exact, its definition (which would lock the table) left out
    expect(rows.find((r) => r.indexrelname === 'held_note_idx')).toMatchObject({
      size_exact: true,
      size_bytes: await scalar("SELECT pg_relation_size('held_note_idx')"),
      definition: null,
    });
    expect(rows.find((r) => r.indexrelname === 'dropping_note_idx')).toMatchObject({
      size_exact: false,
      definition: null,
      size_bytes: await scalar(
        "SELECT relpages * current_setting('block_size')::int FROM pg_class WHERE relname = 'dropping_note_idx'",
      ),
    });
  });
});
