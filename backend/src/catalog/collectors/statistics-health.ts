import { CollectorDefinition, SnapshotColumn } from '../types';
import { gauge } from '../define';

/** Stale: more rows modified since the last ANALYZE than this share of reltuples... */
export const STALE_MODIFIED_SHARE = 0.2;
/** ...and at least this many (autoanalyze itself waits for 50 + 10 % by default). */
export const STALE_MIN_MODIFICATIONS = 1000;

const INDEX = ['datname', 'schemaname', 'relname', 'indexrelname'];

/** The columns of a bloat estimate (table_bloat, index_bloat): what reltuples `items` need. */
const estimateColumns = (items: string, notApplicable: string): SnapshotColumn[] => [
  {
    name: 'expected_bytes',
    type: 'number',
    unit: 'bytes',
    description: `what reltuples ${items} need at the fillfactor`,
  },
  { name: 'bloat_bytes', type: 'number', unit: 'bytes' },
  { name: 'bloat_ratio', type: 'number', unit: 'percentunit' },
  { name: 'fillfactor', type: 'number' },
  { name: 'estimate_applicable', type: 'boolean', description: `false: ${notApplicable}` },
];

/** Hourly loop: planner statistics that lag behind the data, and estimated table and b-tree index bloat. */
export const statisticsHealthDefinition: CollectorDefinition = {
  name: 'statistics_health',
  loop: 'hourly',
  description:
    'Tables with stale or missing planner statistics, and estimated bloat of the largest tables and b-tree indexes (no pgstattuple)',
  queries: ['stale-statistics', 'table-bloat', 'index-bloat'],
  metrics: [
    gauge(
      'pg_tables_stale_statistics',
      `Tables modified by more than ${STALE_MODIFIED_SHARE * 100} % of reltuples (and ${STALE_MIN_MODIFICATIONS} rows) since their last ANALYZE, or never analyzed with rows (primaries only)`,
      'short',
      ['datname'],
    ),
    gauge(
      'pg_table_bloat_bytes',
      'Estimated bloat of a table (pages beyond what its rows need at its fillfactor); Top-N largest tables',
      'bytes',
      ['datname', 'schemaname', 'relname'],
    ),
    gauge('pg_table_bloat_ratio', 'Estimated bloat / table size (heap + TOAST)', 'percentunit', [
      'datname',
      'schemaname',
      'relname',
    ]),
    gauge(
      'pg_index_bloat_bytes',
      'Estimated bloat of a b-tree index (pages beyond what its entries need at its fillfactor); Top-N largest indexes',
      'bytes',
      INDEX,
    ),
    gauge('pg_index_bloat_ratio', 'Estimated bloat / index size', 'percentunit', INDEX),
  ],
  snapshots: [
    {
      kind: 'stale_statistics',
      description: 'Tables of the connected database with stale or missing statistics, most modified first',
      columns: [
        { name: 'datname', type: 'string' },
        { name: 'schemaname', type: 'string' },
        { name: 'relname', type: 'string' },
        {
          name: 'reltuples',
          type: 'number',
          description: 'rows the planner believes (null: never analyzed or vacuumed)',
        },
        { name: 'n_live_tup', type: 'number' },
        { name: 'n_mod_since_analyze', type: 'number' },
        {
          name: 'modified_ratio',
          type: 'number',
          unit: 'percentunit',
          description: 'n_mod_since_analyze / reltuples',
        },
        { name: 'never_analyzed', type: 'boolean' },
        { name: 'last_analyzed', type: 'time', description: 'latest manual or auto ANALYZE' },
      ],
    },
    {
      kind: 'table_bloat',
      description:
        'Estimated bloat of the largest tables of the connected database (from pg_class and pg_stats)',
      columns: [
        { name: 'datname', type: 'string' },
        { name: 'schemaname', type: 'string' },
        { name: 'relname', type: 'string' },
        {
          name: 'table_bytes',
          type: 'number',
          unit: 'bytes',
          description: 'heap + TOAST pages as of the last VACUUM/ANALYZE',
        },
        ...estimateColumns('rows', 'columns without visible statistics or of type name'),
      ],
    },
    {
      kind: 'index_bloat',
      description:
        'Estimated bloat of the largest b-tree indexes of the connected database (from pg_class and pg_stats)',
      columns: [
        { name: 'datname', type: 'string' },
        { name: 'schemaname', type: 'string' },
        { name: 'relname', type: 'string', description: 'the indexed table' },
        { name: 'indexrelname', type: 'string' },
        {
          name: 'index_bytes',
          type: 'number',
          unit: 'bytes',
          description: 'index pages as of the last VACUUM/ANALYZE',
        },
        ...estimateColumns(
          'entries',
          'key columns without visible statistics (expressions: visible to the index owner only) or of type name',
        ),
      ],
    },
  ],
};
