import { schemaHealthCollector } from '../../backend/src/collectors/schema-health';
import { CollectResult } from '../../backend/src/collectors/types';
import { collectOnce } from '../support/collect';
import { majorsUnderTest, startPostgres, TestPostgres } from '../support/postgres';

/** The duplicate_index rows as [schema.table, index, the twin it duplicates], in the rows' order. */
const duplicates = (result: CollectResult) =>
  (result.snapshots?.find((s) => s.kind === 'schema_health')?.rows ?? [])
    .filter((r) => r.problem === 'duplicate_index')
    .map((r) => [`${String(r.schemaname)}.${String(r.relname)}`, r.object_name, r.other_name]);

/**
 * Duplicate indexes are paired per table (only tables with two indexes or more are looked into):
 * every kind of table that holds indexes, twins whatever their uniqueness, partitions' own indexes
 * left out, and the order and cap of the rows (size, then name) whatever the order tables are read.
 */
describe.each(majorsUnderTest())('schema health on PostgreSQL %i', (major) => {
  let pg: TestPostgres;

  beforeAll(async () => {
    pg = await startPostgres({ major });
    await pg.run(
      'CREATE TABLE wide (id int PRIMARY KEY, x int, y text, z int)',
      'INSERT INTO wide SELECT g, g, g::text, g FROM generate_series(1, 2000) g',
      // x: two plain twins of a unique index, which is the one kept
      'CREATE INDEX wide_x_a ON wide (x)',
      'CREATE INDEX wide_x_b ON wide (x)',
      'CREATE UNIQUE INDEX wide_x_unique ON wide (x)',
      // the same expression twice; the same predicate twice; another predicate is no twin
      'CREATE INDEX wide_lower_a ON wide (lower(y))',
      'CREATE INDEX wide_lower_b ON wide (lower(y))',
      'CREATE INDEX wide_z_a ON wide (z) WHERE z > 0',
      'CREATE INDEX wide_z_b ON wide (z) WHERE z > 0',
      'CREATE INDEX wide_z_other ON wide (z) WHERE z > 1',
      // a unique twin of the primary key, which is kept
      'CREATE UNIQUE INDEX wide_id_again ON wide (id)',
      // two unique twins: the first by name is kept
      'CREATE TABLE pairs (u int, v int)',
      'CREATE UNIQUE INDEX pairs_b ON pairs (u, v)',
      'CREATE UNIQUE INDEX pairs_a ON pairs (u, v)',
      // one index alone: nothing to pair
      'CREATE TABLE solo (s int)',
      'CREATE INDEX solo_s ON solo (s)',
      'CREATE MATERIALIZED VIEW stored AS SELECT g AS k FROM generate_series(1, 10) g',
      'CREATE INDEX stored_k_a ON stored (k)',
      'CREATE INDEX stored_k_b ON stored (k)',
      // partitioned: its twin indexes once, not their partitions' copies
      'CREATE TABLE parted (k int, t int) PARTITION BY RANGE (k)',
      'CREATE TABLE parted_1 PARTITION OF parted FOR VALUES FROM (0) TO (10)',
      'CREATE INDEX parted_t_a ON parted (t)',
      'CREATE INDEX parted_t_b ON parted (t)',
      // the same names in another schema
      'CREATE SCHEMA other',
      'CREATE TABLE other.wide (x int)',
      'CREATE INDEX wide_x_a ON other.wide (x)',
      'CREATE INDEX wide_x_b ON other.wide (x)',
      'ANALYZE',
    );
  }, 60_000);

  afterAll(async () => {
    await pg?.destroy();
  });

  it('finds the twins of every kind of table once, largest first, the one to keep named', async () => {
    const rows = duplicates(await collectOnce(pg.url(), schemaHealthCollector));
    // ranked by size (relpages), then by index name (C order, as name sorts)
    const sizes = await pg.query<{ name: string; bytes: number }>(
      `SELECT n.nspname || '.' || c.relname AS name, c.relpages::float8 * current_setting('block_size')::float8 AS bytes
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace`,
    );
    // an index is in its table's schema
    const size = (row: unknown[]) =>
      sizes.find((r) => r.name === `${String(row[0]).split('.')[0]}.${String(row[1])}`)?.bytes ?? 0;
    const byName = (a: unknown, b: unknown) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0);
    const expected = [
      ['public.wide', 'wide_lower_b', 'wide_lower_a'],
      ['public.wide', 'wide_id_again', 'wide_pkey'],
      ['public.wide', 'wide_x_a', 'wide_x_unique'],
      ['public.wide', 'wide_x_b', 'wide_x_unique'],
      ['public.wide', 'wide_z_b', 'wide_z_a'],
      ['public.stored', 'stored_k_b', 'stored_k_a'],
      ['other.wide', 'wide_x_b', 'wide_x_a'],
      ['public.pairs', 'pairs_b', 'pairs_a'],
      ['public.parted', 'parted_t_b', 'parted_t_a'],
    ].sort((a, b) => size(b) - size(a) || byName(a[1], b[1]));
    expect(rows).toEqual(expected);
  });

  it('caps the rows at Top-N, the largest kept', async () => {
    const all = duplicates(await collectOnce(pg.url(), schemaHealthCollector));
    const capped = duplicates(
      await collectOnce(pg.url(), schemaHealthCollector, {
        topN: { statements: 3, relations: 3, indexes: 3 },
      }),
    );
    expect(capped).toEqual(all.slice(0, 3));
  });
});
