import { statisticsHealthCollector } from '../../backend/src/collectors/statistics-health';
import { CollectResult, SnapshotRow } from '../../backend/src/collectors/types';
import { collectOnce, samplesOf, valueOf } from '../support/collect';
import { majorsUnderTest, startPostgres, TestPostgres } from '../support/postgres';
import { createMonitorRole, FindingsKit, MONITOR, monitorUrl } from '../findings/findings-kit';

/**
 * The hourly loop's b-tree index bloat estimate (statistics_health, sql/collectors/index-bloat)
 * on a real server with autovacuum off, so that only the test changes the indexes: an index left
 * with a tenth of its entries by a mass delete, one rebuilt after the same delete, indexes whose
 * statistics the monitoring role may not see; the estimate checked against pgstattuple's
 * measurement; then the index_bloat finding and its REINDEX CONCURRENTLY, run as a DBA would.
 */
jest.setTimeout(120_000);

/** An index named like an injection: its remediation must rebuild that index and nothing else. */
const EVIL = '"i; drop table x"';
const evil = `"${EVIL.replace(/"/g, '""')}"`;

const rowsOf = (result: CollectResult): SnapshotRow[] =>
  result.snapshots?.find((s) => s.kind === 'index_bloat')?.rows ?? [];
const labels = (relname: string, indexrelname: string) => ({
  datname: 'postgres',
  schemaname: 'public',
  relname,
  indexrelname,
});

describe.each(majorsUnderTest())('index bloat estimate on PostgreSQL %i', (major) => {
  let pg: TestPostgres;

  /** A table of 100,000 rows with an index on id, nine rows in ten deleted, then VACUUM and ANALYZE. */
  async function churn(table: string, index: string): Promise<void> {
    await pg.run(
      `CREATE TABLE ${table} (id int, note text)`,
      `CREATE INDEX ${index} ON ${table} (id)`,
      `INSERT INTO ${table} SELECT g, 'n' FROM generate_series(1, 100000) g`,
      `DELETE FROM ${table} WHERE id % 10 <> 0`,
      `VACUUM ${table}`,
      `ANALYZE ${table}`,
    );
  }

  beforeAll(async () => {
    pg = await startPostgres({ major, settings: { autovacuum: 'off' } });
    await createMonitorRole(pg);
    await pg.query('CREATE EXTENSION pgstattuple');
    await churn('churned', 'churned_id');
    await churn('rebuilt', 'rebuilt_id');
    await pg.run(
      'REINDEX INDEX rebuilt_id',
      // An expression: its statistics are the index's own, which ANALYZE of the table gathers.
      'CREATE INDEX rebuilt_double ON rebuilt ((id * 2))',
      'ANALYZE rebuilt',
      `GRANT SELECT ON churned, rebuilt TO ${MONITOR.user}`,
      // Not granted: pg_stats hides its columns from the monitoring role.
      'CREATE TABLE hidden (id int)',
      'CREATE INDEX hidden_id ON hidden (id)',
      'INSERT INTO hidden SELECT generate_series(1, 50000)',
      'ANALYZE hidden',
    );
  });

  afterAll(async () => {
    await pg?.destroy();
  });

  it('estimates the bloat a mass delete leaves, as pgstattuple measures it, and none once rebuilt', async () => {
    const result = await collectOnce(pg.superuserUrl, statisticsHealthCollector);
    const ratio = valueOf(result, 'pg_index_bloat_ratio', labels('churned', 'churned_id')) ?? -1;
    // pgstatindex reads every page: its leaf density against the fillfactor (90) is the truth.
    const [measured] = await pg.query<{ ratio: number; bytes: number }>(
      "SELECT (1 - avg_leaf_density / 90)::float8 AS ratio, index_size::float8 AS bytes FROM pgstatindex('churned_id')",
    );
    expect(measured?.ratio).toBeGreaterThan(0.85);
    expect(Math.abs(ratio - (measured?.ratio ?? 0))).toBeLessThan(0.05);
    expect(valueOf(result, 'pg_index_bloat_bytes', labels('churned', 'churned_id'))).toBeCloseTo(
      ratio * (measured?.bytes ?? 0),
      0,
    );
    // Rebuilt: only what the estimate leaves out (inner pages, high keys) is left.
    expect(valueOf(result, 'pg_index_bloat_ratio', labels('rebuilt', 'rebuilt_id'))).toBeLessThan(0.1);

    const rows = rowsOf(result);
    expect(rows[0]).toMatchObject({
      datname: 'postgres',
      schemaname: 'public',
      relname: 'churned',
      indexrelname: 'churned_id',
      index_bytes: measured?.bytes,
      fillfactor: 90,
      estimate_applicable: true,
    });
    // Its own table's bloat is the table estimate's; this one lists indexes only.
    expect(rows.map((r) => r.indexrelname)).toEqual(
      expect.arrayContaining(['churned_id', 'rebuilt_id', 'rebuilt_double', 'hidden_id']),
    );
    // As a superuser every statistic is visible, the expression's too.
    expect(rows.every((r) => r.estimate_applicable === true)).toBe(true);
  });

  it('marks not applicable what the monitoring role may not see the statistics of', async () => {
    const result = await collectOnce(monitorUrl(pg), statisticsHealthCollector);
    const byIndex = new Map(rowsOf(result).map((r) => [r.indexrelname, r]));
    for (const index of ['hidden_id', 'rebuilt_double']) {
      expect(byIndex.get(index)).toMatchObject({
        estimate_applicable: false,
        bloat_bytes: null,
        bloat_ratio: null,
      });
    }
    expect(
      samplesOf(result, 'pg_index_bloat_bytes')
        .map((s) => s.labels.indexrelname)
        .sort(),
    ).toEqual(['churned_id', 'rebuilt_id']);
    expect(byIndex.get('churned_id')?.estimate_applicable).toBe(true);
  });

  it('keeps only the Top-N largest indexes', async () => {
    const result = await collectOnce(pg.superuserUrl, statisticsHealthCollector, { topN: { indexes: 1 } });
    expect(rowsOf(result).map((r) => r.indexrelname)).toEqual(['churned_id']);
  });

  it('index_bloat: found as pg_monitor, rebuilt by its REINDEX CONCURRENTLY, which touches that index only', async () => {
    const kit = new FindingsKit(pg, { index_bloat: { warning_bytes: 100_000 } });
    await pg.run('CREATE TABLE x (id int)');
    await churn('evil_parent', evil);
    await pg.run(`GRANT SELECT ON evil_parent TO ${MONITOR.user}`);
    await kit.observe(statisticsHealthCollector);
    const [finding] = kit.open('index_bloat').filter((f) => f.object.name === `public.${EVIL}`);
    expect(finding).toMatchObject({ severity: 'warning', object: { type: 'index', name: `public.${EVIL}` } });
    expect(finding?.remediation.statements).toEqual([
      'REINDEX INDEX CONCURRENTLY public."""i; drop table x""";',
    ]);
    // Rebuilt and hidden indexes, and the expression the role may not see, give none.
    expect(
      kit
        .open('index_bloat')
        .map((f) => f.object.name)
        .sort(),
    ).toEqual([`public.${EVIL}`, 'public.churned_id'].sort());

    await kit.remediate(finding);
    expect(await pg.query("SELECT 1 FROM pg_class WHERE relname = 'x'")).toHaveLength(1);
    await kit.observeUntil(
      statisticsHealthCollector,
      () => !kit.open('index_bloat').some((f) => f.object.name === `public.${EVIL}`),
      'the index rebuilt',
    );
    expect(kit.resolved('index_bloat').map((f) => f.object.name)).toEqual([`public.${EVIL}`]);
  });
});
