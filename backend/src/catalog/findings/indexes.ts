import { sql } from '../alerts/helpers';
import { RunbookCheck } from '../alerts/types';
import { HORIZON_HOLDERS, STATISTICS_SINCE } from './guide-checks';
import { FindingKind, runbookOf } from './types';

const GIB = 1024 ** 3;

/** Indexes never scanned, on the server it runs on (usage counts are per server). */
const NEVER_SCANNED: RunbookCheck = {
  what: 'In the database of the finding: indexes never scanned, largest first.',
  sql: sql`
    SELECT s.schemaname, s.relname, s.indexrelname, s.idx_scan,
           pg_size_pretty(pg_relation_size(s.indexrelid)) AS size, i.indisunique, i.indisprimary
    FROM pg_stat_user_indexes s
    JOIN pg_index i USING (indexrelid)
    WHERE s.idx_scan = 0
    ORDER BY pg_relation_size(s.indexrelid) DESC
    LIMIT 20;`,
};

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
    relatedAlerts: ['unused_large_index'],
    guide: {
      meaning:
        'No query has used the index since the statistics were last reset, yet every insert and update maintains it, vacuum scans it and backups copy it. Usage counts are per server: an index only standbys use looks unused on the primary.',
      checks: [
        NEVER_SCANNED,
        STATISTICS_SINCE,
        {
          ...NEVER_SCANNED,
          what: 'The same on each standby: read queries there count only there.',
          on: 'standby',
        },
      ],
      remediation: [
        'Rule out the standbys and rare jobs (month-end reports) first; an index that enforces uniqueness or a constraint stays whatever its scans.',
        "Keep its definition to recreate it (`SELECT pg_get_indexdef('<schema>.<index>'::regclass);`), then `DROP INDEX CONCURRENTLY <schema>.<index>;` (no lock that blocks reads or writes).",
      ],
    },
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
    guide: {
      meaning:
        'A CREATE INDEX CONCURRENTLY or REINDEX CONCURRENTLY failed (a unique violation, a deadlock, a cancel, a lost connection) and left the index invalid: writes maintain it, no query uses it, and the index the change meant to add is missing.',
      checks: [
        {
          what: 'The invalid indexes, their table, definition and size.',
          sql: sql`
            SELECT c.oid::regclass AS index, i.indrelid::regclass AS table,
                   pg_get_indexdef(i.indexrelid) AS definition,
                   pg_size_pretty(pg_relation_size(i.indexrelid)) AS size
            FROM pg_index i
            JOIN pg_class c ON c.oid = i.indexrelid
            WHERE NOT i.indisvalid;`,
        },
        {
          what: 'Index builds running now: an index being built concurrently is invalid until its build ends.',
          sql: sql`
            SELECT p.pid, p.relid::regclass AS table, p.index_relid::regclass AS index, p.command, p.phase,
                   now() - a.query_start AS running_for
            FROM pg_stat_progress_create_index p
            JOIN pg_stat_activity a USING (pid);`,
        },
      ],
      remediation: [
        'If no build is running on it: rebuild it, `REINDEX INDEX CONCURRENTLY <schema>.<index>;` (for a unique index, fix the duplicate rows first, or it fails again).',
        'Or drop it and create it again: `DROP INDEX CONCURRENTLY <schema>.<index>;` then the original CREATE INDEX CONCURRENTLY.',
      ],
    },
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
    guide: {
      meaning:
        'Two indexes of a table are the same (columns, operator classes, collations, expressions and predicate): queries use one, every write maintains both.',
      checks: [
        {
          what: 'In the database of the finding: groups of identical indexes.',
          sql: sql`
            SELECT i.indrelid::regclass AS table, array_agg(i.indexrelid::regclass) AS indexes,
                   pg_size_pretty(sum(pg_relation_size(i.indexrelid))) AS total_size
            FROM pg_index i
            GROUP BY i.indrelid, i.indkey::text, i.indclass::text, i.indcollation::text,
                     coalesce(pg_get_expr(i.indexprs, i.indrelid), ''),
                     coalesce(pg_get_expr(i.indpred, i.indrelid), '')
            HAVING count(*) > 1;`,
        },
        {
          what: 'Which indexes back a constraint (primary key, unique, exclusion): those stay.',
          sql: sql`
            SELECT conrelid::regclass AS table, conname, contype, conindid::regclass AS index
            FROM pg_constraint
            WHERE conindid <> 0
            ORDER BY conrelid::regclass::text, conname;`,
        },
      ],
      remediation: [
        'Keep the index that backs a constraint (or the unique one); drop the other: `DROP INDEX CONCURRENTLY <schema>.<index>;` (the finding names it).',
      ],
    },
  },
  {
    id: 'index_bloat',
    title: 'Index bloat',
    category: 'indexes',
    description:
      'A b-tree index takes much more space than its entries need (estimated from pg_class and pg_stats): lookups and scans read more pages, the cache holds empty space, every vacuum reads all of it.',
    severity: 'warning',
    inputs: [{ collector: 'statistics_health', queries: ['index-bloat'] }],
    params: {
      warning_bytes: { default: GIB, unit: 'bytes', description: 'Estimated bloat: warning' },
      critical_bytes: { default: 5 * GIB, unit: 'bytes', description: 'Estimated bloat: critical' },
      min_ratio: {
        default: 0.3,
        unit: 'ratio',
        description:
          'Bloat / index size, at least (a b-tree filled by random keys settles near 70 % full: about 23 % against fillfactor 90, which a rebuild does not keep off)',
      },
    },
    anchors: 'check_postgres bloat, index part (1 GB warning, 5 GB critical); the ratio is ours',
    runbook: runbookOf('index_bloat'),
    guide: {
      meaning:
        'Vacuum frees only the index pages that are entirely empty; the room left in half-empty pages serves only new keys of the same range. After mass deletes, or many updates of indexed columns, an index stays large until it is rebuilt: scans and lookups read more pages, the cache and backups hold the empty space. The figure is an estimate from pg_class and pg_stats, as fresh as the last VACUUM or ANALYZE of the table.',
      checks: [
        {
          what: 'In the database of the finding: the largest indexes, their scans, and the dead rows and last vacuum of their table.',
          sql: sql`
            SELECT s.schemaname, s.relname, s.indexrelname,
                   pg_size_pretty(pg_relation_size(s.indexrelid)) AS index_size, s.idx_scan,
                   t.n_dead_tup, t.last_vacuum, t.last_autovacuum
            FROM pg_stat_user_indexes s
            JOIN pg_stat_user_tables t USING (relid)
            ORDER BY pg_relation_size(s.indexrelid) DESC
            LIMIT 20;`,
        },
        {
          what: "Measure rather than estimate, off-peak (it reads the whole index): with the pgstattuple extension, `SELECT avg_leaf_density, leaf_fragmentation FROM pgstatindex('<schema>.<index>');` A leaf density well below the fillfactor (90 by default) confirms the bloat.",
        },
        HORIZON_HOLDERS,
      ],
      remediation: [
        'Rebuild it online: `REINDEX INDEX CONCURRENTLY <schema>.<index>;` (the finding quotes it). It builds a new copy beside the old one, so it needs the index size again in free disk and waits for the transactions using the table; if it fails, it leaves an invalid index named like `<index>_ccnew` to drop.',
        'If the bloat comes back, vacuum does not keep up with the table or a long transaction holds the horizon: see the dead_tuples and xmin_horizon findings.',
        'A plain `REINDEX INDEX` (without CONCURRENTLY) blocks writes to the table for the whole rebuild: a maintenance window only.',
      ],
    },
  },
];
