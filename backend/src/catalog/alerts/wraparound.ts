import { maxBy, metric } from './ast';
import { AlertDefinition } from './types';
import {
  FREEZE_OLDEST_TABLES,
  MXID_AGE_BY_DATABASE,
  TABLES_BY_MXID_AGE,
  TABLES_BY_XID_AGE,
  XID_AGE_BY_DATABASE,
} from '../findings/guide-checks';
import { NO_DATA, singleMetricFixture, sql, T } from './helpers';

const DB = { ...T, datname: 'app' };

export const WRAPAROUND_ALERTS: AlertDefinition[] = [
  {
    id: 'xid_wraparound',
    name: 'PgXidWraparound',
    category: 'wraparound',
    component: 'postgresql',
    summary: 'Database {{label.datname}} on {{label.target}} is at {{value}} of transaction ID wraparound',
    description:
      'age(datfrozenxid) of {{label.datname}} is {{value}} of the 2^31 limit (threshold {{threshold}}): freezing is not keeping up.',
    runbook: {
      meaning:
        'Transaction IDs are 32-bit: rows must be frozen before their IDs are 2^31 transactions old. If freezing falls too far behind, PostgreSQL first warns, then refuses new transactions (only a vacuum in single-user mode recovers): an outage.',
      checks: [
        XID_AGE_BY_DATABASE,
        {
          ...TABLES_BY_XID_AGE,
          what: 'In the database of the alert: the oldest tables, and their size (what a freeze must read).',
        },
        {
          what: 'What holds the horizon back: freezing cannot pass the oldest transaction still visible to someone.',
          sql: sql`
            SELECT 'session' AS holder, pid::text AS id, age(backend_xmin) AS xmin_age
            FROM pg_stat_activity WHERE backend_xmin IS NOT NULL
            UNION ALL
            SELECT 'replication slot', slot_name, age(xmin) FROM pg_replication_slots WHERE xmin IS NOT NULL
            UNION ALL
            SELECT 'replication slot (catalog)', slot_name, age(catalog_xmin)
            FROM pg_replication_slots WHERE catalog_xmin IS NOT NULL
            UNION ALL
            SELECT 'prepared transaction', gid, age(transaction) FROM pg_prepared_xacts
            ORDER BY xmin_age DESC
            LIMIT 10;`,
        },
        {
          what: 'Anti-wraparound vacuums running now.',
          sql: sql`
            SELECT pid, datname, now() - xact_start AS running_for, query
            FROM pg_stat_activity
            WHERE query LIKE 'autovacuum:%to prevent wraparound%';`,
        },
      ],
      remediation: [
        'Remove what holds the horizon first (long transactions, forgotten prepared transactions, stale replication slots); otherwise no vacuum can freeze past it.',
        'Let a running anti-wraparound autovacuum finish. Then freeze the oldest tables, largest age first: `VACUUM (FREEZE, VERBOSE) <table>;` (a manual VACUUM runs without cost delay by default).',
        'Keep autovacuum able to keep up: more autovacuum_vacuum_cost_limit, and per-table autovacuum_freeze_max_age for huge append-only tables.',
      ],
    },
    noData: NO_DATA.blind,
    unit: 'ratio',
    comparator: '>=',
    levels: { warning: { threshold: 0.5, for_s: 0 }, critical: { threshold: 0.75, for_s: 0 } },
    instanceLabels: ['target', 'datname'],
    value: () => maxBy(['target', 'datname'], metric('pg_database_xid_wraparound_ratio')),
    fixtures: singleMetricFixture('pg_database_xid_wraparound_ratio', DB, 0.01),
  },
  {
    id: 'mxid_wraparound',
    name: 'PgMultixactWraparound',
    category: 'wraparound',
    component: 'postgresql',
    summary: 'Database {{label.datname}} on {{label.target}} is at {{value}} of multixact ID wraparound',
    description:
      'mxid_age(datminmxid) of {{label.datname}} is {{value}} of the 2^31 limit (threshold {{threshold}}): multixact freezing is not keeping up (row locks shared by several transactions, foreign keys).',
    runbook: {
      meaning:
        'Multixact IDs (row locks shared by several transactions, foreign-key checks) wrap around like transaction IDs: if freezing falls too far behind, PostgreSQL refuses to create new multixacts and writes that need them fail.',
      checks: [
        MXID_AGE_BY_DATABASE,
        {
          ...TABLES_BY_MXID_AGE,
          what: 'In the database of the alert: the tables with the oldest multixacts.',
        },
        {
          what: 'What holds the horizon back: freezing cannot pass the oldest transaction still visible to someone.',
          sql: sql`
            SELECT 'session' AS holder, pid::text AS id, age(backend_xmin) AS xmin_age
            FROM pg_stat_activity WHERE backend_xmin IS NOT NULL
            UNION ALL
            SELECT 'replication slot', slot_name, age(xmin) FROM pg_replication_slots WHERE xmin IS NOT NULL
            UNION ALL
            SELECT 'replication slot (catalog)', slot_name, age(catalog_xmin)
            FROM pg_replication_slots WHERE catalog_xmin IS NOT NULL
            UNION ALL
            SELECT 'prepared transaction', gid, age(transaction) FROM pg_prepared_xacts
            ORDER BY xmin_age DESC
            LIMIT 10;`,
        },
        {
          what: 'Anti-wraparound vacuums running now.',
          sql: sql`
            SELECT pid, datname, now() - xact_start AS running_for, query
            FROM pg_stat_activity
            WHERE query LIKE 'autovacuum:%to prevent wraparound%';`,
        },
      ],
      remediation: [
        'Remove what holds the horizon first (long transactions, forgotten prepared transactions, stale replication slots).',
        FREEZE_OLDEST_TABLES,
        'Lower autovacuum_multixact_freeze_max_age for the tables that generate many multixacts (heavy SELECT ... FOR SHARE, foreign keys to hot rows).',
      ],
    },
    noData: NO_DATA.blind,
    unit: 'ratio',
    comparator: '>=',
    levels: { warning: { threshold: 0.5, for_s: 0 }, critical: { threshold: 0.75, for_s: 0 } },
    instanceLabels: ['target', 'datname'],
    value: () => maxBy(['target', 'datname'], metric('pg_database_mxid_wraparound_ratio')),
    fixtures: singleMetricFixture('pg_database_mxid_wraparound_ratio', DB, 0.01),
  },
];
