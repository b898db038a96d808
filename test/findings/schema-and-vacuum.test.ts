import { schemaHealthCollector } from '../../backend/src/collectors/schema-health';
import { sequencesCollector } from '../../backend/src/collectors/sequences';
import { statisticsHealthCollector } from '../../backend/src/collectors/statistics-health';
import { tableFreshnessCollector } from '../../backend/src/collectors/table-freshness';
import { unusedIndexesCollector } from '../../backend/src/collectors/unused-indexes';
import { majorsUnderTest, startPostgres, TestPostgres } from '../support/postgres';
import { createMonitorRole, FindingsKit, MONITOR } from './findings-kit';

/**
 * The findings of tables, indexes, triggers and sequences, staged for real (autovacuum off, so that
 * nothing cleans up behind the test) and found from what the collectors read as pg_monitor; then
 * their remediation statements, run as a DBA would, fix what they name and nothing else: a table
 * called `"a; drop table x"` is vacuumed, and table x is still there.
 */
jest.setTimeout(120_000);

const EVIL = '"a; drop table x"';
const evil = `"${EVIL.replace(/"/g, '""')}"`;

describe.each(majorsUnderTest())('findings on tables, indexes and sequences, PostgreSQL %i', (major) => {
  let pg: TestPostgres;

  beforeAll(async () => {
    pg = await startPostgres({ major, settings: { autovacuum: 'off' } });
    await createMonitorRole(pg);
    await pg.query('CREATE TABLE x (id int)');
  });

  afterAll(async () => {
    await pg?.destroy();
  });

  it('dead_tuples on a table named like an injection: the VACUUM it proposes vacuums that table only', async () => {
    const kit = new FindingsKit(pg, { dead_tuples: { min_dead_rows: 1000, min_since_vacuum_s: 0 } });
    await pg.run(
      `CREATE TABLE ${evil} (id int, note text)`,
      `INSERT INTO ${evil} SELECT g, 'n' FROM generate_series(1, 4000) g`,
      `DELETE FROM ${evil} WHERE id > 1000`,
    );
    await kit.observeUntil(
      tableFreshnessCollector,
      () => kit.open('dead_tuples').length > 0,
      'the dead rows as a finding',
    );
    const [finding] = kit.open('dead_tuples');
    expect(finding).toMatchObject({
      severity: 'warning',
      object: { type: 'relation', name: `public.${EVIL}` },
    });
    expect(finding?.remediation.statements[0]).toBe(
      'VACUUM (VERBOSE, ANALYZE) public."""a; drop table x""";',
    );

    await kit.remediate(finding);
    expect(await pg.query("SELECT 1 FROM pg_class WHERE relname = 'x'")).toHaveLength(1);
    await kit.observeUntil(
      tableFreshnessCollector,
      () => kit.open('dead_tuples').length === 0,
      'the dead rows vacuumed',
    );
  });

  it('table_bloat and stale_statistics from the statistics, with their remediation', async () => {
    const kit = new FindingsKit(pg, { table_bloat: { warning_bytes: 100_000 } });
    await pg.run(
      'CREATE TABLE bloated (id int, payload text)',
      "INSERT INTO bloated SELECT g, repeat('x', 200) FROM generate_series(1, 20000) g",
      'DELETE FROM bloated WHERE id % 10 <> 0',
      'ANALYZE bloated',
      // pg_stats shows a role only the columns it may read: the estimate needs them (docs/checks.md).
      `GRANT SELECT ON bloated TO ${MONITOR.user}`,
      'CREATE TABLE stale (id int, v int)',
      'INSERT INTO stale SELECT g, 0 FROM generate_series(1, 5000) g',
      'ANALYZE stale',
      'UPDATE stale SET v = 1',
      'CREATE TABLE never_analyzed (id int)',
      'INSERT INTO never_analyzed SELECT generate_series(1, 100)',
    );
    await kit.observeUntil(
      statisticsHealthCollector,
      () => {
        const stale = kit.open('stale_statistics').map((f) => f.object.name);
        return (
          kit.open('table_bloat').length > 0 &&
          stale.includes('public.stale') &&
          stale.includes('public.never_analyzed')
        );
      },
      'the bloat and the stale statistics as findings',
    );
    expect(kit.open('table_bloat')[0]?.object.name).toBe('public.bloated');
    const stale = kit.open('stale_statistics').find((f) => f.object.name === 'public.stale');
    expect(stale?.severity).toBe('info');
    expect(stale?.remediation.statements).toEqual(['ANALYZE (VERBOSE) public.stale;']);

    await kit.remediate(stale);
    await kit.observeUntil(
      statisticsHealthCollector,
      () => !kit.open('stale_statistics').some((f) => f.object.name === 'public.stale'),
      'the statistics refreshed',
    );
  });

  it('unused, invalid and duplicate indexes, and disabled triggers: found, then fixed by their statements', async () => {
    const kit = new FindingsKit(pg, { unused_index: { min_size_bytes: 0, min_stats_age_s: 0 } });
    await pg.run(
      'CREATE TABLE parent (id int PRIMARY KEY)',
      'CREATE TABLE child (id int, parent_id int REFERENCES parent, code int)',
      'INSERT INTO child SELECT g, NULL, g % 3 FROM generate_series(1, 3000) g',
      'CREATE INDEX child_code ON child (code)',
      'CREATE INDEX child_code_again ON child (code)',
      "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END'",
      'CREATE TRIGGER audit BEFORE INSERT ON child FOR EACH ROW EXECUTE FUNCTION touch()',
      'ALTER TABLE child DISABLE TRIGGER ALL',
    );
    // A unique index built concurrently over duplicates fails and stays behind, invalid.
    await expect(
      pg.run('CREATE UNIQUE INDEX CONCURRENTLY child_code_unique ON child (code)'),
    ).rejects.toThrow(/could not create unique index/);

    await kit.observe(unusedIndexesCollector, schemaHealthCollector);
    const names = (kind: string) =>
      kit
        .open(kind)
        .map((f) => f.object.name)
        .sort();
    expect(names('invalid_index')).toEqual(['public.child_code_unique']);
    expect(names('duplicate_index')).toEqual(['public.child_code_again']);
    expect(names('unused_index')).toEqual(expect.arrayContaining(['public.child_code']));
    // The invalid index is reported as invalid, not also as unused.
    expect(names('unused_index')).not.toContain('public.child_code_unique');
    const triggers = kit.open('disabled_trigger');
    expect(
      triggers.some((f) => f.title.includes('child_parent_id_fkey') && f.title.includes('not enforced')),
    ).toBe(true);
    expect(triggers.some((f) => f.object.name === 'public.child.audit')).toBe(true);
    expect(kit.open('invalid_index')[0]?.severity).toBe('warning');

    await kit.remediate(kit.open('invalid_index')[0], 1); // DROP INDEX CONCURRENTLY
    await kit.remediate(kit.open('duplicate_index')[0]);
    for (const trigger of kit.open('disabled_trigger')) await kit.remediate(trigger);
    await kit.observe(schemaHealthCollector);
    expect(kit.open('invalid_index')).toEqual([]);
    expect(kit.open('duplicate_index')).toEqual([]);
    expect(kit.open('disabled_trigger')).toEqual([]);
    expect(kit.resolved('disabled_trigger').length).toBeGreaterThanOrEqual(2);
  });

  it('sequence_exhaustion: a serial past 85 %, and a bigint sequence limited by its integer column', async () => {
    const kit = new FindingsKit(pg);
    await pg.run(
      'CREATE TABLE orders (id serial PRIMARY KEY)',
      "SELECT setval('orders_id_seq', 1900000000)",
      'CREATE SEQUENCE events_id_seq AS bigint',
      "CREATE TABLE events (id int NOT NULL DEFAULT nextval('events_id_seq'))",
      'ALTER SEQUENCE events_id_seq OWNED BY events.id',
      "SELECT setval('events_id_seq', 2100000000)",
      'CREATE SEQUENCE secret_seq',
      // pg_monitor alone may not read sequence values: a DBA grants it, as docs/checks.md says.
      `GRANT SELECT ON SEQUENCE orders_id_seq, events_id_seq TO ${MONITOR.user}`,
    );
    await kit.observe(sequencesCollector);
    const byName = Object.fromEntries(kit.open('sequence_exhaustion').map((f) => [f.object.name, f]));
    expect(byName['public.orders_id_seq']?.severity).toBe('warning');
    expect(byName['public.orders_id_seq']?.remediation.statements).toEqual([
      'ALTER TABLE public.orders ALTER COLUMN id TYPE bigint;',
      'ALTER SEQUENCE public.orders_id_seq AS bigint;',
    ]);
    expect(byName['public.events_id_seq']).toMatchObject({ severity: 'critical' });
    expect(byName['public.events_id_seq']?.detail).toMatch(/integer column public\.events\.id/);
    const unreadable = kit.latest
      .get('findings-test', 'sequences')
      ?.samples.find((s) => s.metric === 'pg_sequences_unreadable');
    expect(unreadable?.value).toBe(1);

    for (const statement of byName['public.events_id_seq']?.remediation.statements ?? [])
      await pg.query(statement);
    await kit.observe(sequencesCollector);
    expect(kit.open('sequence_exhaustion').map((f) => f.object.name)).toEqual(['public.orders_id_seq']);
  });
});
