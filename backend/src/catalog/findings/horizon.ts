import { sql } from '../alerts/helpers';
import { HORIZON_HOLDERS } from './guide-checks';
import { FindingKind, runbookOf } from './types';

export const HORIZON_FINDINGS: FindingKind[] = [
  {
    id: 'xmin_horizon',
    title: 'Transaction horizon held back',
    category: 'vacuum',
    description:
      'Something holds the oldest xmin back (a session snapshot, a prepared transaction, a replication slot or a standby with hot_standby_feedback): VACUUM runs but removes no row deleted since, tables and indexes bloat, and freezing cannot advance past it. One finding per kind of holder, naming the oldest.',
    severity: 'warning',
    inputs: [{ collector: 'xmin_horizon' }],
    params: {
      warning_xid_age: {
        default: 10_000_000,
        unit: 'transactions',
        description: 'age(xmin) of the holder: warning (5 % of the default autovacuum_freeze_max_age)',
      },
      critical_xid_age: {
        default: 100_000_000,
        unit: 'transactions',
        description:
          'age(xmin): critical (half of the default autovacuum_freeze_max_age: anti-wraparound vacuums stop gaining)',
      },
      prepared_warning_age_s: {
        default: 60,
        unit: 'seconds',
        description: 'A prepared transaction this old: warning (a two-phase commit in flight is not)',
      },
      prepared_critical_age_s: {
        default: 3600,
        unit: 'seconds',
        description: 'A prepared transaction this old: critical',
      },
    },
    anchors:
      'pganalyze VACUUM: xmin horizon; check_postgres prepared_txns (warns at 1 s; 60 s here so that a two-phase commit in flight is not reported), txn_time; pgmonitor PGReplicationSlotsInactive. Transaction ages: ours, from autovacuum_freeze_max_age.',
    runbook: runbookOf('xmin_horizon'),
    guide: {
      meaning:
        'Autovacuum keeps running but removes no row version deleted after the oldest xmin anyone still holds, and freezes nothing newer: tables and indexes bloat, queries slow down, and if it lasts long enough the transaction ID age climbs toward wraparound. The holder is named in the finding (a session pid, a prepared transaction gid, a slot, a standby).',
      checks: [
        HORIZON_HOLDERS,
        {
          what: 'Whether vacuum is removing anything: tables whose dead rows stay although autovacuum ran.',
          sql: sql`
            SELECT schemaname, relname, n_live_tup, n_dead_tup, last_autovacuum, autovacuum_count
            FROM pg_stat_user_tables
            WHERE n_dead_tup > 0
            ORDER BY n_dead_tup DESC
            LIMIT 10;`,
        },
        {
          what: 'A standby named as the holder: its oldest queries (hot_standby_feedback passes their xmin to the primary).',
          on: 'standby',
          sql: sql`
            SELECT pid, usename, application_name, age(backend_xmin) AS xmin_age,
                   now() - xact_start AS xact_age, left(query, 200) AS query
            FROM pg_stat_activity
            WHERE backend_xmin IS NOT NULL
            ORDER BY age(backend_xmin) DESC
            LIMIT 10;`,
        },
      ],
      remediation: [
        "A session: ask its owner (application_name, client_addr), then end it: `SELECT pg_terminate_backend(<pid>);` rolls its transaction back (the finding's statement checks that the pid is still the same backend).",
        "A prepared transaction: ask the transaction manager that prepared it, then `COMMIT PREPARED '<gid>';` or `ROLLBACK PREPARED '<gid>';` connected to its database.",
        "A replication slot nobody consumes: confirm its consumer is gone for good, then `SELECT pg_drop_replication_slot('<slot>');` (a standby or subscriber using it must then be re-seeded).",
        'A standby with hot_standby_feedback: cancel its long query there, or turn the feedback off and accept query conflicts on the standby.',
        "Prevent: `ALTER ROLE <app> SET idle_in_transaction_session_timeout = '5min';`, transaction_timeout (PostgreSQL 17+) for batch roles, max_slot_wal_keep_size for slots.",
      ],
    },
  },
];
