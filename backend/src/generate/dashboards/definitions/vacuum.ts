import { Catalog } from '../../../catalog/catalog';
import { DashboardSpec, UIDS } from '../model';
import { PanelKit } from '../panels';
import { DEAD_RATIO, WRAPAROUND } from '../steps';

export function vacuumDashboard(catalog: Catalog): DashboardSpec {
  const kit = new PanelKit(catalog, false);
  const db = { datname: '$database' };
  // The worst over the range, not the first 15 by name.
  const perTable = {
    filters: db,
    legend: '{{datname}} {{schemaname}}.{{relname}}',
    limit: 15,
    top: 'max',
  } as const;
  const perDatabase = { filters: db, legend: '{{datname}}' };
  return {
    uid: UIDS.vacuum,
    file: 'vacuum-and-bloat.json',
    title: 'PG Governor / Vacuum & bloat',
    description: 'Dead tuples, autovacuum activity and freshness, bloat, transaction ID wraparound',
    annotationKinds: ['alerts'],
    time: { from: 'now-24h', to: 'now' },
    panels: [
      kit.timeseries(
        { title: 'Dead tuples', description: 'Estimated dead rows of the Top-N tables.', w: 12, h: 8 },
        [kit.series('pg_table_dead_tuples', perTable)],
      ),
      kit.timeseries(
        {
          title: '% dead',
          description: 'Dead / (live + dead) rows. Above 20 % (and 100k rows) the dead-tuple alert fires.',
          w: 12,
          h: 8,
          unit: 'percentunit',
          max: 1,
          thresholds: DEAD_RATIO,
          showThresholds: true,
        },
        [kit.series('pg_table_dead_ratio', perTable)],
      ),
      kit.timeseries(
        {
          title: 'Vacuums running by phase',
          description: 'Running vacuums (auto and manual) by phase.',
          w: 8,
          h: 8,
          stack: true,
        },
        [kit.series('pg_vacuum_running', { groupBy: ['phase'], legend: '{{phase}}' })],
      ),
      kit.timeseries(
        {
          title: 'Autovacuum workers',
          description:
            'Workers running against autovacuum_max_workers; all busy for long: autovacuum starves.',
          w: 8,
          h: 8,
        },
        [
          kit.series('pg_autovacuum_workers_running', { legend: 'running' }),
          kit.series('pg_autovacuum_wraparound_running', { legend: 'to prevent wraparound' }),
          kit.series('pg_autovacuum_max_workers', { legend: 'max' }),
        ],
      ),
      kit.timeseries(
        {
          title: 'Wraparound: XID and MXID',
          description:
            'Age of the oldest unfrozen XID / multixact against 2^31 (at 100 % the server stops writing).',
          w: 8,
          h: 8,
          unit: 'percentunit',
          thresholds: WRAPAROUND,
          showThresholds: true,
        },
        [
          kit.series('pg_database_xid_wraparound_ratio', { ...perDatabase, legend: 'xid {{datname}}' }),
          kit.series('pg_database_mxid_wraparound_ratio', { ...perDatabase, legend: 'mxid {{datname}}' }),
        ],
      ),
      kit.table({
        title: 'Running vacuums',
        description: 'Vacuums in progress with their phase and how far they got.',
        w: 24,
        h: 6,
        table: 'vacuum_progress',
        filters: db,
        orderBy: 'duration_seconds',
      }),
      kit.table({
        title: 'Vacuum and analyze freshness',
        description: 'Dead rows, last (auto)vacuum and (auto)analyze per table, most dead rows first.',
        w: 24,
        h: 10,
        table: 'vacuum',
        filters: db,
        orderBy: 'dead_tuples',
        limit: 100,
        columnThresholds: { dead_percent: ['green', [20, 'red']] },
      }),
      kit.timeseries(
        {
          title: 'Freeze age vs autovacuum_freeze_max_age',
          description: 'At 100 % an anti-wraparound autovacuum is due on the database.',
          w: 12,
          h: 8,
          unit: 'percentunit',
          thresholds: ['green', [1, 'orange']],
          showThresholds: true,
        },
        [
          kit.series('pg_database_xid_freeze_max_age_ratio', { ...perDatabase, legend: 'xid {{datname}}' }),
          kit.series('pg_database_mxid_freeze_max_age_ratio', { ...perDatabase, legend: 'mxid {{datname}}' }),
        ],
      ),
      kit.timeseries(
        {
          title: 'Tables with stale statistics',
          description: 'Tables modified by more than 20 % since their last ANALYZE: plans may be wrong.',
          w: 12,
          h: 8,
        },
        [kit.series('pg_tables_stale_statistics', perDatabase)],
      ),
      kit.table({
        title: 'Stale statistics',
        description: 'Tables whose statistics lag behind their modifications.',
        w: 12,
        h: 8,
        table: 'stale_statistics',
        filters: db,
        orderBy: 'modified_ratio',
      }),
      kit.table({
        title: 'Table bloat estimate',
        description: 'Pages beyond what the rows need at the fillfactor (an estimate), largest first.',
        w: 12,
        h: 8,
        table: 'table_bloat',
        filters: db,
        orderBy: 'bloat_bytes',
      }),
      kit.table({
        title: 'Index bloat estimate',
        description:
          'B-tree index pages beyond what the entries need at the fillfactor (an estimate), largest first. Rebuild with REINDEX INDEX CONCURRENTLY.',
        w: 24,
        h: 8,
        table: 'index_bloat',
        filters: db,
        orderBy: 'bloat_bytes',
      }),
      kit.table({
        title: 'Wraparound by database and table',
        description: 'XID and multixact ages of databases and their oldest tables.',
        w: 24,
        h: 8,
        table: 'wraparound',
        filters: db,
        orderBy: 'xid_age',
        columnThresholds: { xid_wraparound_ratio: WRAPAROUND, mxid_wraparound_ratio: WRAPAROUND },
      }),
    ],
  };
}
