import { FindingKind, runbookOf } from './types';

export const INDEX_FINDINGS: FindingKind[] = [
  {
    id: 'unused_index',
    title: 'Unused index',
    category: 'indexes',
    description:
      'An index no query has used since the statistics were reset: every write, vacuum and backup still pays for it.',
    severity: 'info',
    inputs: [{ collector: 'unused_indexes' }],
    params: {
      min_size_bytes: { default: 10 * 1024 ** 2, unit: 'bytes', description: 'Index size, at least' },
      min_stats_age_s: {
        default: 7 * 86_400,
        unit: 'seconds',
        description:
          'Statistics collected for at least this long (since their last reset) before an index counts as unused',
      },
    },
    anchors:
      'pganalyze Unused Indexes (info; 35 days of statistics, 32 kB); pgwatch unused_indexes, reco_drop_index; the alert unused_large_index (1 GiB)',
    runbook: runbookOf('unused_index'),
  },
  {
    id: 'invalid_index',
    title: 'Invalid index',
    category: 'indexes',
    description:
      'An index left invalid by a failed CREATE INDEX CONCURRENTLY or REINDEX CONCURRENTLY: maintained on every write, used by no query, and the index the change meant to add is missing.',
    severity: 'warning',
    inputs: [{ collector: 'schema_health' }],
    params: {},
    anchors:
      'pganalyze Invalid Indexes (info; warning here: the index that was meant to exist does not); pgwatch invalid_indexes',
    runbook: runbookOf('invalid_index'),
  },
  {
    id: 'duplicate_index',
    title: 'Duplicate index',
    category: 'indexes',
    description:
      'Two indexes of a table have the same columns, operator classes, expressions and predicate: one is enough, the other costs every write.',
    severity: 'info',
    inputs: [{ collector: 'schema_health' }],
    params: {
      min_size_bytes: { default: 0, unit: 'bytes', description: 'Size of the duplicate, at least' },
    },
    anchors: 'pgwatch reco_drop_index (duplicates)',
    runbook: runbookOf('duplicate_index'),
  },
];
