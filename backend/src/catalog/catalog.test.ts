import { Catalog } from './catalog';
import { COLLECTOR_DEFINITIONS } from './collectors';

describe('Catalog', () => {
  const catalog = new Catalog(COLLECTOR_DEFINITIONS);

  it('describes every metric of every collector, with the SQL files behind it', () => {
    const defined = COLLECTOR_DEFINITIONS.flatMap((c) => c.metrics.map((m) => m.name));
    expect([...catalog.metrics.keys()].sort()).toEqual([...new Set(defined)].sort());
    for (const metric of catalog.metrics.values()) {
      expect(metric.sql.length).toBeGreaterThan(0);
      for (const sql of metric.sql) expect(sql.text.length).toBeGreaterThan(0);
    }
  });

  it('gives counters the unit of their rate', () => {
    expect(catalog.metrics.get('pg_database_temp_bytes_total')).toMatchObject({
      unit: 'bytes',
      rateUnit: 'Bps',
    });
    expect(catalog.metrics.get('pg_database_xact_commit_total')?.rateUnit).toBe('cps');
    expect(catalog.metrics.get('pg_tps')?.rateUnit).toBeUndefined();
  });

  it('lists per-major variants of a query, oldest first', () => {
    const majors = catalog.metrics.get('pg_wal_bytes_total')?.sql.map((s) => s.major);
    expect(majors).toEqual([14, 18]);
  });

  it('merges a snapshot kind that two collectors take, and adds the event tables', () => {
    expect(catalog.tables.get('replication')?.collectors).toEqual(['replication', 'replication_standby']);
    expect(catalog.tables.get('interventions')).toMatchObject({
      source: 'events',
      eventKinds: ['intervention', 'governor_decision'],
    });
    expect(catalog.tables.get('alerts')?.columns[0]).toMatchObject({ name: 'time', type: 'time' });
  });
});
