import { sql } from '../alerts/helpers';
import {
  DEAD_ROWS_BY_TABLE,
  FREEZE_OLDEST_TABLES,
  HORIZON_HOLDERS,
  MXID_AGE_BY_DATABASE,
  STALE_STATISTICS_CHECKS,
  TABLES_BY_MXID_AGE,
  TABLES_BY_XID_AGE,
  VACUUMS_RUNNING,
  XID_AGE_BY_DATABASE,
} from './guide-checks';
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
    relatedAlerts: ['xid_wraparound'],
    guide: {
      meaning:
        'Transaction IDs are 32 bits: every row must be frozen before its inserting transaction is 2^31 transactions old. Past autovacuum_freeze_max_age autovacuum forces anti-wraparound vacuums; if freezing still falls behind, PostgreSQL warns, then refuses new transaction IDs (an outage only a long vacuum ends).',
      checks: [XID_AGE_BY_DATABASE, TABLES_BY_XID_AGE, HORIZON_HOLDERS, VACUUMS_RUNNING],
      remediation: [
        'Remove what holds the horizon first (long transactions, forgotten prepared transactions, stale slots): no vacuum freezes past it.',
        'Let a running anti-wraparound vacuum finish (do not cancel it). Then freeze the oldest tables first, as the finding lists them: `VACUUM (FREEZE, VERBOSE) <table>;`, or the whole database with `vacuumdb --freeze --jobs=4 <database>`.',
        'Keep autovacuum able to keep up: a higher autovacuum_vacuum_cost_limit, more autovacuum_max_workers, and per-table freeze settings for huge append-only tables.',
      ],
    },
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
    relatedAlerts: ['mxid_wraparound'],
    guide: {
      meaning:
        'Multixact IDs (row locks shared by several transactions: SELECT ... FOR SHARE, foreign-key checks) wrap around at 2^31 like transaction IDs. If their freezing falls behind, PostgreSQL refuses to create new multixacts and the writes that need one fail.',
      checks: [MXID_AGE_BY_DATABASE, TABLES_BY_MXID_AGE, HORIZON_HOLDERS, VACUUMS_RUNNING],
      remediation: [
        'Remove what holds the horizon first (long transactions, forgotten prepared transactions, stale slots).',
        FREEZE_OLDEST_TABLES,
        'For tables that create many multixacts, lower autovacuum_multixact_freeze_max_age on them: `ALTER TABLE <table> SET (autovacuum_multixact_freeze_max_age = 100000000);`',
      ],
    },
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
    relatedAlerts: ['dead_tuples', 'autovacuum_starvation'],
    guide: {
      meaning:
        'Dead row versions pile up in a table and no vacuum has removed them for a while: scans and index lookups read them, the table and its indexes grow, and the space is only reused once a vacuum runs.',
      checks: [
        DEAD_ROWS_BY_TABLE,
        VACUUMS_RUNNING,
        HORIZON_HOLDERS,
        {
          what: 'Per-table autovacuum settings (a disabled or slowed autovacuum shows here) and the server-wide ones.',
          sql: sql`
            SELECT c.oid::regclass AS relation, c.reloptions
            FROM pg_class c
            WHERE c.reloptions IS NOT NULL AND c.relkind IN ('r', 'm')
            UNION ALL
            SELECT NULL, array_agg(name || '=' || setting)
            FROM pg_settings
            WHERE name IN ('autovacuum', 'autovacuum_max_workers', 'autovacuum_naptime',
                           'autovacuum_vacuum_scale_factor', 'autovacuum_vacuum_cost_limit');`,
        },
      ],
      remediation: [
        'Remove what holds the horizon (a long transaction, an idle-in-transaction session, a stale slot): until then vacuum removes nothing.',
        'Vacuum the table now: `VACUUM (VERBOSE, ANALYZE) <schema>.<table>;` (the finding quotes it; it takes no lock that blocks reads or writes).',
        'Let autovacuum start earlier and work faster on it: `ALTER TABLE <schema>.<table> SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_cost_limit = 2000);`',
      ],
    },
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
    guide: {
      meaning:
        'The table takes much more space than its rows need (an estimate from pg_class and pg_stats): sequential scans read the empty pages, the cache holds them, backups copy them. VACUUM makes the space reusable inside the table but does not give it back.',
      checks: [
        {
          what: 'The largest tables: size, estimated rows, dead rows and their last vacuum.',
          sql: sql`
            SELECT c.oid::regclass AS relation, pg_size_pretty(pg_table_size(c.oid)) AS table_size,
                   c.reltuples::bigint AS estimated_rows, s.n_dead_tup, s.last_vacuum, s.last_autovacuum
            FROM pg_class c
            JOIN pg_stat_user_tables s ON s.relid = c.oid
            ORDER BY pg_table_size(c.oid) DESC
            LIMIT 20;`,
        },
        {
          what: "Measure rather than estimate, off-peak (it reads the table): with the pgstattuple extension, `SELECT * FROM pgstattuple_approx('<schema>.<table>');` gives the free and dead share.",
        },
        HORIZON_HOLDERS,
      ],
      remediation: [
        'Make sure it stops growing first: vacuum the table (`VACUUM (VERBOSE, ANALYZE) <schema>.<table>;`) and fix what kept vacuum from running (horizon holders, autovacuum settings).',
        'Give the space back online with pg_repack (an extension; brief locks only at the start and end).',
        '`VACUUM FULL <schema>.<table>;` also does, but holds an ACCESS EXCLUSIVE lock for the whole rewrite and needs the table size again in free disk: a maintenance window only.',
      ],
    },
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
    relatedAlerts: ['stale_statistics'],
    guide: {
      meaning:
        'The planner estimates row counts from statistics that no longer describe the table: join orders and index choices go wrong and queries that were fast turn slow with no change of their own.',
      checks: STALE_STATISTICS_CHECKS,
      remediation: [
        'Analyze the table now (cheap: it reads a sample): `ANALYZE (VERBOSE) <schema>.<table>;`',
        'For big or bulk-loaded tables: `ALTER TABLE <schema>.<table> SET (autovacuum_analyze_scale_factor = 0.02);` or ANALYZE right after each load.',
      ],
    },
  },
  {
    id: 'vacuum_index_passes',
    title: 'Vacuum scans the indexes more than once',
    category: 'vacuum',
    description:
      'A running vacuum filled its dead-tuple memory (autovacuum_work_mem, or maintenance_work_mem) before the end of the table: each time, it stops and scans every index of the table in full, so a vacuum that needs two passes reads the indexes twice.',
    severity: 'warning',
    inputs: [{ collector: 'vacuum_progress', queries: ['vacuum-progress'] }],
    params: {
      min_index_passes: {
        default: 2,
        unit: 'count',
        description:
          'Index passes done, under way or still needed (memory ran out before the end of the table), at least',
      },
    },
    anchors:
      'pganalyze VACUUM: Inefficient Index Phase (warning on any run with more than one index pass; none when the memory is already at its 1 GB ceiling, info here)',
    runbook: runbookOf('vacuum_index_passes'),
    guide: {
      meaning:
        'VACUUM remembers the dead rows it finds in the table in memory (autovacuum_work_mem for autovacuum, maintenance_work_mem when that is -1 and for a manual VACUUM). When that memory is full it stops, scans every index of the table in full to remove their entries, and goes on: each extra pass reads all the indexes again, so the vacuum takes far longer, does far more I/O, and the dead rows stay longer. Before PostgreSQL 17 the memory counts 6 bytes a dead row and is capped at 1 GB whatever the setting; from 17 it is a compact TID store with no such cap.',
      checks: [
        {
          what: 'Vacuums running now: index passes so far and how far through the table (pg_stat_progress_vacuum; on 14-16 also max_dead_tuples, on 17+ max_dead_tuple_bytes: the memory in use).',
          sql: sql`
            SELECT p.pid, p.datname, p.relid::regclass AS relation, p.phase, p.index_vacuum_count,
                   p.heap_blks_scanned, p.heap_blks_total, a.backend_type, now() - a.xact_start AS running_for
            FROM pg_stat_progress_vacuum p
            JOIN pg_stat_activity a USING (pid);`,
        },
        {
          what: 'The memory settings: autovacuum_work_mem (-1: maintenance_work_mem) per autovacuum worker, times autovacuum_max_workers.',
          sql: sql`
            SELECT name, setting, unit, source
            FROM pg_settings
            WHERE name IN ('autovacuum_work_mem', 'maintenance_work_mem', 'autovacuum_max_workers',
                           'autovacuum_vacuum_scale_factor', 'autovacuum_vacuum_threshold');`,
        },
        {
          what: 'In the database of the finding: the indexes of the table, which every pass reads in full.',
          sql: sql`
            SELECT s.relname, s.indexrelname, pg_size_pretty(pg_relation_size(s.indexrelid)) AS size, s.idx_scan
            FROM pg_stat_user_indexes s
            ORDER BY pg_relation_size(s.indexrelid) DESC
            LIMIT 20;`,
        },
      ],
      remediation: [
        "Give autovacuum more memory (per worker; no restart): `ALTER SYSTEM SET autovacuum_work_mem = '1GB'; SELECT pg_reload_conf();` (the finding suggests a size). Workers that start afterwards use it; the running vacuum keeps its memory: let it finish rather than cancel it.",
        "For a manual VACUUM (a job, a script): `SET maintenance_work_mem = '1GB';` in its session before the VACUUM.",
        'Already at the 1 GB ceiling (before PostgreSQL 17): vacuum the table more often so each run finds fewer dead rows (`ALTER TABLE <schema>.<table> SET (autovacuum_vacuum_scale_factor = 0.02);`), drop indexes nobody uses (each pass reads them all), or upgrade to 17+.',
      ],
    },
  },
];
