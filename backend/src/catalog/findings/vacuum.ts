import { FindingKind, FindingParam, runbookOf } from './types';

const GIB = 1024 ** 3;

const wraparoundParams = (what: string): Record<string, FindingParam> => ({
  warning_ratio: { default: 0.5, unit: 'ratio', description: `${what} age / 2^31: warning` },
  critical_ratio: { default: 0.75, unit: 'ratio', description: `${what} age / 2^31: critical` },
});

export const VACUUM_FINDINGS: FindingKind[] = [
  {
    id: 'xid_wraparound',
    title: 'Transaction ID wraparound approaching',
    category: 'vacuum',
    description:
      'The oldest unfrozen transaction ID of a database (or table) is far behind: at 2^31 the server stops assigning transaction IDs until a VACUUM freezes them.',
    severity: 'warning',
    inputs: [{ collector: 'wraparound' }],
    params: wraparoundParams('XID'),
    anchors:
      'pgmonitor PGXIDWraparound (50 % warning, 75 % critical); pganalyze Transaction ID Wraparound (50 %, 80 %); check_postgres txn_wraparound, autovac_freeze',
    runbook: runbookOf('xid_wraparound'),
  },
  {
    id: 'mxid_wraparound',
    title: 'Multixact ID wraparound approaching',
    category: 'vacuum',
    description:
      'The oldest unfrozen multixact ID (row locks shared by several transactions, foreign keys) of a database or table is far behind: at 2^31 the server stops until it is frozen.',
    severity: 'warning',
    inputs: [{ collector: 'wraparound' }],
    params: wraparoundParams('Multixact'),
    anchors: 'pganalyze Multixact ID Wraparound; thresholds as xid_wraparound (pgmonitor)',
    runbook: runbookOf('mxid_wraparound'),
  },
  {
    id: 'dead_tuples',
    title: 'Dead rows piling up without vacuum',
    category: 'vacuum',
    description:
      'A large share of a table is dead rows and no vacuum has run on it for a while: scans read them, the table and its indexes grow.',
    severity: 'warning',
    inputs: [{ collector: 'table_freshness' }],
    params: {
      min_dead_rows: { default: 100_000, unit: 'count', description: 'Dead rows, at least' },
      min_dead_ratio: { default: 0.2, unit: 'ratio', description: 'Dead / (live + dead), at least' },
      min_since_vacuum_s: {
        default: 3600,
        unit: 'seconds',
        description: 'No vacuum (auto or manual) for at least this long (never counts)',
      },
    },
    anchors:
      'the alert dead_tuples (20 %, 100,000 rows); check_postgres last_vacuum / last_autovacuum; pgwatch table_stats',
    runbook: runbookOf('dead_tuples'),
  },
  {
    id: 'table_bloat',
    title: 'Table bloat',
    category: 'vacuum',
    description:
      'A table takes much more space than its rows need (estimated from pg_class and pg_stats): scans read empty pages, caches hold them.',
    severity: 'warning',
    inputs: [{ collector: 'statistics_health', queries: ['table-bloat'] }],
    params: {
      warning_bytes: { default: GIB, unit: 'bytes', description: 'Estimated bloat: warning' },
      critical_bytes: { default: 5 * GIB, unit: 'bytes', description: 'Estimated bloat: critical' },
      min_ratio: { default: 0.2, unit: 'ratio', description: 'Bloat / table size, at least' },
    },
    anchors:
      'check_postgres bloat (1 GB warning, 5 GB critical); pgmonitor ccp_bloat_check; pgwatch table_bloat_approx_summary_sql; pganalyze VACUUM Advisor bloat',
    runbook: runbookOf('table_bloat'),
  },
  {
    id: 'stale_statistics',
    title: 'Stale planner statistics',
    category: 'vacuum',
    description:
      'A table changed a lot since its last ANALYZE (or was never analyzed): the planner estimates from old numbers and may pick bad plans.',
    severity: 'info',
    inputs: [{ collector: 'statistics_health', queries: ['stale-statistics'] }],
    params: {
      min_modified_ratio: {
        default: 0.2,
        unit: 'ratio',
        description: 'Rows modified since ANALYZE / rows, at least (the collector lists from 0.2)',
      },
      min_modifications: {
        default: 1000,
        unit: 'count',
        description: 'Rows modified since ANALYZE, at least (the collector lists from 1,000)',
      },
    },
    anchors: 'check_postgres last_analyze / last_autoanalyze; the alert stale_statistics (20 %)',
    runbook: runbookOf('stale_statistics'),
  },
];
