import { Catalog } from '../../../catalog/catalog';
import { SHARED_CATALOGS_DATNAME } from '../../../catalog/alerts/data-checksums';
import { SHARED_CATALOG_CHECKSUM_FAILURES } from '../../../catalog/collectors/shared-catalog-checksums';
import { DashboardSpec, UIDS } from '../model';
import { PanelKit } from '../panels';
import { ANY } from '../steps';

const DAY = 86_400;

export function storageDashboard(catalog: Catalog): DashboardSpec {
  const kit = new PanelKit(catalog, false);
  const db = { datname: '$database' };
  const perRelation = { filters: db, legend: '{{datname}} {{schemaname}}.{{relname}}', limit: 10 };
  return {
    uid: UIDS.storage,
    file: 'storage-and-indexes.json',
    title: 'PG Governor / Storage & indexes',
    description:
      'Database and relation sizes and growth, unused indexes, partitions and missing future partitions, data checksum failures',
    annotationKinds: ['alerts'],
    time: { from: 'now-7d', to: 'now' },
    panels: [
      kit.stat(
        {
          title: 'Unused indexes',
          description: 'Droppable indexes never scanned since the statistics reset.',
          w: 6,
          h: 4,
          thresholds: ['green', [1, 'orange']],
        },
        [kit.series('pg_unused_indexes', { filters: db, groupBy: [], legend: 'indexes' })],
      ),
      kit.stat({ title: 'Unused index size', description: 'Space those indexes take.', w: 6, h: 4 }, [
        kit.series('pg_unused_index_bytes', { filters: db, groupBy: [], legend: 'size' }),
      ]),
      kit.stat(
        {
          title: 'Missing future partitions',
          description: 'Partitioned tables with no partition for the next period: inserts will fail.',
          w: 6,
          h: 4,
          thresholds: ANY,
        },
        [kit.series('pg_partitions_missing_future', { filters: db, groupBy: [], legend: 'tables' })],
      ),
      kit.stat(
        { title: 'Database size', description: 'Size on disk of the selected databases.', w: 6, h: 4 },
        [kit.series('pg_database_size_bytes', { filters: db, groupBy: [], legend: 'size' })],
      ),
      kit.timeseries({ title: 'Database size', description: 'Size on disk by database.', w: 12, h: 8 }, [
        kit.series('pg_database_size_bytes', { filters: db, legend: '{{datname}}' }),
      ]),
      kit.timeseries(
        {
          title: 'Largest relations',
          description: 'Total size (table, TOAST, indexes) of the largest relations: their growth over time.',
          w: 12,
          h: 8,
        },
        // the 10 largest, not the first 10 by name
        [kit.series('pg_relation_size_bytes', { ...perRelation, top: 'max' })],
      ),
      kit.table({
        title: 'Largest relations',
        description: 'Top-N relations by total size, with their table, index and TOAST parts.',
        w: 24,
        h: 10,
        table: 'storage',
        orderBy: 'total_bytes',
        limit: 50,
      }),
      kit.table({
        title: 'Unused indexes',
        description:
          'Indexes never scanned since the statistics reset (not backing a constraint), largest first.',
        w: 24,
        h: 8,
        table: 'unused_indexes',
        orderBy: 'size_bytes',
      }),
      kit.timeseries(
        {
          title: 'Future partition coverage',
          description: 'Newest partition bound minus now: below a day, create the next partitions.',
          w: 12,
          h: 8,
          thresholds: ['red', [DAY, 'orange'], [7 * DAY, 'green']],
          showThresholds: true,
        },
        [kit.series('pg_partition_future_coverage_seconds', perRelation)],
      ),
      kit.timeseries(
        { title: 'Relations by kind', description: 'Tables, indexes, views, ... per database.', w: 12, h: 8 },
        [kit.series('pg_relations_count', { filters: db, groupBy: ['relkind'], legend: '{{relkind}}' })],
      ),
      kit.table({
        title: 'Partitioned tables',
        description: 'Partition inventory: strategy, key, newest bound, default partition, future coverage.',
        w: 24,
        h: 8,
        table: 'partitions',
        orderBy: 'future_coverage_seconds',
        order: 'asc',
        columnThresholds: { future_coverage_seconds: ['red', [DAY, 'orange'], [7 * DAY, 'green']] },
      }),
      kit.timeseries(
        {
          title: 'Data checksum failures',
          description:
            'Pages read whose checksum did not match, per second (pg_stat_database; only with data checksums on), per database and in the shared catalogs (pg_authid, pg_database, ...): any is corruption on disk.',
          w: 24,
          h: 6,
        },
        // max, not avg: a single failure must not be averaged away when the range is long.
        [
          kit.series('pg_database_checksum_failures_total', {
            filters: db,
            legend: '{{datname}}',
            aggregation: 'max',
          }),
          kit.series(SHARED_CATALOG_CHECKSUM_FAILURES, {
            legend: SHARED_CATALOGS_DATNAME,
            aggregation: 'max',
          }),
        ],
      ),
      kit.timeseries(
        {
          title: 'Tables reading from outside shared buffers',
          description:
            'Blocks per second that the tables with the most reads over the range (among the Top-N tables) read from the OS cache or disk, for the heap and for all their indexes (pg_statio_user_tables): where shared_buffers does not hold the working set, or where a sequential scan reads a large table.',
          w: 24,
          h: 8,
        },
        [
          kit.series('pg_table_heap_blks_read_total', {
            ...perRelation,
            legend: '{{schemaname}}.{{relname}} heap',
            top: 'avg',
          }),
          kit.series('pg_table_idx_blks_read_total', {
            ...perRelation,
            legend: '{{schemaname}}.{{relname}} indexes',
            top: 'avg',
          }),
        ],
      ),
    ],
  };
}
