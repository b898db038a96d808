import { sql } from '../alerts/helpers';
import { HORIZON_HOLDERS, VACUUMS_RUNNING, XID_AGE_BY_DATABASE } from './guide-checks';
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
      checks: [
        XID_AGE_BY_DATABASE,
        {
          what: 'In the database of the finding: its oldest tables and their size (what a freeze has to read).',
          sql: sql`
            SELECT c.oid::regclass AS relation, age(c.relfrozenxid) AS xid_age,
                   pg_size_pretty(pg_total_relation_size(c.oid)) AS size
            FROM pg_class c
            WHERE c.relkind IN ('r', 'm', 't')
            ORDER BY age(c.relfrozenxid) DESC
            LIMIT 20;`,
        },
        HORIZON_HOLDERS,
        VACUUMS_RUNNING,
      ],
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
      checks: [
        {
          what: 'Databases by the age of their oldest multixact ID.',
          sql: sql`
            SELECT datname, mxid_age(datminmxid) AS mxid_age,
                   round(100.0 * mxid_age(datminmxid) / 2147483648, 1) AS pct_of_wraparound,
                   current_setting('autovacuum_multixact_freeze_max_age')::bigint AS autovacuum_multixact_freeze_max_age
            FROM pg_database
            ORDER BY mxid_age DESC;`,
        },
        {
          what: 'In the database of the finding: the tables with the oldest multixacts.',
          sql: sql`
            SELECT c.oid::regclass AS relation, mxid_age(c.relminmxid) AS mxid_age,
                   pg_size_pretty(pg_total_relation_size(c.oid)) AS size
            FROM pg_class c
            WHERE c.relkind IN ('r', 'm', 't')
            ORDER BY mxid_age(c.relminmxid) DESC
            LIMIT 20;`,
        },
        HORIZON_HOLDERS,
        VACUUMS_RUNNING,
      ],
      remediation: [
        'Remove what holds the horizon first (long transactions, forgotten prepared transactions, stale slots).',
        'Freeze the oldest tables: `VACUUM (FREEZE, VERBOSE) <table>;` and let running anti-wraparound vacuums finish.',
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
        {
          what: 'The tables with the most dead rows, and when they were last vacuumed.',
          sql: sql`
            SELECT schemaname, relname, n_live_tup, n_dead_tup,
                   round(100.0 * n_dead_tup / nullif(n_live_tup + n_dead_tup, 0), 1) AS dead_pct,
                   last_vacuum, last_autovacuum, autovacuum_count
            FROM pg_stat_user_tables
            ORDER BY n_dead_tup DESC
            LIMIT 20;`,
        },
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
      checks: [
        {
          what: 'The tables changed most since their last analyze.',
          sql: sql`
            SELECT schemaname, relname, n_live_tup, n_mod_since_analyze,
                   round(100.0 * n_mod_since_analyze / nullif(n_live_tup, 0), 1) AS changed_pct,
                   last_analyze, last_autoanalyze
            FROM pg_stat_user_tables
            ORDER BY n_mod_since_analyze DESC
            LIMIT 20;`,
        },
        {
          what: 'Whether autovacuum (which runs autoanalyze) is on, and its analyze thresholds.',
          sql: sql`
            SELECT name, setting
            FROM pg_settings
            WHERE name IN ('autovacuum', 'track_counts', 'autovacuum_max_workers',
                           'autovacuum_analyze_scale_factor', 'autovacuum_analyze_threshold');`,
        },
      ],
      remediation: [
        'Analyze the table now (cheap: it reads a sample): `ANALYZE (VERBOSE) <schema>.<table>;`',
        'For big or bulk-loaded tables: `ALTER TABLE <schema>.<table> SET (autovacuum_analyze_scale_factor = 0.02);` or ANALYZE right after each load.',
      ],
    },
  },
];
